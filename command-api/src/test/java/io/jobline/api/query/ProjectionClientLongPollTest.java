package io.jobline.api.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import io.jobline.api.ApiProperties;
import io.jobline.api.problem.ApiProblemException;
import io.jobline.api.support.FakeProjection;
import tools.jackson.databind.json.JsonMapper;

/** The projection client's timeouts and connection pool around long-polls, against a real HTTP fake projection. */
class ProjectionClientLongPollTest {

    private static final String ID = "0193a5c2-8f00-7000-8000-00000000b001";
    private static final Duration PROJECTION_TIMEOUT = Duration.ofSeconds(1);

    private final FakeProjection projection = FakeProjection.start();
    private ProjectionClient client;

    @AfterEach
    void stop() {
        projection.stop();
        if (client != null) {
            client.destroy();
        }
    }

    @Test
    void aWaitLongerThanTheProjectionTimeoutIsAnsweredNotCutOff() {
        client = client(new ProjectionPoolProperties(10, Duration.ofSeconds(2)));
        projection.put(FakeProjection.view(ID, "RUNNING"));

        ProjectionClient.Answer answer = client.job(ID, new WaitQuery("COMPLETED", PROJECTION_TIMEOUT.multipliedBy(3), null))
                .block(Duration.ofSeconds(30));

        assertThat(answer.waitOutcome()).isEqualTo("timeout");
        assertThat(answer.view().status()).isEqualTo("RUNNING");
        assertThat(answer.view().version()).isEqualTo(2L);
        assertThat(client.job(ID).block(Duration.ofSeconds(30)).status()).isEqualTo("RUNNING");
    }

    @Test
    void whenEveryConnectionIsWaitingAFurtherRequestIsA503AfterThePendingAcquireTimeout() {
        client = client(new ProjectionPoolProperties(1, Duration.ofMillis(300)));
        projection.put(FakeProjection.view(ID, "RUNNING"));
        CompletableFuture<ProjectionClient.Answer> waiting =
                client.job(ID, new WaitQuery("COMPLETED", Duration.ofSeconds(30), null)).toFuture();
        await().atMost(10, TimeUnit.SECONDS).until(() -> projection.waiting() == 1);

        ApiProblemException problem = catchThrowableOfType(ApiProblemException.class,
                () -> client.job(ID).block(Duration.ofSeconds(30)));
        assertThat(problem.status().value()).isEqualTo(503);
        assertThat(problem.retryAfter()).isEqualTo(Duration.ofSeconds(7));

        projection.put(FakeProjection.changed(FakeProjection.view(ID, "RUNNING"), "COMPLETED"));
        assertThat(waiting.join().waitOutcome()).isEqualTo("satisfied");
        assertThat(client.job(ID).block(Duration.ofSeconds(30)).status()).isEqualTo("COMPLETED");
    }

    private ProjectionClient client(ProjectionPoolProperties pool) {
        ApiProperties properties = new ApiProperties(List.of("mock"), Path.of("workflows"),
                ApiProperties.DEFAULT_PARAMETER_VALUE_PATTERN, "local", Duration.ofSeconds(5), Duration.ofSeconds(7),
                URI.create(projection.url()), PROJECTION_TIMEOUT, Duration.ofSeconds(2), DataSize.ofMegabytes(1),
                Duration.ofSeconds(2));
        return new ProjectionClient(properties, pool, JsonMapper.builder().build());
    }
}
