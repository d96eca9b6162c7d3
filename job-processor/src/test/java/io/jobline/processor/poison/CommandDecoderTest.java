package io.jobline.processor.poison;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.jobline.schemas.JobCancelRequested;
import io.jobline.schemas.JobCommand;
import io.jobline.schemas.JobRetryRequested;
import io.jobline.schemas.JobSubmitted;
import io.jobline.schemas.Topics;

class CommandDecoderTest {

    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");

    @Test
    void decodesACommandThatNamesItsJobEverywhere() {
        JobCommand command = wrap("j1", submitted("j1"));
        assertThat(CommandDecoder.decode(record("j1", encode(command)))).isEqualTo(command);
    }

    @Test
    void bytesThatAreNoCommandCannotBeDecoded() {
        byte[] json = "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> CommandDecoder.decode(record("j1", json)))
                .isInstanceOf(UnusableRecordException.class).hasMessageContaining("cannot decode");
    }

    @Test
    void commandsThatDoNotNameOneJobCannotBeApplied() {
        assertThatThrownBy(() -> CommandDecoder.decode(record("j1", null)))
                .isInstanceOf(UnusableRecordException.class).hasMessageContaining("no value");
        assertThatThrownBy(() -> CommandDecoder.decode(record("j2", encode(wrap("j1", submitted("j1"))))))
                .isInstanceOf(UnusableRecordException.class).hasMessageContaining("keyed j2");
        assertThatThrownBy(() -> CommandDecoder.decode(record("j1", encode(wrap("j1", cancel("j9"))))))
                .isInstanceOf(UnusableRecordException.class)
                .hasMessageContaining("carries a JobCancelRequested of job j9");
        assertThatThrownBy(() -> CommandDecoder.decode(record(" ", encode(wrap(" ", cancel(" "))))))
                .isInstanceOf(UnusableRecordException.class).hasMessageContaining("no job id");
    }

    @Test
    void aRetryOfTheFirstAttemptCannotBeApplied() {
        JobRetryRequested retry = JobRetryRequested.newBuilder().setJobId("j1").setAttempt(1).setOwner("alice")
                .setWorkflow("mock").setRequestedBy("alice").setRequestedAt(T0).setRequestId("r").build();
        assertThatThrownBy(() -> CommandDecoder.decode(record("j1", encode(wrap("j1", retry)))))
                .isInstanceOf(UnusableRecordException.class).hasMessageContaining("attempt 1");
    }

    private static JobSubmitted submitted(String jobId) {
        return JobSubmitted.newBuilder().setJobId(jobId).setOwner("alice").setWorkflow("mock")
                .setParameters(Map.of()).setSubmittedAt(T0).setRequestId("r").build();
    }

    private static JobCancelRequested cancel(String jobId) {
        return JobCancelRequested.newBuilder().setJobId(jobId).setRequestedBy("alice").setRequestedAt(T0)
                .setRequestId("r").build();
    }

    private static JobCommand wrap(String jobId, Object command) {
        return JobCommand.newBuilder().setJobId(jobId).setCommand(command).build();
    }

    private static byte[] encode(JobCommand command) {
        return Topics.COMMANDS.valueSerde().serializer().serialize(Topics.COMMANDS.name(), command);
    }

    private static ConsumerRecord<String, byte[]> record(String key, byte[] value) {
        return new ConsumerRecord<>(Topics.COMMANDS.name(), 0, 7, key, value);
    }
}
