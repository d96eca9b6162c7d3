package io.jobline.api.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.jobline.api.problem.ApiProblemException;
import io.jobline.api.problem.FieldError;
import io.jobline.schemas.JobStatus;

class ListQueryTest {

    private static final String ID = "0193a5c2-8f00-7000-8000-000000000001";

    @Test
    void defaults() {
        assertThat(ListQuery.parse(null, null, null)).isEqualTo(new ListQuery(null, 50, null));
        assertThat(ListQuery.parse("", "", "")).isEqualTo(new ListQuery(null, 50, null));
    }

    @Test
    void allGiven() {
        assertThat(ListQuery.parse("CANCELLED", "500", PageToken.encode(ID)))
                .isEqualTo(new ListQuery(JobStatus.CANCELLED, 500, ID));
        assertThat(ListQuery.parse(null, "1", null).limit()).isEqualTo(1);
    }

    @Test
    void everyBadParameterIsNamed() {
        ApiProblemException problem = catchThrowableOfType(ApiProblemException.class,
                () -> ListQuery.parse("pending", "0", "x"));
        assertThat(problem.errors()).extracting(FieldError::field).containsExactly("status", "limit", "pageToken");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "501", "-5", " 5", "5 ", "0x10", "1e2", "2147483648", "99999999999999999999", "+5", "\u0661\u0662"})
    void badLimits(String limit) {
        ApiProblemException problem = catchThrowableOfType(ApiProblemException.class, () -> ListQuery.parse(null, limit, null));
        assertThat(problem.errors()).extracting(FieldError::field).containsExactly("limit");
    }

    @Test
    void pageTokenRoundTrip() {
        String token = PageToken.encode(ID);
        assertThat(token).matches("[A-Za-z0-9_-]+");
        assertThat(PageToken.decode(token)).hasValue(ID);
    }

    @ParameterizedTest
    @ValueSource(strings = {"x", "====", "djE6", "djE6MDE5M2E1YzItOGYwMC03MDAwLTgwMDAtMDAwMDAwMDAwMDAx===",
            "djI6MDE5M2E1YzItOGYwMC03MDAwLTgwMDAtMDAwMDAwMDAwMDAx", "a+b/", "%00"})
    void foreignPageTokensAreRejected(String token) {
        assertThat(PageToken.decode(token)).isEmpty();
    }

    @Test
    void overlongPageTokenIsRejected() {
        assertThat(PageToken.decode(PageToken.encode(ID).repeat(10))).isEmpty();
    }
}
