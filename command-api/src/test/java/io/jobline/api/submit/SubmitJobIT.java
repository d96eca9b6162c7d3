package io.jobline.api.submit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import io.jobline.api.support.ApiIntegrationTest;
import io.jobline.api.view.JobView;
import io.jobline.schemas.JobCommand;
import io.jobline.schemas.JobSubmitted;
import io.jobline.schemas.Topics;

class SubmitJobIT extends ApiIntegrationTest {

    @Test
    void validSubmissionIsAcceptedAfterTheCommandIsOnKafka() {
        Instant before = Instant.now().minusMillis(1);
        var result = client.post().uri("/jobs")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"workflow\":\"mock\",\"parameters\":{\"sample\":\"S1\",\"genome.build\":\"hg38\"}}")
                .exchange()
                .expectStatus().isAccepted()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectHeader().exists(SubmitJobController.REQUEST_ID_HEADER)
                .expectBody(JobView.class)
                .returnResult();
        JobView view = result.getResponseBody();
        String location = result.getResponseHeaders().getFirst(HttpHeaders.LOCATION);

        assertThat(view).isNotNull();
        assertThat(view.id()).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(location).isEqualTo("/jobs/" + view.id());
        assertThat(view.status()).isEqualTo("PENDING");
        assertThat(view.attempt()).isZero();
        assertThat(view.owner()).isEqualTo("tester");
        assertThat(view.workflow()).isEqualTo("mock");
        assertThat(view.parameters()).containsExactlyInAnyOrderEntriesOf(Map.of("sample", "S1", "genome.build", "hg38"));
        assertThat(view.submittedAt()).isAfter(before).isBeforeOrEqualTo(Instant.now());
        assertThat(view.updatedAt()).isEqualTo(view.submittedAt());
        assertThat(view.submittedAt()).as("the timestamp of the UUIDv7")
                .isEqualTo(Instant.ofEpochMilli(java.util.UUID.fromString(view.id()).getMostSignificantBits() >>> 16));
        assertThat(view.version()).isEqualTo(1L);
        assertThat(view.startedAt()).isNull();
        assertThat(view.failure()).isNull();

        ConsumerRecord<String, JobCommand> record = commandsByKey().get(view.id());
        assertThat(record).as("JobCommand keyed by the job id on %s", Topics.COMMANDS.name()).isNotNull();
        assertThat(record.value().getJobId()).isEqualTo(view.id());
        JobSubmitted submitted = (JobSubmitted) record.value().getCommand();
        assertThat(submitted.getJobId()).isEqualTo(view.id());
        assertThat(submitted.getOwner()).isEqualTo("tester");
        assertThat(submitted.getWorkflow()).isEqualTo("mock");
        assertThat(submitted.getParameters()).containsExactlyInAnyOrderEntriesOf(view.parameters());
        assertThat(submitted.getSubmittedAt()).isEqualTo(view.submittedAt());
        assertThat(submitted.getRequestId()).isEqualTo(result.getResponseHeaders().getFirst(SubmitJobController.REQUEST_ID_HEADER));
    }

    @Test
    void theBodyHasExactlyTheDocumentedShape() {
        client.post().uri("/jobs")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"workflow\":\"rnaseq\"}")
                .exchange()
                .expectStatus().isAccepted()
                .expectBody()
                .jsonPath("$.length()").isEqualTo(18)
                .jsonPath("$.workflow").isEqualTo("rnaseq")
                .jsonPath("$.parameters").isMap()
                .jsonPath("$.parameters.length()").isEqualTo(0)
                .jsonPath("$.status").isEqualTo("PENDING")
                .jsonPath("$.attempt").isEqualTo(0)
                .jsonPath("$.submittedAt").value(String.class, at -> assertThat(Instant.parse(at)).isNotNull())
                .jsonPath("$.startedAt").isEmpty()
                .jsonPath("$.finishedAt").isEmpty()
                .jsonPath("$.failure").isEmpty()
                .jsonPath("$.worker").isEmpty()
                .jsonPath("$.progress").isEmpty()
                .jsonPath("$.outputs").isArray()
                .jsonPath("$.outputs.length()").isEqualTo(0)
                .jsonPath("$.lastHeartbeatAt").isEmpty()
                .jsonPath("$.cancelRequestedAt").isEmpty()
                .jsonPath("$.cancelRequestedBy").isEmpty()
                .jsonPath("$.version").isEqualTo(1);
    }

    @Test
    void aWorkflowFromTheWorkflowsFolderIsAccepted() {
        JobView view = client.post().uri("/jobs")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"workflow\":\"wordcount\",\"parameters\":{\"words\":\"5\",\"input\":\"data/in put.txt\"}}")
                .exchange()
                .expectStatus().isAccepted()
                .expectBody(JobView.class).returnResult().getResponseBody();
        JobSubmitted submitted = (JobSubmitted) commandsOf(view.id()).get(0).getCommand();
        assertThat(submitted.getWorkflow()).isEqualTo("wordcount");
        assertThat(submitted.getParameters()).containsExactlyInAnyOrderEntriesOf(
                Map.of("words", "5", "input", "data/in put.txt"));
    }

    @Test
    void idsOfConsecutiveSubmissionsSortInSubmissionOrder() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            JobView view = client.post().uri("/jobs")
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"workflow\":\"mock\",\"parameters\":{\"i\":\"" + i + "\"}}")
                    .exchange()
                    .expectStatus().isAccepted()
                    .expectBody(JobView.class).returnResult().getResponseBody();
            ids.add(view.id());
        }
        assertThat(ids).isSorted().doesNotHaveDuplicates();

        Map<String, ConsumerRecord<String, JobCommand>> records = commandsByKey();
        for (int i = 0; i < ids.size(); i++) {
            JobSubmitted submitted = (JobSubmitted) records.get(ids.get(i)).value().getCommand();
            assertThat(submitted.getParameters()).containsEntry("i", String.valueOf(i));
        }
    }

    @Test
    void readinessIncludesTheBrokerAndIsUp() {
        client.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.broker.status").isEqualTo("UP");
        client.get().uri("/actuator/health/liveness").exchange()
                .expectStatus().isOk();
    }

    @Test
    void topicsAreCreatedAtStartUpWithTheConfiguredPartitions() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.getBrokersAsString()))) {
            List<String> names = List.of(Topics.COMMANDS.name(), Topics.EVENTS.name(), Topics.JOB_STATUS.name(),
                    Topics.DLQ.name(), Topics.LOGS.name());
            Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS);
            assertThat(topics).hasSize(5);
            topics.values().forEach(topic -> assertThat(topic.partitions()).as(topic.name()).hasSize(3));
            ConfigResource commands = new ConfigResource(ConfigResource.Type.TOPIC, Topics.COMMANDS.name());
            Config config = admin.describeConfigs(List.of(commands)).all().get(10, TimeUnit.SECONDS).get(commands);
            assertThat(config.get("retention.ms").value()).isEqualTo("-1");
        }
    }

    /** The last record of each key on jobline.commands so far. */
    private Map<String, ConsumerRecord<String, JobCommand>> commandsByKey() {
        Map<String, ConsumerRecord<String, JobCommand>> byKey = new HashMap<>();
        commands().forEach(record -> byKey.put(record.key(), record));
        return byKey;
    }
}
