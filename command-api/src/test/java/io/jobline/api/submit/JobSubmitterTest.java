package io.jobline.api.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.util.unit.DataSize;

import io.jobline.api.ApiProperties;
import io.jobline.api.kafka.CommandWriter;
import io.jobline.api.problem.ApiProblemException;
import io.jobline.api.view.JobView;
import io.jobline.schemas.JobCommand;
import io.jobline.schemas.JobSubmitted;

class JobSubmitterTest {

    private static final Duration ACK_TIMEOUT = Duration.ofMillis(300);

    @SuppressWarnings("unchecked")
    private final KafkaTemplate<String, JobCommand> template = mock(KafkaTemplate.class);
    private final JobSubmitter submitter = new JobSubmitter(new CommandWriter(template, properties()));

    private final SubmitJobRequest request = new SubmitJobRequest("mock", new LinkedHashMap<>(Map.of("a", "b")));

    @Test
    void answersThePendingViewOnceKafkaAcknowledgedOffTheCallingThread() {
        AtomicReference<String> sendThread = new AtomicReference<>();
        when(template.send(anyString(), anyString(), any())).thenAnswer(call -> {
            sendThread.set(Thread.currentThread().getName());
            return CompletableFuture.completedFuture(acknowledged(call.getArgument(0), call.getArgument(1), call.getArgument(2)));
        });

        JobView view = submitter.submit(request, "req-1", "owner-1").block(Duration.ofSeconds(5));

        ArgumentCaptor<JobCommand> command = ArgumentCaptor.forClass(JobCommand.class);
        verify(template).send(eq("jobline.commands"), eq(view.id()), command.capture());
        JobSubmitted submitted = (JobSubmitted) command.getValue().getCommand();
        assertThat(command.getValue().getJobId()).isEqualTo(view.id());
        assertThat(submitted.getJobId()).isEqualTo(view.id());
        assertThat(submitted.getOwner()).isEqualTo("owner-1");
        assertThat(submitted.getWorkflow()).isEqualTo("mock");
        assertThat(submitted.getParameters()).isEqualTo(Map.of("a", "b"));
        assertThat(submitted.getRequestId()).isEqualTo("req-1");
        assertThat(submitted.getSubmittedAt()).isEqualTo(view.submittedAt());
        assertThat(view.submittedAt().getNano() % 1_000_000).as("millisecond precision, like Avro").isZero();
        assertThat(view.status()).isEqualTo("PENDING");
        assertThat(view.attempt()).isZero();
        assertThat(view.owner()).isEqualTo("owner-1");
        assertThat(sendThread.get()).startsWith("boundedElastic");
    }

    @Test
    void noAcknowledgementWithinTheTimeoutIsA503() {
        when(template.send(anyString(), anyString(), any())).thenReturn(new CompletableFuture<>());
        long start = System.nanoTime();
        ApiProblemException problem = catchThrowableOfType(ApiProblemException.class,
                () -> submitter.submit(request, "r", "owner-1").block(Duration.ofSeconds(5)));
        assertThat(problem.status().value()).isEqualTo(503);
        assertThat(problem.retryAfter()).isEqualTo(Duration.ofSeconds(9));
        assertThat(problem.getMessage()).contains("did not acknowledge");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aSendThatBlocksForMetadataDoesNotHoldTheAnswerBeyondTheTimeout() {
        CountDownLatch metadataArrives = new CountDownLatch(1);
        when(template.send(anyString(), anyString(), any())).thenAnswer(call -> {
            metadataArrives.await(10, TimeUnit.SECONDS); // KafkaProducer.send blocks like this for metadata (max.block.ms)
            return new CompletableFuture<>();
        });
        long start = System.nanoTime();
        ApiProblemException problem = catchThrowableOfType(ApiProblemException.class,
                () -> submitter.submit(request, "r", "owner-1").block(Duration.ofSeconds(5)));
        metadataArrives.countDown();
        assertThat(problem.status().value()).isEqualTo(503);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1_500));
    }

    @Test
    void aFailedSendIsA503() {
        when(template.send(anyString(), anyString(), any()))
                .thenReturn(CompletableFuture.failedFuture(new org.apache.kafka.common.errors.NotEnoughReplicasException("x")));
        ApiProblemException problem = catchThrowableOfType(ApiProblemException.class,
                () -> submitter.submit(request, "r", "owner-1").block(Duration.ofSeconds(5)));
        assertThat(problem.status().value()).isEqualTo(503);
        assertThat(problem.getMessage()).contains("Kafka is unavailable");
    }

    @Test
    void aSendThatThrowsIsA503() {
        when(template.send(anyString(), anyString(), any()))
                .thenThrow(new org.apache.kafka.common.KafkaException("Failed to construct kafka producer"));
        ApiProblemException problem = catchThrowableOfType(ApiProblemException.class,
                () -> submitter.submit(request, "r", "owner-1").block(Duration.ofSeconds(5)));
        assertThat(problem.status().value()).isEqualTo(503);
    }

    @Test
    void eachSubmissionGetsANewLaterId() {
        when(template.send(anyString(), anyString(), any())).thenAnswer(call -> CompletableFuture.completedFuture(
                acknowledged(call.getArgument(0), call.getArgument(1), call.getArgument(2))));
        String first = submitter.submit(request, "r", "owner-1").block().id();
        String second = submitter.submit(request, "r", "owner-1").block().id();
        assertThat(second).isGreaterThan(first);
        assertThat(java.util.UUID.fromString(first).version()).isEqualTo(7);
    }

    @Test
    void submittedAtIsTheMillisecondTimestampOfTheId() {
        when(template.send(anyString(), anyString(), any())).thenAnswer(call -> CompletableFuture.completedFuture(
                acknowledged(call.getArgument(0), call.getArgument(1), call.getArgument(2))));
        List<JobView> views = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            views.add(submitter.submit(request, "r" + i, "owner-1").block(Duration.ofSeconds(5)));
        }

        ArgumentCaptor<JobCommand> commands = ArgumentCaptor.forClass(JobCommand.class);
        verify(template, org.mockito.Mockito.times(20)).send(eq("jobline.commands"), anyString(), commands.capture());
        for (int i = 0; i < views.size(); i++) {
            JobView view = views.get(i);
            long idMillis = java.util.UUID.fromString(view.id()).getMostSignificantBits() >>> 16;
            assertThat(view.submittedAt()).isEqualTo(Instant.ofEpochMilli(idMillis));
            assertThat(((JobSubmitted) commands.getAllValues().get(i).getCommand()).getSubmittedAt())
                    .isEqualTo(view.submittedAt());
            assertThat(view.updatedAt()).isEqualTo(view.submittedAt());
            assertThat(view.version()).isEqualTo(1L);
        }
        assertThat(views).extracting(JobView::id).isSorted();
        assertThat(views).extracting(JobView::submittedAt).isSorted();
    }

    @Test
    void theInstantOfAUuidV7IsItsFirst48Bits() {
        assertThat(JobSubmitter.submittedAt(java.util.UUID.fromString("0193a5c2-8f00-7000-8000-000000000001")))
                .isEqualTo(Instant.parse("2024-12-08T10:13:31.520Z"));
        assertThat(JobSubmitter.submittedAt(java.util.UUID.fromString("ffffffff-ffff-7fff-bfff-ffffffffffff")))
                .isEqualTo(Instant.ofEpochMilli((1L << 48) - 1));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> JobSubmitter.submittedAt(java.util.UUID.randomUUID()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static SendResult<String, JobCommand> acknowledged(String topic, String key, JobCommand value) {
        return new SendResult<>(new ProducerRecord<>(topic, key, value),
                new RecordMetadata(new TopicPartition(topic, 0), 0, 0, System.currentTimeMillis(), 36, 100));
    }

    private static ApiProperties properties() {
        return new ApiProperties(List.of("mock"), java.nio.file.Path.of("workflows"),
                ApiProperties.DEFAULT_PARAMETER_VALUE_PATTERN, ACK_TIMEOUT, Duration.ofSeconds(9),
                URI.create("http://localhost:8081"), Duration.ofSeconds(10), Duration.ofSeconds(2),
                DataSize.ofMegabytes(64), Duration.ofSeconds(2), Duration.ofSeconds(10));
    }
}
