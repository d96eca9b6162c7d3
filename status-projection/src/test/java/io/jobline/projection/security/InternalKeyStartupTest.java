package io.jobline.projection.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobline.projection.StatusProjectionApplication;

/** The projection refuses to start without an internal key, and says which setting to give it. */
class InternalKeyStartupTest {

    @TempDir
    Path stateDir;

    @Test
    void theProjectionDoesNotStartWithoutAnInternalKey() {
        for (String key : new String[] {null, "   "}) { // absent, or blank
            List<String> args = new ArrayList<>(List.of("--server.port=0", "--spring.main.banner-mode=off",
                    "--spring.kafka.bootstrap-servers=127.0.0.1:1", "--jobline.projection.state-dir=" + stateDir));
            if (key != null) {
                args.add("--jobline.security.internal-key=" + key);
            }
            Throwable failure = catchThrowable(() -> StatusProjectionApplication.application()
                    .run(args.toArray(String[]::new)).close());
            assertThat(failure).as("start-up with key [%s]", key).isNotNull();
            Throwable cause = failure;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            assertThat(cause).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("jobline.security.internal-key is not set")
                    .hasMessageContaining("JOBLINE_SECURITY_INTERNAL_KEY");
        }
    }

    @Test
    void theKeyIsComparedWhole() {
        InternalKey key = new InternalKey("s3cret-key");
        assertThat(key.matches("s3cret-key")).isTrue();
        assertThat(key.matches("s3cret-ke")).isFalse();
        assertThat(key.matches("s3cret-key ")).isFalse();
        assertThat(key.matches("S3CRET-KEY")).isFalse();
        assertThat(key.matches("")).isFalse();
        assertThat(key.matches(null)).isFalse();
        assertThat(new InternalKeyProperties("s3cret-key").toString()).doesNotContain("s3cret");
    }
}
