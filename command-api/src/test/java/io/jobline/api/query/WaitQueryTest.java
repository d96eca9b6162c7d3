package io.jobline.api.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.jobline.api.problem.ApiProblemException;
import io.jobline.api.problem.FieldError;

class WaitQueryTest {

    @Test
    void noWaitForNoWait() {
        assertThat(WaitQuery.parse(null, null, null)).isNull();
        assertThat(WaitQuery.parse("", "", "")).isNull();
    }

    @Test
    void theTimeoutDefaultsTo30Seconds() {
        assertThat(WaitQuery.parse("COMPLETED", null, null)).isEqualTo(new WaitQuery("COMPLETED", Duration.ofSeconds(30), null));
        assertThat(WaitQuery.parse("change", "", "")).isEqualTo(new WaitQuery("change", Duration.ofSeconds(30), null));
    }

    @Test
    void changeTakesTheVersionTheClientHasSeen() {
        assertThat(WaitQuery.parse("change", "5s", "42")).isEqualTo(new WaitQuery("change", Duration.ofSeconds(5), 42L));
        assertThat(WaitQuery.parse("change", null, "0").version()).isZero();
    }

    @ParameterizedTest
    @CsvSource({"30s, 30000", "1ms, 1", "500ms, 500", "60s, 60000", "1m, 60000", "PT30S, 30000", "pt0.25s, 250",
            "PT1M, 60000", "PT1.0005S, 1000", "45S, 45000"})
    void timeouts(String text, long millis) {
        assertThat(WaitQuery.parse("RUNNING", text, null).timeout()).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0s", "0ms", "PT0S", "PT0.0005S", "61s", "60001ms", "2m", "PT61S", "PT-5S", "-5s", "30",
            "30 s", "s", "thirty seconds", "1h", "P1D", "9999999999s", "PT9999999999999999H", "30s,30s"})
    void badTimeoutsAreNamed(String timeout) {
        ApiProblemException problem = catchThrowableOfType(ApiProblemException.class,
                () -> WaitQuery.parse("RUNNING", timeout, null));
        assertThat(problem.errors()).extracting(FieldError::field).containsExactly("timeout");
    }

    @ParameterizedTest
    @ValueSource(strings = {"running", "DONE", "CHANGE", "changed", "RUNNING,COMPLETED", " RUNNING"})
    void badWaitForIsNamed(String waitFor) {
        ApiProblemException problem = catchThrowableOfType(ApiProblemException.class,
                () -> WaitQuery.parse(waitFor, null, null));
        assertThat(problem.errors()).extracting(FieldError::field).containsExactly("waitFor");
    }

    @Test
    void everyStatusCanBeWaitedFor() {
        for (String status : new String[] {"PENDING", "RUNNING", "CANCELLING", "COMPLETED", "FAILED", "CANCELLED"}) {
            assertThat(WaitQuery.parse(status, null, null).waitFor()).isEqualTo(status);
        }
    }

    @Test
    void timeoutAndVersionNeedWaitFor() {
        ApiProblemException problem = catchThrowableOfType(ApiProblemException.class, () -> WaitQuery.parse(null, "5s", "3"));
        assertThat(problem.errors()).extracting(FieldError::field).containsExactly("timeout", "version");
    }

    @Test
    void versionIsOnlyForChange() {
        ApiProblemException problem = catchThrowableOfType(ApiProblemException.class,
                () -> WaitQuery.parse("COMPLETED", null, "3"));
        assertThat(problem.errors()).extracting(FieldError::field).containsExactly("version");
        for (String bad : new String[] {"-1", "1.0", "x", "9999999999999999999", "+1"}) {
            ApiProblemException badVersion = catchThrowableOfType(ApiProblemException.class,
                    () -> WaitQuery.parse("change", null, bad));
            assertThat(badVersion.errors()).as(bad).extracting(FieldError::field).containsExactly("version");
        }
    }

    @Test
    void everyBadParameterIsNamed() {
        ApiProblemException problem = catchThrowableOfType(ApiProblemException.class,
                () -> WaitQuery.parse("never", "forever", null));
        assertThat(problem.errors()).extracting(FieldError::field).containsExactly("waitFor", "timeout");
    }
}
