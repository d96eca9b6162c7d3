package io.jobline.processor;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class JobProcessorApplication {

    /** The service's own config file is {@code job-processor.yml}, so the three services can share one classpath in tests. */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(JobProcessorApplication.class)
                .main(JobProcessorApplication.class)
                .properties("spring.config.name=job-processor");
    }

    public static void main(String[] args) {
        application().run(args);
    }
}
