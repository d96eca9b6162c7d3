package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class ApiPropertiesTest {

    @Test
    void theDefaultValuePatternAllowsLettersDigitsSpaceAndSafePunctuationOnly() {
        var pattern = properties(ApiProperties.DEFAULT_PARAMETER_VALUE_PATTERN).parameterValueRegex();
        assertThat(pattern.matcher("Sample 1_a.b,c:d=e+f@g%h/i-j").matches()).isTrue();
        assertThat(pattern.matcher("\u00e4\u6f22").matches()).isTrue();
        for (String bad : List.of(";", "$", "`", "'", "\"", "\\", "\n", "|", "&", "(", "*", "?", "~", "!", "#")) {
            assertThat(pattern.matcher("a" + bad).matches()).as(bad).isFalse();
        }
    }

    @Test
    void anInvalidValuePatternFailsStartUpNamingTheSetting() {
        assertThatThrownBy(() -> properties("[a-z"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jobline.api.parameter-value-pattern");
    }

    private static ApiProperties properties(String pattern) {
        return new ApiProperties(List.of("mock"), Path.of("workflows"), pattern, Duration.ofSeconds(5),
                Duration.ofSeconds(5), URI.create("http://localhost:8081"), Duration.ofSeconds(10), Duration.ofSeconds(2),
                DataSize.ofMegabytes(64), Duration.ofSeconds(2), Duration.ofSeconds(10));
    }
}
