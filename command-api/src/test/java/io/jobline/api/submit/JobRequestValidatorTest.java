package io.jobline.api.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.jobline.api.ApiProperties;
import io.jobline.api.problem.ApiProblemException;
import io.jobline.api.problem.FieldError;

class JobRequestValidatorTest {

    private static final Pattern DEFAULT_VALUES = Pattern.compile(ApiProperties.DEFAULT_PARAMETER_VALUE_PATTERN);

    private final JobRequestValidator validator = new JobRequestValidator(List.of("mock", "rnaseq"), DEFAULT_VALUES);

    // --- valid requests

    @Test
    void workflowAloneIsValidWithNoParameters() {
        SubmitJobRequest request = valid("{\"workflow\":\"mock\"}");
        assertThat(request.workflow()).isEqualTo("mock");
        assertThat(request.parameters()).isEmpty();
    }

    @Test
    void parametersAreKeptInOrder() {
        SubmitJobRequest request = valid("{\"parameters\":{\"b\":\"2\",\"a\":\"1\",\"_x.y-z\":\"\"},\"workflow\":\"rnaseq\"}");
        assertThat(request.workflow()).isEqualTo("rnaseq");
        assertThat(request.parameters()).containsExactly(Map.entry("b", "2"), Map.entry("a", "1"), Map.entry("_x.y-z", ""));
    }

    @Test
    void limitsAreInclusive() {
        String params = IntStream.range(0, JobRequestValidator.MAX_PARAMETERS)
                .mapToObj(i -> "\"k" + i + "\":\"v\"").collect(Collectors.joining(","));
        assertThat(valid("{\"workflow\":\"mock\",\"parameters\":{" + params + "}}").parameters()).hasSize(100);
        assertThat(valid(params("\"" + "k".repeat(64) + "\":\"v\"")).parameters()).hasSize(1);
        assertThat(valid(params("\"a\":\"" + "x".repeat(4096) + "\"")).parameters().get("a")).hasSize(4096);
        // 1365 three-byte letters = 4095 bytes, plus one = 4096
        assertThat(valid(params("\"a\":\"" + "\u6f22".repeat(1365) + "x\"")).parameters()).hasSize(1);
        // a 4-byte character (a letter outside the BMP) counts 4
        assertThat(valid(params("\"a\":\"" + "\ud835\udc00".repeat(1024) + "\"")).parameters()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "S1", "hg38", "sample 1", "a.b_c-d", "x=1,y=2", "50%", "me@example.org", "1+1",
            "data/raw/S1.fastq", "s3:bucket/key", "a..b", "...", "./a", "a/./b", "\u00e4\u00f6\u6f22\u0661"})
    void valuesOfLettersDigitsSpaceAndSafePunctuationAreValid(String value) {
        assertThat(validator.checkValue(value)).as(value).isNull();
    }

    static Stream<Arguments> shellCharacters() {
        return Stream.of(
                Arguments.of("x; touch marker", "';' (U+003B)"),
                Arguments.of("$(touch marker)", "'$' (U+0024)"),
                Arguments.of("`touch marker`", "'`' (U+0060)"),
                Arguments.of("a | b", "'|' (U+007C)"),
                Arguments.of("a && b", "'&' (U+0026)"),
                Arguments.of("a > b", "'>' (U+003E)"),
                Arguments.of("a < b", "'<' (U+003C)"),
                Arguments.of("*.txt", "'*' (U+002A)"),
                Arguments.of("it's", "''' (U+0027)"),
                Arguments.of("say \"hi\"", "'\"' (U+0022)"),
                Arguments.of("a\\b", "'\\' (U+005C)"),
                Arguments.of("~/x", "'~' (U+007E)"),
                Arguments.of("#x", "'#' (U+0023)"),
                Arguments.of("{x}", "'{' (U+007B)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shellCharacters")
    void shellMetacharactersQuotesAndBackslashAreRejectedNamingTheCharacter(String value, String named) {
        assertThat(validator.checkValue(value)).as(value).startsWith("must not contain " + named);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\nb", "a\rb", "a\tb", "\u0001", "\u007f", "\u0085", "\u2028", "\u202e", "a\u00a0b"})
    void controlAndInvisibleCharactersAreRejectedByCodePoint(String value) {
        assertThat(validator.checkValue(value)).as(value).matches("must not contain U\\+[0-9A-F]{4} .*");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/abs", "/", "/etc/passwd", "//host/share"})
    void absolutePathsAreRejected(String value) {
        assertThat(validator.checkValue(value)).isEqualTo("must not be an absolute path");
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "../etc", "a/../../b", "a/..", "x/../y"})
    void dotDotPathSegmentsAreRejected(String value) {
        assertThat(validator.checkValue(value)).isEqualTo("must not contain a '..' path segment");
    }

    @Test
    void theValuePatternIsConfigurable() {
        JobRequestValidator digitsOnly = new JobRequestValidator(List.of("mock"), Pattern.compile("[0-9]*"));
        assertThat(digitsOnly.checkValue("123")).isNull();
        assertThat(digitsOnly.checkValue("12a"))
                .isEqualTo("must not contain 'a' (U+0061) (character 3); values must match [0-9]*");
        JobRequestValidator shortOnes = new JobRequestValidator(List.of("mock"), Pattern.compile("[a-z]{1,3}"));
        assertThat(shortOnes.checkValue("abcd")).isEqualTo("must match [a-z]{1,3}");
        // the path rules hold whatever the pattern
        JobRequestValidator anything = new JobRequestValidator(List.of("mock"), Pattern.compile(".*"));
        assertThat(anything.checkValue("/abs")).isNotNull();
        assertThat(anything.checkValue("../x")).isNotNull();
    }

    @Test
    void eachRejectedValueIsNamedByItsKey() {
        List<FieldError> errors = invalid(params("\"ok\":\"fine\",\"cmd\":\"x; touch m\",\"path\":\"../etc\""));
        assertThat(errors).extracting(FieldError::field).containsExactly("parameters.cmd", "parameters.path");
        assertThat(errors.get(0).message()).contains("';'");
    }

    @Test
    void whitespaceAndByteOrderMarkAroundTheObjectAreFine() {
        assertThat(valid(" \n{ \"workflow\" : \"mock\" }\n ").workflow()).isEqualTo("mock");
        byte[] bom = "\ufeff{\"workflow\":\"mock\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(validator.validate(bom).workflow()).isEqualTo("mock");
    }

    @Test
    void emptyParametersObjectIsValid() {
        assertThat(valid("{\"workflow\":\"mock\",\"parameters\":{}}").parameters()).isEmpty();
    }

    // --- one case per rule

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            // body must be one JSON object
            "``                                                   | body",
            "null                                                 | body",
            "[]                                                   | body",
            "42                                                   | body",
            "`\"mock\"`                                           | body",
            "`{\"workflow\":\"mock\"`                             | body",
            "`{\"workflow\":\"mock\"} {}`                         | body",
            "`{\"workflow\":\"mock\"} x`                          | body",
            // workflow: required, a string, configured
            "{}                                                   | workflow",
            "`{\"workflow\":null}`                                | workflow",
            "`{\"workflow\":true}`                                | workflow",
            "`{\"workflow\":{}}`                                  | workflow",
            "`{\"workflow\":\"other\"}`                           | workflow",
            // unknown top-level fields, named
            "`{\"workflow\":\"mock\",\"callback\":\"http://x\"}`  | callback",
            // parameters: an object of strings
            "`{\"workflow\":\"mock\",\"parameters\":null}`        | parameters",
            "`{\"workflow\":\"mock\",\"parameters\":[]}`          | parameters",
            "`{\"workflow\":\"mock\",\"parameters\":{\"a\":1}}`   | parameters.a",
            "`{\"workflow\":\"mock\",\"parameters\":{\"a\":[]}}`  | parameters.a",
            // keys
            "`{\"workflow\":\"mock\",\"parameters\":{\"-a\":\"v\"}}`   | parameters.-a",
            "`{\"workflow\":\"mock\",\"parameters\":{\".a\":\"v\"}}`   | parameters..a",
            "`{\"workflow\":\"mock\",\"parameters\":{\"a$\":\"v\"}}`   | parameters.a$",
            // duplicates
            "`{\"workflow\":\"mock\",\"workflow\":\"mock\"}`                 | workflow",
            "`{\"workflow\":\"mock\",\"parameters\":{\"a\":\"1\",\"a\":\"1\"}}` | parameters.a"})
    void eachRuleNamesItsField(String body, String field) {
        assertThat(invalid(body).get(0).field()).isEqualTo(field);
    }

    @Test
    void tooManyParameters() {
        String params = IntStream.range(0, 101).mapToObj(i -> "\"k" + i + "\":\"v\"").collect(Collectors.joining(","));
        assertThat(invalid("{\"workflow\":\"mock\",\"parameters\":{" + params + "}}").get(0))
                .isEqualTo(new FieldError("parameters", "must have at most 100 entries, got 101"));
    }

    @Test
    void keyTooLong() {
        String key = "k".repeat(65);
        assertThat(invalid(params("\"" + key + "\":\"v\"")).get(0).field()).isEqualTo("parameters." + key);
    }

    @Test
    void valueTooLongInBytes() {
        assertThat(invalid(params("\"a\":\"" + "x".repeat(4097) + "\"")).get(0))
                .isEqualTo(new FieldError("parameters.a", "must be at most 4096 bytes in UTF-8, got 4097"));
        assertThat(invalid(params("\"a\":\"" + "\u20ac".repeat(1366) + "\"")).get(0).message()).endsWith("got 4098");
    }

    @Test
    void valueWithNulOrUnpairedSurrogate() {
        assertThat(invalid(params("\"a\":\"\\u0000\"")).get(0).field()).isEqualTo("parameters.a");
        assertThat(invalid(params("\"a\":\"\\ud800x\"")).get(0).field()).isEqualTo("parameters.a");
        assertThat(invalid(params("\"a\":\"\\udc00\"")).get(0).field()).isEqualTo("parameters.a");
        assertThat(invalid(params("\"a\":\"x\\ud83d\"")).get(0).field()).isEqualTo("parameters.a");
    }

    @Test
    void bodyTooLargeIs413NamingBody() {
        byte[] body = new byte[JobRequestValidator.MAX_BODY_BYTES + 1];
        ApiProblemException problem = catchThrowableOfType(ApiProblemException.class, () -> validator.validate(body));
        assertThat(problem.status().value()).isEqualTo(413);
        assertThat(problem.type()).hasToString("https://jobline.io/problems/payload-too-large");
        assertThat(problem.errors()).containsExactly(new FieldError("body", "must be at most 65536 bytes"));
    }

    @Test
    void missingWorkflowIsReportedFirstEvenAfterOtherErrors() {
        List<FieldError> errors = invalid("{\"x\":1,\"parameters\":{\"a\":2}}");
        assertThat(errors).extracting(FieldError::field).containsExactly("workflow", "x", "parameters.a");
    }

    @Test
    void errorsAreBounded() {
        String body = "{" + IntStream.range(0, 500).mapToObj(i -> "\"f" + i + "\":0").collect(Collectors.joining(",")) + "}";
        assertThat(invalid(body)).hasSize(JobRequestValidator.MAX_ERRORS);
    }

    @Test
    void hugeNamesAreShortenedInTheAnswer() {
        String name = "n".repeat(10_000);
        FieldError error = invalid("{\"workflow\":\"mock\",\"" + name + "\":1}").get(0);
        assertThat(error.field()).hasSizeLessThan(100).endsWith("...");
    }

    // --- hostile input never escapes as an exception other than a 400

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"workflow\":1e999999999}", "{\"workflow\":\"mock\",\"x\":123456789012345678901234567890e12345}",
            "{\"workflow\":\"mock\",\"x\":-0.0000000000000000000000001}", "{\"workflow\":\"mock\",\"x\":NaN}",
            "{\"workflow\":\"mock\",\"x\":Infinity}", "{\"workflow\":\"mock\",\"x\":01}", "{\"workflow\":\"mock\",\"x\":.5}",
            "{\"workflow\":'mock'}", "{workflow:\"mock\"}", "{\"workflow\":\"mock\",,}", "{,}", "{\"a\" \"b\"}",
            "{\"workflow\":\"\\x41\"}", "{\"workflow\":\"\\u12\"}", "\"\\uD800\"", "{\"workflow\":\"mock\"}]", "}", "]",
            "\u0000", "{\"workflow\":\"mo\u0000ck\"}", "{\"workflow\":\"mo\nck\"}", "// x\n{\"workflow\":\"mock\"}",
            "{\"workflow\":\"mock\"} // x", "{\"workflow\":\"mock\",\"parameters\":{\"a\":\"b\"}},"})
    void malformedInputIsA400(String body) {
        assertThat(invalid(body)).isNotEmpty();
    }

    @Test
    void deepNestingIsA400() {
        String deep = "[".repeat(60_000); // within the 64 KiB a body may have
        assertThat(invalid("{\"workflow\":\"mock\",\"x\":" + deep).get(0).field()).isEqualTo("body");
        assertThat(invalid("{\"workflow\":\"mock\",\"parameters\":{\"a\":" + "{\"b\":".repeat(1000)).get(0).field())
                .isIn("body", "parameters.a");
    }

    @Test
    void hugeNumbersAreA400() {
        assertThat(invalid("9".repeat(60_000)).get(0).field()).isEqualTo("body");
        assertThat(invalid("{\"workflow\":" + "9".repeat(60_000) + "}").get(0).field()).isIn("body", "workflow");
    }

    @Test
    void brokenUtf8IsA400() {
        byte[] body = {'{', '"', 'w', '"', ':', '"', (byte) 0xFF, (byte) 0xFE, '"', '}'};
        assertThat(invalid(body).get(0).field()).isEqualTo("body");
        byte[] truncated = {'{', '"', (byte) 0xE2, (byte) 0x82};
        assertThat(invalid(truncated).get(0).field()).isEqualTo("body");
    }

    @Test
    void otherUnicodeEncodingsAreNotRequired() {
        // JSON is UTF-8 (RFC 8259); whatever Jackson makes of UTF-16 must still end as a result or a 400
        byte[] utf16 = "{\"workflow\":\"mock\"}".getBytes(StandardCharsets.UTF_16);
        try {
            assertThat(validator.validate(utf16).workflow()).isEqualTo("mock");
        } catch (ApiProblemException e) {
            assertThat(e.status().value()).isEqualTo(400);
        }
    }

    @Test
    void randomBytesNeverThrowAnythingButA400() {
        Random random = new Random(42);
        for (int i = 0; i < 2_000; i++) {
            byte[] body = new byte[random.nextInt(200)];
            random.nextBytes(body);
            if (random.nextBoolean() && body.length > 0) {
                body[0] = '{';
            }
            try {
                validator.validate(body);
            } catch (ApiProblemException e) {
                assertThat(e.status().value()).isEqualTo(400);
            }
        }
    }

    @Test
    void mutatedValidBodiesNeverThrowAnythingButA400() {
        byte[] valid = "{\"workflow\":\"mock\",\"parameters\":{\"a\":\"b\",\"c\":\"d\"}}".getBytes(StandardCharsets.UTF_8);
        byte[] alphabet = "{}[]\":,\\ 0aeE.-+nul\u007f".getBytes(StandardCharsets.UTF_8);
        Random random = new Random(7);
        for (int i = 0; i < 5_000; i++) {
            byte[] body = valid.clone();
            for (int m = 0; m < 1 + random.nextInt(3); m++) {
                body[random.nextInt(body.length)] = alphabet[random.nextInt(alphabet.length)];
            }
            try {
                validator.validate(body);
            } catch (ApiProblemException e) {
                assertThat(e.status().value()).isEqualTo(400);
                assertThat(e.errors()).isNotEmpty();
            }
        }
    }

    @Test
    void withNoWorkflowsConfiguredNoRequestIsValid() {
        assertThatThrownBy(() -> new JobRequestValidator(List.of(), DEFAULT_VALUES).validate("{\"workflow\":\"mock\"}".getBytes()))
                .isInstanceOf(ApiProblemException.class);
    }

    private SubmitJobRequest valid(String body) {
        return validator.validate(body.getBytes(StandardCharsets.UTF_8));
    }

    private List<FieldError> invalid(String body) {
        return invalid(body.getBytes(StandardCharsets.UTF_8));
    }

    private List<FieldError> invalid(byte[] body) {
        ApiProblemException problem = catchThrowableOfType(ApiProblemException.class, () -> validator.validate(body));
        assertThat(problem).as("a 400 for %s", new String(body, 0, Math.min(body.length, 100), StandardCharsets.UTF_8))
                .isNotNull();
        assertThat(problem.status().value()).isEqualTo(400);
        return problem.errors();
    }

    private static String params(String entries) {
        return "{\"workflow\":\"mock\",\"parameters\":{" + entries + "}}";
    }
}
