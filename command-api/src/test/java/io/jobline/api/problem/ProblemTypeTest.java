package io.jobline.api.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class ProblemTypeTest {

    @Test
    void eachTypeHasAStatusOfItsOwnAndAUriUnderTheBase() {
        assertThat(Arrays.stream(ProblemType.values()).map(ProblemType::status).distinct())
                .hasSize(ProblemType.values().length);
        for (ProblemType type : ProblemType.values()) {
            assertThat(ProblemType.of(type.status())).isEqualTo(type);
            assertThat(type.uri().toString()).startsWith(ProblemType.BASE).matches(".*/[a-z-]+$");
        }
    }

    @Test
    void anUnexpectedStatusGetsTheTypeOfItsClass() {
        assertThat(ProblemType.of(418)).isEqualTo(ProblemType.INVALID_REQUEST);
        assertThat(ProblemType.of(502)).isEqualTo(ProblemType.INTERNAL_ERROR);
    }

    @Test
    void theFrameworksProblemsGetTheTypeOfTheirStatusAndTheHeaderAtFault() {
        var unsupported = Problems.complete(org.springframework.http.ProblemDetail.forStatus(415));
        assertThat(unsupported.getType()).isEqualTo(ProblemType.UNSUPPORTED_MEDIA_TYPE.uri());
        assertThat(unsupported.getProperties()).containsEntry("field", "Content-Type");
        var notFound = Problems.complete(org.springframework.http.ProblemDetail.forStatus(404));
        assertThat(notFound.getType()).isEqualTo(ProblemType.NOT_FOUND.uri());
        assertThat(notFound.getProperties()).isNull();
    }
}
