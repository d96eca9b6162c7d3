package io.jobline.api.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.jobline.api.view.JobLog;

class JobLogControllerTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "text/plain                                   | true",
            "text/*                                       | true",
            "text/plain, */*;q=0.1                        | true",
            "text/plain;q=0.9, application/json;q=0.5     | true",
            "text/plain, application/problem+json         | true",
            "application/json                             | false",
            "*/*                                          | false",
            "application/json, text/plain                 | false",
            "application/*, text/plain                    | false",
            "text/plain;q=0.5, application/json           | false",
            "text/html                                    | false",
            "text/plain;q=0                               | false"})
    void textOnlyWhenPreferredToJson(String accept, boolean text) {
        List<String> values = Arrays.stream(accept.split(",")).map(String::strip).toList();
        assertThat(JobLogController.prefersText(values)).as(accept).isEqualTo(text);
    }

    @Test
    void noAcceptMeansJson() {
        assertThat(JobLogController.prefersText(null)).isFalse();
        assertThat(JobLogController.prefersText(List.of())).isFalse();
    }

    @Test
    void textEndsEveryLineWithANewline() {
        assertThat(JobLogController.asText(new JobLog("j", 1, 1, List.of("a", "", "b"), 3))).isEqualTo("a\n\nb\n");
        assertThat(JobLogController.asText(new JobLog("j", 1, 1, List.of(), 0))).isEmpty();
    }
}
