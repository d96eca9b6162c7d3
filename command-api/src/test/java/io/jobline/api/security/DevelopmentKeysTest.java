package io.jobline.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * The development keys of profile {@code local} ({@code command-api-local.yml}) are the documented ones, and the
 * service's own {@code command-api.yml} holds no key at all: without the profile no development key gets in.
 */
class DevelopmentKeysTest {

    @Test
    void theLocalProfileHasKeysForAliceBobAndAnAdmin() throws IOException {
        ApiKeys keys = ApiKeys.parse(property("command-api-local.yml", "jobline.security.api-keys"));
        assertThat(keys.find("jobline-dev-alice")).contains(new Caller("alice", Set.of("user")));
        assertThat(keys.find("jobline-dev-bob")).contains(new Caller("bob", Set.of("user")));
        assertThat(keys.find("jobline-dev-admin")).contains(new Caller("admin", Set.of("admin")));
        assertThat(keys.size()).isEqualTo(3);
        assertThat(property("command-api-local.yml", "jobline.security.internal-key")).isNotBlank();
    }

    @Test
    void withoutTheProfileThereAreNoKeysAndNoInternalKey() throws IOException {
        assertThat(ApiKeys.parse(property("command-api.yml", "jobline.security.api-keys")).size()).isZero();
        assertThat(property("command-api.yml", "jobline.security.internal-key")).isNull();
    }

    private static String property(String file, String name) throws IOException {
        List<PropertySource<?>> sources = new YamlPropertySourceLoader().load(file, new ClassPathResource(file));
        for (PropertySource<?> source : sources) {
            Object value = source.getProperty(name);
            if (value != null) {
                return value.toString();
            }
        }
        return null;
    }
}
