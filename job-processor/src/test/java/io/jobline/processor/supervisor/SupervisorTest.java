package io.jobline.processor.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.jobline.processor.events.JobEvents;
import io.jobline.schemas.FailureKind;
import io.jobline.schemas.JobCancelRequested;
import io.jobline.schemas.JobCancelled;
import io.jobline.schemas.JobCommand;
import io.jobline.schemas.JobEvent;
import io.jobline.schemas.JobFailed;
import io.jobline.schemas.JobRetryRequested;
import io.jobline.schemas.JobSubmitted;
import io.jobline.schemas.Topics;

/**
 * The supervisor's topology in Kafka Streams' own test driver, with wall-clock time under the test's control. Its
 * outputs are fed back to its inputs, as the real topics do.
 */
class SupervisorTest {

    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
    private static final SupervisorProperties PROPERTIES = new SupervisorProperties(Duration.ofSeconds(30),
            Duration.ofSeconds(1), 3, Set.of(FailureKind.WORKER_LOST, FailureKind.CANNOT_START, FailureKind.TIMEOUT,
                    FailureKind.SYSTEM), Duration.ofSeconds(2), Duration.ofMinutes(1));

    private TopologyTestDriver driver;
    private TestInputTopic<String, JobCommand> commands;
    private TestInputTopic<String, JobEvent> events;
    private TestOutputTopic<String, JobCommand> commandsOut;
    private TestOutputTopic<String, JobEvent> eventsOut;

    @BeforeEach
    void start() {
        StreamsBuilder builder = new StreamsBuilder();
        SupervisorTopology.build(builder, PROPERTIES);
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "supervisor-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        // the app writes these to jobline.dlq (StreamsDeadLetterHandler), which needs a broker
        config.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueProcessingExceptionHandler.class);
        driver = new TopologyTestDriver(builder.build(), config, T0);
        commands = driver.createInputTopic(Topics.COMMANDS.name(), Serdes.String().serializer(),
                Topics.COMMANDS.valueSerde().serializer());
        events = driver.createInputTopic(Topics.EVENTS.name(), Serdes.String().serializer(),
                Topics.EVENTS.valueSerde().serializer());
        commandsOut = driver.createOutputTopic(Topics.COMMANDS.name(), Serdes.String().deserializer(),
                Topics.COMMANDS.valueSerde().deserializer());
        eventsOut = driver.createOutputTopic(Topics.EVENTS.name(), Serdes.String().deserializer(),
                Topics.EVENTS.valueSerde().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void aRunningJobWhoseWorkerGoesQuietIsLostAndRetriedAfterTheBackoff() {
        submit("j1");
        started("j1", 1, T0);
        events.pipeInput("j1", JobEvents.heartbeat("j1", 1, "w1", T0.plusSeconds(20)));

        advance(Duration.ofSeconds(45)); // 25 s since the heartbeat
        assertThat(eventsOut.isEmpty()).isTrue();

        advance(Duration.ofSeconds(10)); // 35 s since the heartbeat
        JobFailed lost = (JobFailed) eventsOut.readValue().getEvent();
        assertThat(lost.getAttempt()).isEqualTo(1);
        assertThat(lost.getFailure().getKind()).isEqualTo(FailureKind.WORKER_LOST);
        assertThat(lost.getFailure().getReason()).contains("w1");
        events.pipeInput("j1", JobEvent.newBuilder().setJobId("j1").setEvent(lost).build()); // it comes back

        advance(Duration.ofSeconds(1));
        assertThat(commandsOut.isEmpty()).isTrue(); // backoff of 2 s
        advance(Duration.ofSeconds(2));
        JobRetryRequested retry = (JobRetryRequested) commandsOut.readValue().getCommand();
        assertThat(retry.getAttempt()).isEqualTo(2);
        assertThat(retry.getAutomatic()).isTrue();
        assertThat(retry.getWorkflow()).isEqualTo("wordcount");
        assertThat(retry.getParameters()).containsEntry("files", "3");
        assertThat(retry.getReason()).contains("WORKER_LOST");
        assertThat(eventsOut.isEmpty()).isTrue();
    }

    @Test
    void heartbeatsKeepAJobAlive() {
        submit("j2");
        started("j2", 1, T0);
        for (int second = 10; second <= 120; second += 10) {
            events.pipeInput("j2", JobEvents.heartbeat("j2", 1, "w1", T0.plusSeconds(second)));
            advance(Duration.ofSeconds(10));
        }
        assertThat(eventsOut.isEmpty()).isTrue();
    }

    @Test
    void aLostJobThatWasBeingCancelledEndsCancelled() {
        submit("j3");
        started("j3", 1, T0);
        commands.pipeInput("j3", cancel("j3", "alice"));

        advance(Duration.ofSeconds(31));

        JobCancelled cancelled = (JobCancelled) eventsOut.readValue().getEvent();
        assertThat(cancelled.getRequestedBy()).isEqualTo("alice");
        events.pipeInput("j3", JobEvent.newBuilder().setJobId("j3").setEvent(cancelled).build());
        advance(Duration.ofMinutes(5));
        assertThat(commandsOut.isEmpty()).isTrue();
        assertThat(eventsOut.isEmpty()).isTrue();
    }

    @Test
    void systemFailuresAreRetriedUpToTheMaximumWithGrowingBackoff() {
        submit("j4");
        events.pipeInput("j4", cannotStart("j4", 1));
        advance(Duration.ofSeconds(2));
        JobRetryRequested second = (JobRetryRequested) commandsOut.readValue().getCommand();
        assertThat(second.getAttempt()).isEqualTo(2);
        commands.pipeInput("j4", JobCommand.newBuilder().setJobId("j4").setCommand(second).build());

        events.pipeInput("j4", cannotStart("j4", 2));
        advance(Duration.ofSeconds(3));
        assertThat(commandsOut.isEmpty()).isTrue(); // 4 s before attempt 3
        advance(Duration.ofSeconds(1));
        JobRetryRequested third = (JobRetryRequested) commandsOut.readValue().getCommand();
        assertThat(third.getAttempt()).isEqualTo(3);
        commands.pipeInput("j4", JobCommand.newBuilder().setJobId("j4").setCommand(third).build());

        events.pipeInput("j4", cannotStart("j4", 3));
        advance(Duration.ofMinutes(5));
        assertThat(commandsOut.isEmpty()).isTrue();
    }

    @Test
    void pipelineFailuresAndFinishedJobsAreLeftAlone() {
        submit("j5");
        started("j5", 1, T0);
        events.pipeInput("j5", JobEvents.failed("j5", 1, T0, T0.plusSeconds(1), FailureKind.PIPELINE, "rule x", 1));
        submit("j6");
        started("j6", 1, T0);
        events.pipeInput("j6", JobEvents.completed("j6", 1, T0, T0.plusSeconds(1)));

        advance(Duration.ofMinutes(5));

        assertThat(commandsOut.isEmpty()).isTrue();
        assertThat(eventsOut.isEmpty()).isTrue();
    }

    @Test
    void aTerminalEventOfAnAttemptAlreadyReportedLostIsIgnored() {
        submit("j7");
        started("j7", 1, T0);
        advance(Duration.ofSeconds(31));
        JobEvent lost = eventsOut.readValue();
        events.pipeInput("j7", lost);
        events.pipeInput("j7", JobEvents.completed("j7", 1, T0, T0.plusSeconds(40))); // the worker was only slow
        advance(Duration.ofSeconds(3));
        assertThat(((JobRetryRequested) commandsOut.readValue().getCommand()).getAttempt()).isEqualTo(2);
    }

    @Test
    void recordsThatDoNotNameTheirJobConsistentlyAreNotApplied() {
        submit("j8");
        events.pipeInput("someone-else", JobEvents.started("j8", 1, T0, "w1")); // keyed wrongly
        events.pipeInput("j8", JobEvent.newBuilder().setJobId("j8")
                .setEvent(JobEvents.started("j9", 1, T0, "w1").getEvent()).build()); // payload of another job
        events.pipeInput("j8", (JobEvent) null);

        advance(Duration.ofMinutes(5));

        assertThat(eventsOut.isEmpty()).as("no start was applied, so no worker was lost").isTrue();
        started("j8", 1, T0.plus(Duration.ofMinutes(5)));
        advance(Duration.ofSeconds(31));
        assertThat(((JobFailed) eventsOut.readValue().getEvent()).getFailure().getKind())
                .isEqualTo(FailureKind.WORKER_LOST);
    }

    private void advance(Duration duration) {
        driver.advanceWallClockTime(duration);
    }

    private void submit(String jobId) {
        commands.pipeInput(jobId, JobCommand.newBuilder().setJobId(jobId).setCommand(JobSubmitted.newBuilder()
                .setJobId(jobId).setOwner("alice").setWorkflow("wordcount").setParameters(Map.of("files", "3"))
                .setSubmittedAt(T0).setRequestId(UUID.randomUUID().toString()).build()).build());
    }

    private void started(String jobId, int attempt, Instant at) {
        events.pipeInput(jobId, JobEvents.started(jobId, attempt, at, "w1"));
    }

    private static JobCommand cancel(String jobId, String by) {
        return JobCommand.newBuilder().setJobId(jobId).setCommand(JobCancelRequested.newBuilder().setJobId(jobId)
                .setRequestedBy(by).setRequestedAt(T0).setRequestId("r").build()).build();
    }

    private static JobEvent cannotStart(String jobId, int attempt) {
        return JobEvents.failed(jobId, attempt, null, T0, FailureKind.CANNOT_START, "no pipeline", null,
                List.of());
    }
}
