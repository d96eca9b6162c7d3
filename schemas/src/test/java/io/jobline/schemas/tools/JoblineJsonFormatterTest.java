package io.jobline.schemas.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import io.jobline.schemas.JobCommand;
import io.jobline.schemas.JobSubmitted;
import io.jobline.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class JoblineJsonFormatterTest {

    private final JoblineJsonFormatter formatter = new JoblineJsonFormatter();

    @Test
    void writesUtf8LinesWhateverTheConsolesCharset() {
        var command = new JobCommand("j", new JobSubmitted("j", "zoë", "wordcount", Map.of("title", "Grüße ✓"),
                JobRecords.SUBMITTED, "r", null, null));
        byte[] value = Topics.COMMANDS.valueSerde().serializer().serialize(Topics.COMMANDS.name(), command);
        var bytes = new ByteArrayOutputStream();
        formatter.configure(Map.of());

        formatter.writeTo(new ConsumerRecord<>(Topics.COMMANDS.name(), 0, 0, 0L, TimestampType.CREATE_TIME, 0, 0,
                "j".getBytes(StandardCharsets.UTF_8), value, new RecordHeaders(), Optional.empty()),
                new PrintStream(bytes, true, StandardCharsets.US_ASCII));

        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .contains("\"owner\":\"zoë\"", "\"parameters\":{\"title\":\"Grüße ✓\"}")
                .endsWith("}\n");
    }

    @Test
    void refusesAFlagThatIsNeitherTrueNorFalse() {
        assertThatThrownBy(() -> formatter.configure(Map.of("print.headers", "yes")))
                .hasMessage("print.headers must be true or false, got 'yes'");
    }
}
