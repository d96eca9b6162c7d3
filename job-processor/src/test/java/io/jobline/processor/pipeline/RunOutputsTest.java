package io.jobline.processor.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunOutputsTest {

    @TempDir
    Path workingDir;

    private void file(String path, int size) throws IOException {
        Path file = workingDir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[size]);
    }

    @Test
    void listsTheFilesLeftBehindSortedWithSizesButNotSnakemakesOrJoblinesOwn() throws IOException {
        file("results/b.txt", 3);
        file("results/a.txt", 0);
        file("summary.csv", 12);
        file("deep/er/x.bin", 1);
        file(".snakemake/log/run.log", 100);
        file(SnakemakePipeline.PARAMETERS_FILE, 20);
        file(RunMarker.FILE, 90);
        file("sub/.snakemake/kept.txt", 2);
        Files.createDirectories(workingDir.resolve("empty-folder"));
        Files.createSymbolicLink(workingDir.resolve("link"), workingDir.resolve("summary.csv"));

        RunOutputs.Listing listing = RunOutputs.list(workingDir);

        assertThat(listing.files()).containsExactly(
                new OutputFile("deep/er/x.bin", 1),
                new OutputFile("results/a.txt", 0),
                new OutputFile("results/b.txt", 3),
                new OutputFile("sub/.snakemake/kept.txt", 2),
                new OutputFile("summary.csv", 12));
        assertThat(listing.omitted()).isZero();
    }

    @Test
    void keepsTheFirstThousandByPath() throws IOException {
        for (int i = 0; i < RunOutputs.MAX_FILES + 5; i++) {
            file(String.format("out/%04d.txt", i), 1);
        }
        RunOutputs.Listing listing = RunOutputs.list(workingDir);
        assertThat(listing.files()).hasSize(RunOutputs.MAX_FILES);
        assertThat(listing.files().get(0).path()).isEqualTo("out/0000.txt");
        assertThat(listing.files().get(RunOutputs.MAX_FILES - 1).path()).isEqualTo("out/0999.txt");
        assertThat(listing.omitted()).isEqualTo(5);
    }
}
