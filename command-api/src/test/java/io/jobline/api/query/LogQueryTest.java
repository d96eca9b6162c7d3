package io.jobline.api.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.jobline.api.problem.ApiProblemException;
import io.jobline.api.problem.FieldError;

class LogQueryTest {

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "null, null, null, null", "'', '', null, null", "1, 1, 1, 1", "7, 10000, 7, 10000", "123456789, 5, 123456789, 5"})
    void validQueries(String attempt, String tail, Integer expectedAttempt, Integer expectedTail) {
        assertThat(LogQuery.parse(attempt, tail)).isEqualTo(new LogQuery(expectedAttempt, expectedTail));
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "0, null, attempt", "-1, null, attempt", "+1, null, attempt", "a, null, attempt", "1.0, null, attempt",
            "9999999999, null, attempt", "null, 0, tail", "null, 10001, tail", "null, -5, tail", "null, x, tail",
            "null, ' 5', tail"})
    void invalidQueriesNameTheParameter(String attempt, String tail, String field) {
        ApiProblemException problem = catchThrowableOfType(ApiProblemException.class, () -> LogQuery.parse(attempt, tail));
        assertThat(problem.status().value()).isEqualTo(400);
        assertThat(problem.errors()).extracting(FieldError::field).containsExactly(field);
    }
}
