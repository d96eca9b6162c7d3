package io.jobline.api.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

class FeedPropertiesTest {

    @Test
    void theServiceConfigurationSetsEveryFeedSetting() throws IOException {
        List<PropertySource<?>> yml = new YamlPropertySourceLoader()
                .load("command-api.yml", new ClassPathResource("command-api.yml"));
        for (String name : List.of("heartbeat-interval", "client-buffer", "replay-buffer", "catch-up-max-records",
                "catch-up-timeout", "resync-timeout", "ready-timeout")) {
            assertThat(yml.get(0).getProperty("jobline.api.feed." + name)).as(name).isNotNull();
        }
        FeedProperties feed = new Binder(ConfigurationPropertySources.from(yml.get(0)))
                .bindOrCreate("jobline.api.feed", FeedProperties.class);
        assertThat(feed.heartbeatInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(feed.clientBuffer()).isEqualTo(1000);
    }

    @Test
    void badSettingsFailStartUpNamingTheSetting() {
        Duration second = Duration.ofSeconds(1);
        assertThatThrownBy(() -> new FeedProperties(Duration.ZERO, 1, 1, 1, second, second, second))
                .hasMessageContaining("jobline.api.feed.heartbeat-interval");
        assertThatThrownBy(() -> new FeedProperties(second, 0, 1, 1, second, second, second))
                .hasMessageContaining("jobline.api.feed.client-buffer");
        assertThatThrownBy(() -> new FeedProperties(second, 1, -1, 1, second, second, second))
                .hasMessageContaining("jobline.api.feed.replay-buffer");
        assertThatThrownBy(() -> new FeedProperties(second, 1, 1, -1, second, second, second))
                .hasMessageContaining("jobline.api.feed.catch-up-max-records");
        assertThatThrownBy(() -> new FeedProperties(second, 1, 1, 1, null, second, second))
                .hasMessageContaining("jobline.api.feed.catch-up-timeout");
    }
}
