package io.jobline.processor.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import io.jobline.schemas.JobEvent;
import io.jobline.schemas.JobHeartbeat;
import io.jobline.schemas.JobLogChunk;
import io.jobline.schemas.JobProgress;

class AttemptReportTest {

    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");

    private final AttemptReport report = new AttemptReport("j1", 2, "w1", 450, T0);

    @Test
    void linesAreNumberedAcrossChunksAndTheLatestProgressWins() {
        for (int i = 1; i <= 250; i++) {
            report.logLine("line " + i);
        }
        report.progress(1, 7);
        report.progress(3, 7);

        List<ProducerRecord<String, Object>> records = report.take(T0, false);

        assertThat(records).hasSize(3);
        JobLogChunk first = (JobLogChunk) records.get(0).value();
        JobLogChunk second = (JobLogChunk) records.get(1).value();
        assertThat(first.getFirstLine()).isEqualTo(1);
        assertThat(first.getLines()).hasSize(AttemptReport.MAX_CHUNK_LINES).startsWith("line 1");
        assertThat(second.getFirstLine()).isEqualTo(201);
        assertThat(second.getLines()).hasSize(50).endsWith("line 250");
        assertThat(second.getAttempt()).isEqualTo(2);
        JobProgress progress = (JobProgress) ((JobEvent) records.get(2).value()).getEvent();
        assertThat(progress.getProgress().getDone()).isEqualTo(3);
        assertThat(progress.getProgress().getTotal()).isEqualTo(7);
        assertThat(records).allMatch(record -> record.key().equals("j1"));

        report.written(T0);
        report.logLine("line 251");
        assertThat(((JobLogChunk) report.take(T0, false).get(0).value()).getFirstLine()).isEqualTo(251);
    }

    @Test
    void whatCouldNotBeWrittenIsPutBackInFrontOfNewerLines() {
        report.logLine("a");
        report.progress(1, 2);
        report.take(T0, false);
        report.logLine("b");

        report.restore();
        List<ProducerRecord<String, Object>> again = report.take(T0, false);

        JobLogChunk chunk = (JobLogChunk) again.get(0).value();
        assertThat(chunk.getFirstLine()).isEqualTo(1);
        assertThat(chunk.getLines()).containsExactly("a", "b");
        assertThat(((JobEvent) again.get(1).value()).getEvent()).isInstanceOf(JobProgress.class);
    }

    @Test
    void aQuietAttemptSendsAHeartbeatWhenAskedAndLongLinesAndTooManyLinesAreCut() {
        assertThat(report.quietSince(T0)).isTrue();
        List<ProducerRecord<String, Object>> beat = report.take(T0.plusSeconds(5), true);
        assertThat(((JobEvent) beat.get(0).value()).getEvent()).isInstanceOfSatisfying(JobHeartbeat.class,
                heartbeat -> assertThat(heartbeat.getWorker()).isEqualTo("w1"));
        report.written(T0.plusSeconds(5));
        assertThat(report.quietSince(T0.plusSeconds(4))).isFalse();

        report.logLine("x".repeat(10_000));
        for (int i = 0; i < 500; i++) {
            report.logLine("more");
        }
        List<String> lines = report.take(T0, false).stream().map(r -> (JobLogChunk) r.value())
                .flatMap(chunk -> chunk.getLines().stream()).toList();
        assertThat(lines.get(0)).hasSize(AttemptReport.MAX_LINE_CHARS + 1);
        assertThat(lines).hasSize(451);
        assertThat(lines.get(450)).contains("truncated");
    }
}
