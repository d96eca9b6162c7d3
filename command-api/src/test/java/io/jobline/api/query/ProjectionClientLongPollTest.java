package io.jobline.api.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.jobline.api.problem.ApiProblemException;
import io.jobline.api.support.FakeProjection;
import io.jobline.api.support.TestCallers;

/** The projection client's timeouts and connection pool around long-polls, against a real HTTP fake projection. */
class ProjectionClientLongPollTest {

    private static final String ID = "0193a5c2-8f00-7000-8000-00000000b001";
    private static final Duration PROJECTION_TIMEOUT = Duration.ofSeconds(1);

    @RegisterExtension
    final FakeProjectionClients fake = new FakeProjectionClients();
    private final FakeProjection projection = fake.projection();

    @Test
    void aWaitLongerThanTheProjectionTimeoutIsAnsweredNotCutOff() {
        ProjectionClient client = client(FakeProjectionClients.POOL);
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
        ProjectionClient client = client(new ProjectionPoolProperties(1, Duration.ofMillis(300)));
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
        return fake.client(PROJECTION_TIMEOUT, pool, TestCallers.INTERNAL_KEY);
    }
}
