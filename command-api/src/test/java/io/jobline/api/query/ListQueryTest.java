package io.jobline.api.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.jobline.api.problem.ApiProblemException;
import io.jobline.api.problem.FieldError;
import io.jobline.schemas.JobStatus;

class ListQueryTest {

    private static final String ID = "0193a5c2-8f00-7000-8000-000000000001";
    private static final Instant T1 = Instant.parse("2026-11-29T08:00:00Z");
    private static final Instant T2 = Instant.parse("2026-11-30T00:00:00Z");

    @Test
    void defaults() {
        assertThat(ListQuery.parse(null, null, null, null, null, null)).isEqualTo(new ListQuery(ListFilters.NONE, 50, null));
        assertThat(ListQuery.parse("", "", "", "", "", "")).isEqualTo(new ListQuery(ListFilters.NONE, 50, null));
    }

    @Test
    void allGiven() {
        ListFilters filters = new ListFilters(JobStatus.CANCELLED, "rnaseq", T1, T2);
        assertThat(ListQuery.parse("CANCELLED", "rnaseq", "2026-11-29T08:00:00Z", "2026-11-30T00:00:00Z", "500",
                PageToken.encode(ID, filters)))
                .isEqualTo(new ListQuery(filters, 500, ID));
        assertThat(parse("limit", "1").limit()).isEqualTo(1);
    }

    @Test
    void instantsMayHaveOffsetsFractionsAndAnUnencodedPlus() {
        assertThat(parse("submittedAfter", "2026-11-29T09:00:00+01:00").filters().submittedAfter()).isEqualTo(T1);
        assertThat(parse("submittedAfter", "2026-11-29T09:00:00 01:00").filters().submittedAfter()).isEqualTo(T1);
        assertThat(parse("submittedAfter", "2026-11-29t08:00:00z").filters().submittedAfter()).isEqualTo(T1);
        assertThat(parse("submittedBefore", "2026-11-29T08:00:00.123Z").filters().submittedBefore())
                .isEqualTo(T1.plusMillis(123));
    }

    @Test
    void subMillisecondInstantsRoundUpToTheNextMillisecondAsJobTimesAreWholeMilliseconds() {
        assertThat(parse("submittedAfter", "2026-11-29T08:00:00.000001Z").filters().submittedAfter())
                .isEqualTo(T1.plusMillis(1));
        assertThat(parse("submittedBefore", "2026-11-29T08:00:00.999999999Z").filters().submittedBefore())
                .isEqualTo(T1.plusSeconds(1));
    }

    @Test
    void everyBadParameterIsNamed() {
        ApiProblemException problem = catchThrowableOfType(ApiProblemException.class,
                () -> ListQuery.parse("pending", "a\nb", "yesterday", "2026-13-01T00:00:00Z", "0", "x"));
        assertThat(problem.errors()).extracting(FieldError::field)
                .containsExactly("status", "workflow", "submittedAfter", "submittedBefore", "limit", "pageToken");
    }

    @ParameterizedTest
    @CsvSource({
            "2026-11-29T08:00:00Z, 2026-11-29T08:00:00Z",
            "2026-11-30T00:00:00Z, 2026-11-29T08:00:00Z",
            "2026-11-29T08:00:00.0001Z, 2026-11-29T08:00:00.0009Z"})
    void anEmptyOrReversedRangeNamesSubmittedBefore(String after, String before) {
        ApiProblemException problem = catchThrowableOfType(ApiProblemException.class,
                () -> ListQuery.parse(null, null, after, before, null, null));
        assertThat(problem.errors()).extracting(FieldError::field).containsExactly("submittedBefore");
        assertThat(problem.getMessage()).contains("later than submittedAfter");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-29", "2026-11-29T08:00:00", "1733652811520", "2026-11-29T25:00:00Z",
            "+10000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "2026-11-29T08:00:00Z,2026-11-30T00:00:00Z", " "})
    void badInstants(String instant) {
        for (String name : new String[] {"submittedAfter", "submittedBefore"}) {
            ApiProblemException problem = catchThrowableOfType(ApiProblemException.class, () -> parse(name, instant));
            assertThat(problem.errors()).extracting(FieldError::field).containsExactly(name);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rnaseq", "My Workflow", "a&b=c+d", "\u00e4\u6f22"})
    void anyPrintableWorkflowNameIsAFilter(String workflow) {
        assertThat(parse("workflow", workflow).filters().workflow()).isEqualTo(workflow);
    }

    @Test
    void badWorkflows() {
        for (String workflow : new String[] {"a\u0000b", "tab\t", "x".repeat(129)}) {
            ApiProblemException problem = catchThrowableOfType(ApiProblemException.class, () -> parse("workflow", workflow));
            assertThat(problem.errors()).extracting(FieldError::field).containsExactly("workflow");
        }
        assertThat(parse("workflow", "x".repeat(128)).filters().workflow()).hasSize(128);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "501", "-5", " 5", "5 ", "0x10", "1e2", "2147483648", "99999999999999999999", "+5", "\u0661\u0662"})
    void badLimits(String limit) {
        ApiProblemException problem = catchThrowableOfType(ApiProblemException.class, () -> parse("limit", limit));
        assertThat(problem.errors()).extracting(FieldError::field).containsExactly("limit");
    }

    @Test
    void pageTokenRoundTrip() {
        ListFilters filters = new ListFilters(JobStatus.RUNNING, "mock", T1, null);
        String token = PageToken.encode(ID, filters);
        assertThat(token).matches("[A-Za-z0-9_-]+");
        assertThat(PageToken.decode(token)).hasValueSatisfying(decoded -> {
            assertThat(decoded.after()).isEqualTo(ID);
            assertThat(decoded.belongsTo(filters)).isTrue();
        });
    }

    @Test
    void aPageTokenIsOnlyTakenWithTheFiltersOfItsListing() {
        ListFilters filters = new ListFilters(JobStatus.RUNNING, "mock", T1, T2);
        String token = PageToken.encode(ID, filters);
        // the same filters, spelt otherwise, and another page size
        assertThat(ListQuery.parse("RUNNING", "mock", "2026-11-29T09:00:00+01:00", "2026-11-30T00:00:00.000Z", "7", token)
                .after()).isEqualTo(ID);
        String[][] others = {
                {null, "mock", "2026-11-29T08:00:00Z", "2026-11-30T00:00:00Z"},
                {"FAILED", "mock", "2026-11-29T08:00:00Z", "2026-11-30T00:00:00Z"},
                {"RUNNING", null, "2026-11-29T08:00:00Z", "2026-11-30T00:00:00Z"},
                {"RUNNING", "mock2", "2026-11-29T08:00:00Z", "2026-11-30T00:00:00Z"},
                {"RUNNING", "mock", null, "2026-11-30T00:00:00Z"},
                {"RUNNING", "mock", "2026-11-29T08:00:00.001Z", "2026-11-30T00:00:00Z"},
                {"RUNNING", "mock", "2026-11-29T08:00:00Z", null},
                {"RUNNING", "mock", "2026-11-29T08:00:00Z", "2026-11-30T00:00:01Z"}};
        for (String[] other : others) {
            ApiProblemException problem = catchThrowableOfType(ApiProblemException.class,
                    () -> ListQuery.parse(other[0], other[1], other[2], other[3], null, token));
            assertThat(problem.errors()).as(String.join(",", String.valueOf(other[0]), other[1], other[2], other[3]))
                    .extracting(FieldError::field).containsExactly("pageToken");
            assertThat(problem.getMessage()).contains("other filters");
        }
        ApiProblemException unfiltered = catchThrowableOfType(ApiProblemException.class,
                () -> ListQuery.parse(null, null, null, null, null, token));
        assertThat(unfiltered.errors()).extracting(FieldError::field).containsExactly("pageToken");
    }

    @Test
    void fieldsDoNotRunIntoEachOtherInTheFingerprint() {
        assertThat(new ListFilters(null, "a", null, null).fingerprint())
                .isNotEqualTo(new ListFilters(null, null, null, null).fingerprint())
                .isNotEqualTo(new ListFilters(JobStatus.PENDING, null, null, null).fingerprint());
        assertThat(new ListFilters(null, null, T1, null).fingerprint())
                .isNotEqualTo(new ListFilters(null, null, null, T1).fingerprint());
    }

    @ParameterizedTest
    @ValueSource(strings = {"x", "====", "djE6", "djE6MDE5M2E1YzItOGYwMC03MDAwLTgwMDAtMDAwMDAwMDAwMDAx",
            "djE6MDE5M2E1YzItOGYwMC03MDAwLTgwMDAtMDAwMDAwMDAwMDAx===",
            "djI6MDE5M2E1YzItOGYwMC03MDAwLTgwMDAtMDAwMDAwMDAwMDAx", "a+b/", "%00"})
    void foreignPageTokensAreRejected(String token) {
        assertThat(PageToken.decode(token)).isEmpty();
    }

    @Test
    void tamperedPageTokensAreRejected() {
        String content = new String(Base64.getUrlDecoder().decode(PageToken.encode(ID, ListFilters.NONE)),
                StandardCharsets.US_ASCII);
        for (String tampered : new String[] {content + "x", content.substring(0, content.length() - 1),
                content.replace("v2:", "v3:"), content.toUpperCase(), "v2:" + ID}) {
            assertThat(PageToken.decode(Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(tampered.getBytes(StandardCharsets.US_ASCII)))).as(tampered).isEmpty();
        }
    }

    @Test
    void overlongPageTokenIsRejected() {
        assertThat(PageToken.decode(PageToken.encode(ID, ListFilters.NONE).repeat(10))).isEmpty();
    }

    private static ListQuery parse(String name, String value) {
        return ListQuery.parse(
                name.equals("status") ? value : null,
                name.equals("workflow") ? value : null,
                name.equals("submittedAfter") ? value : null,
                name.equals("submittedBefore") ? value : null,
                name.equals("limit") ? value : null,
                null);
    }
}
