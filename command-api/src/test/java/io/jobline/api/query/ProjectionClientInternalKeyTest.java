package io.jobline.api.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.jobline.api.problem.ApiProblemException;
import io.jobline.api.support.FakeProjection;
import io.jobline.api.support.TestCallers;

/** Every call of the projection carries the internal key; a projection that refuses it is a 503, never a 401. */
class ProjectionClientInternalKeyTest {

    private static final String ID = "0193a5c2-8f00-7000-8000-00000000f001";

    @RegisterExtension
    final FakeProjectionClients fake = new FakeProjectionClients();
    private final FakeProjection projection = fake.projection();

    @Test
    void everyCallCarriesTheKey() {
        ProjectionClient client = client(TestCallers.INTERNAL_KEY);
        projection.put(FakeProjection.view(ID, "RUNNING"));
        projection.putIdempotency("s".repeat(64), ID, "f".repeat(64));

        assertThat(client.job(ID).block(Duration.ofSeconds(10)).id()).isEqualTo(ID);
        assertThat(client.logs(ID, LogQuery.parse(null, null)).block(Duration.ofSeconds(10)).jobId()).isEqualTo(ID);
        assertThat(client.history(ID, HistoryQuery.parse(null, null)).block(Duration.ofSeconds(10))).isNotNull();
        assertThat(client.jobs(ListQuery.parse(null, null, null, null, null, null), "tester")
                .block(Duration.ofSeconds(10)).total()).isEqualTo(1);
        assertThat(client.idempotency("s".repeat(64), Duration.ZERO).block(Duration.ofSeconds(10)))
                .hasValueSatisfying(entry -> assertThat(entry.jobId()).isEqualTo(ID));
        assertThat(projection.refused()).isZero();
        assertThat(projection.requests()).hasSize(5);
    }

    @Test
    void aRefusedKeyIsA503() {
        ProjectionClient client = client("another-key");
        projection.put(FakeProjection.view(ID, "RUNNING"));
        ApiProblemException problem = catchThrowableOfType(ApiProblemException.class,
                () -> client.job(ID).block(Duration.ofSeconds(10)));
        assertThat(problem.status().value()).isEqualTo(503);
        assertThat(projection.refused()).isEqualTo(1);
    }

    private ProjectionClient client(String internalKey) {
        return fake.client(Duration.ofSeconds(5), FakeProjectionClients.POOL, internalKey);
    }
}
