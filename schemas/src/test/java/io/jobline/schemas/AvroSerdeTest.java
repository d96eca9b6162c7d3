package io.jobline.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @Test
    void commandRoundTripsWithSingleObjectHeader() {
        var submitted = JobSubmitted.newBuilder().setJobId("j1").setOwner("alice").setWorkflow("mock")
                .setParameters(Map.of("n", "3")).setSubmittedAt(now).setRequestId("r1").build();
        var command = JobCommand.newBuilder().setJobId("j1").setCommand(submitted).build();

        byte[] bytes = Topics.COMMANDS.valueSerde().serializer().serialize(Topics.COMMANDS.name(), command);

        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        assertThat(Topics.COMMANDS.valueSerde().deserializer().deserialize(Topics.COMMANDS.name(), bytes))
                .isEqualTo(command);
    }

    @Test
    void eventUnionBranchesRoundTrip() {
        var failed = JobFailed.newBuilder().setJobId("j2").setAttempt(2).setStartedAt(null).setFinishedAt(now)
                .setFailure(Failure.newBuilder().setKind(FailureKind.PIPELINE).setReason("rule x failed")
                        .setExitCode(1).build())
                .build();
        var event = JobEvent.newBuilder().setJobId("j2").setEvent(failed).build();
        var serializer = Topics.EVENTS.valueSerde().serializer();
        var deserializer = Topics.EVENTS.valueSerde().deserializer();

        var decoded = deserializer.deserialize("t", serializer.serialize("t", event));

        assertThat(decoded.getEvent()).isInstanceOf(JobFailed.class).isEqualTo(failed);
    }

    @Test
    void nullIsATombstoneBothWays() {
        assertThat(Topics.JOB_STATUS.valueSerde().serializer().serialize("t", null)).isNull();
        assertThat(Topics.JOB_STATUS.valueSerde().deserializer().deserialize("t", null)).isNull();
    }

    @Test
    void garbageFailsWithASerializationExceptionNamingTheType() {
        assertThatThrownBy(() -> Topics.EVENTS.valueSerde().deserializer().deserialize("jobline.events", new byte[] {1, 2, 3}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("JobEvent")
                .hasMessageContaining("jobline.events");
    }

    @Test
    void aRecordOfAnotherTopicIsRefused() {
        var view = JobStatusView.newBuilder().setJobId("j3").setStatus(JobStatus.PENDING).setUpdatedAt(now).build();
        byte[] bytes = Topics.JOB_STATUS.valueSerde().serializer().serialize("t", view);

        assertThatThrownBy(() -> Topics.COMMANDS.valueSerde().deserializer().deserialize("jobline.commands", bytes))
                .isInstanceOf(SerializationException.class);
    }
}
