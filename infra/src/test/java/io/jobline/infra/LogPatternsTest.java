package io.jobline.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * The job metrics count job-processor's log lines: this test reads job-processor's sources and the Avro schemas
 * (it changes nothing there) and fails when a line the metric filters count is no longer written as they expect.
 */
class LogPatternsTest {

    private static final Path PROCESSOR = Path.of("..", "job-processor", "src", "main", "java", "io", "jobline",
            "processor");

    @Test
    void terminalEventsAreLoggedAsWroteAndTheEventClassName() throws IOException {
        String writer = read(PROCESSOR.resolve("runner/TerminalEventWriter.java"));
        assertThat(writer).contains("log.info(\"job {}: wrote {}\"", "getClass().getSimpleName()");
        String schemas = avroSchemas();
        for (String type : new String[] {"JobCompleted", "JobFailed", "JobCancelled"}) {
            assertThat(schemas).contains("\"name\": \"" + type + "\"");
        }
        assertThat(JobMetrics.PATTERNS.get(JobMetrics.COMPLETED)).isEqualTo("\"wrote JobCompleted\"");
    }

    @Test
    void failuresOutsideTheRunnerAreLoggedToo() throws IOException {
        assertThat(read(PROCESSOR.resolve("intake/CommandListener.java"))).contains("\"job {} cannot start: {}\"");
        assertThat(read(PROCESSOR.resolve("supervisor/Supervisor.java"))).contains("worker {} is lost\"");
        assertThat(read(PROCESSOR.resolve("runner/JobRunner.java"))).contains("\"job {} attempt {} is running\"");
        assertThat(JobMetrics.PATTERNS.get(JobMetrics.FAILED)).contains("\"cannot start:\"", "\"is lost\"",
                "\"wrote JobFailed\"");
    }

    private static String read(Path path) throws IOException {
        assertThat(path).exists();
        return Files.readString(path);
    }

    private static String avroSchemas() throws IOException {
        StringBuilder all = new StringBuilder();
        try (var files = Files.walk(Path.of("..", "schemas", "src", "main", "avro"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".avsc")).toList()) {
                all.append(Files.readString(file).replaceAll("\"name\"\\s*:\\s*", "\"name\": "));
            }
        }
        return all.toString();
    }
}
