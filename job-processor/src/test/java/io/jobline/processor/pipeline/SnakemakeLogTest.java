package io.jobline.processor.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class SnakemakeLogTest {

    private final RecordingListener listener = new RecordingListener();

    @Test
    void passesEveryLineOnAndReportsProgressWhenItChanges() {
        SnakemakeLog log = new SnakemakeLog(listener, 20);
        for (String line : List.of("Building DAG of jobs...", "1 of 8 steps (12%) done", "Select jobs to execute...",
                "2 of 8 steps (25%) done", "2 of 8 steps (25%) done", "  8 of 8 steps (100%) done  ",
                "echo 3 of 9 steps (33%) done now")) {
            log.line(line);
        }
        assertThat(listener.lines()).hasSize(7).startsWith("Building DAG of jobs...");
        assertThat(listener.progress()).containsExactly(new RecordingListener.Progress(1, 8),
                new RecordingListener.Progress(2, 8), new RecordingListener.Progress(8, 8));
    }

    @Test
    void keepsTheLastLines() {
        SnakemakeLog log = new SnakemakeLog(listener, 3);
        for (int i = 1; i <= 10; i++) {
            log.line("line " + i);
        }
        assertThat(log.tail()).containsExactly("line 8", "line 9", "line 10");
        assertThat(new SnakemakeLog(listener, 0).tail()).isEmpty();
    }

    @Test
    void remembersTheFirstFailedRule() {
        SnakemakeLog log = new SnakemakeLog(listener, 20);
        log.line("[Sun Nov 29 09:45:27 2026]");
        log.line("Error in rule count_words:");
        log.line("    jobid: 4");
        log.line("Error in rule combine:");
        assertThat(log.firstError()).isEqualTo("Error in rule count_words");
    }

    @Test
    void remembersAnErrorInTheSnakefileWithItsMessage() {
        SnakemakeLog log = new SnakemakeLog(listener, 20);
        log.line("ValueError in file /w/steps/Snakefile, line 11:");
        log.line("parameter steps must be a whole number from 1 to 100, got 'x'");
        log.line("  File \"/w/steps/Snakefile\", line 22, in <module>");
        assertThat(log.firstError()).isEqualTo("ValueError in file /w/steps/Snakefile, line 11: "
                + "parameter steps must be a whole number from 1 to 100, got 'x'");
    }

    @Test
    void hasNoErrorForAnOrdinaryRun() {
        SnakemakeLog log = new SnakemakeLog(listener, 20);
        log.line("Finished job 0.");
        assertThat(log.firstError()).isNull();
    }
}
