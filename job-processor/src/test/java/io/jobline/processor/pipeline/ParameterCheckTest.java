package io.jobline.processor.pipeline;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParameterCheckTest {

    private final ParameterCheck defaults = new ParameterCheck(SnakemakeProperties.Parameters.defaults());

    @ParameterizedTest
    @ValueSource(strings = {"", "3", "-1", "0.5", "hello world", "results/run_1", "a..b", "k=v,w:x", "50%", "+@",
            "Grüße", "数据"})
    void acceptsOrdinaryValues(String value) {
        assertThatCode(() -> defaults.check(Map.of("words", value))).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"x; touch M", "$(touch M)", "`touch M`", "a\ntouch M", "a\rb", "tab\there", "x | y",
            "x && y", "x > y", "x < y", "'quoted'", "\"quoted\"", "back\\slash", "~/x", "*", "a?", "[a]", "{output}",
            "#comment", "!x", "nul\0x"})
    void rejectsShellMetacharactersQuotesAndControlCharacters(String value) {
        assertThatThrownBy(() -> defaults.check(Map.of("words", value)))
                .isInstanceOf(CannotStartException.class)
                .hasMessageStartingWith("parameter 'words' has a value with characters that are not allowed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/etc/passwd", "/", "..", "../x", "a/../b", "a/..", "./../x"})
    void rejectsAbsolutePathsAndParentSegments(String value) {
        assertThatThrownBy(() -> defaults.check(Map.of("input", value)))
                .isInstanceOf(CannotStartException.class)
                .hasMessageStartingWith("parameter 'input' must not ");
    }

    @Test
    void rejectsHugeValuesByTheirLength() {
        assertThatCode(() -> defaults.check(Map.of("text", "x".repeat(4096)))).doesNotThrowAnyException();
        assertThatThrownBy(() -> defaults.check(Map.of("text", "x".repeat(1_000_000))))
                .isInstanceOf(CannotStartException.class)
                .hasMessage("parameter 'text' is 1000000 characters long, at most 4096 are allowed");
    }

    @Test
    void rejectsInvalidNamesShowingThemSafely() {
        assertThatThrownBy(() -> defaults.check(Map.of("a;b", "1")))
                .hasMessageStartingWith("parameter 'a;b' has a name that does not match");
        assertThatThrownBy(() -> defaults.check(Map.of("line\nbreak", "1")))
                .hasMessageStartingWith("parameter 'line\\u000abreak' has a name");
        assertThatThrownBy(() -> defaults.check(Map.of("k".repeat(100), "1")))
                .hasMessageStartingWith("parameter '" + "k".repeat(40) + "...' has a name");
    }

    @Test
    void reportsTheFirstOffendingParameterByName() {
        assertThatThrownBy(() -> defaults.check(Map.of("b", "$(x)", "a", "ok", "c", "`y`")))
                .hasMessageStartingWith("parameter 'b' ");
    }

    @Test
    void letsEverythingThroughWhenSwitchedOff() {
        ParameterCheck off = new ParameterCheck(SnakemakeProperties.Parameters.unchecked());
        assertThatCode(() -> off.check(Map.of("a;b", "$(touch M)\n../../x", "big", "x".repeat(100_000))))
                .doesNotThrowAnyException();
    }

    @Test
    void followsConfiguredPatterns() {
        ParameterCheck digitsOnly = new ParameterCheck(
                new SnakemakeProperties.Parameters(true, "[a-z]+", "[0-9]{1,3}", 10));
        assertThatCode(() -> digitsOnly.check(Map.of("n", "123"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> digitsOnly.check(Map.of("n", "1234"))).hasMessageContaining("[0-9]{1,3}");
        assertThatThrownBy(() -> digitsOnly.check(Map.of("N", "1"))).hasMessageContaining("[a-z]+");
    }
}
