package io.jobline.api.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.jobline.api.problem.ApiProblemException;
import io.jobline.api.problem.FieldError;

class HistoryQueryTest {

    @Test
    void defaultsAreLeftToTheProjection() {
        assertThat(HistoryQuery.parse(null, null)).isEqualTo(new HistoryQuery(null, null));
        assertThat(HistoryQuery.parse("", "")).isEqualTo(new HistoryQuery(null, null));
    }

    @Test
    void allGiven() {
        assertThat(HistoryQuery.parse("0", "1")).isEqualTo(new HistoryQuery(0L, 1));
        assertThat(HistoryQuery.parse("123456789012", "10000")).isEqualTo(new HistoryQuery(123456789012L, 10000));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "x", "1.5", "+1", "9999999999999999999", " 1"})
    void badAfter(String after) {
        ApiProblemException problem = catchThrowableOfType(ApiProblemException.class, () -> HistoryQuery.parse(after, null));
        assertThat(problem.errors()).extracting(FieldError::field).containsExactly("after");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "10001", "-1", "x", "99999999999"})
    void badLimit(String limit) {
        ApiProblemException problem = catchThrowableOfType(ApiProblemException.class, () -> HistoryQuery.parse(null, limit));
        assertThat(problem.errors()).extracting(FieldError::field).containsExactly("limit");
    }
}
