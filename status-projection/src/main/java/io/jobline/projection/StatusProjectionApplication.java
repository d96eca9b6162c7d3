package io.jobline.projection;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

@SpringBootApplication
@EnableConfigurationProperties(ProjectionProperties.class)
public class StatusProjectionApplication {

    /** The service's own config file is {@code status-projection.yml}, so the three services can share one classpath in tests. */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(StatusProjectionApplication.class).properties("spring.config.name=status-projection");
    }

    public static void main(String[] args) {
        application().run(args);
    }
}
