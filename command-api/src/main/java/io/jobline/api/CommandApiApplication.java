package io.jobline.api;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class CommandApiApplication {

    /** The service's own config file is {@code command-api.yml}, so the three services can share one classpath in tests. */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(CommandApiApplication.class).properties("spring.config.name=command-api");
    }

    public static void main(String[] args) {
        application().run(args);
    }
}
