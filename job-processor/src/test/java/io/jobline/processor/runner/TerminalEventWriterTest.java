package io.jobline.processor.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.jobline.processor.events.JobEvents;
import io.jobline.schemas.JobEvent;

class TerminalEventWriterTest {

    private final RecordingPublisher publisher = new RecordingPublisher();
    private final ExecutorService retries = Executors.newCachedThreadPool(DaemonThreads.named("test-retry-"));
    private final TerminalEventWriter writer = new TerminalEventWriter(publisher, retries, Clock.systemUTC());
    private final JobEvent completed = JobEvents.completed("j1", 1, Instant.parse("2026-01-01T00:00:00Z"),
            Instant.parse("2026-01-01T00:01:00Z"));

    @AfterEach
    void stopRetries() {
        retries.shutdownNow();
    }

    @Test
    void writesAtOnceWhenKafkaTakesTheEvent() {
        CompletableFuture<Void> written = writer.write(completed);

        assertThat(written).isCompletedWithValue(null);
        assertThat(publisher.events).containsExactly(completed);
        assertThat(publisher.attemptThreads).containsExactly(Thread.currentThread().getName());
    }

    @Test
    void retriesOnAScheduleWithoutHoldingTheCallerUntilKafkaTakesTheEvent() throws Exception {
        publisher.failuresToCome.set(2);

        long begin = System.nanoTime();
        CompletableFuture<Void> written = writer.write(completed);

        written.get(10, TimeUnit.SECONDS);
        assertThat(publisher.attemptThreads.get(0)).isEqualTo(Thread.currentThread().getName());
        // backoffs of 250 ms, then 500 ms
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isGreaterThanOrEqualTo(Duration.ofMillis(700));
        assertThat(publisher.attempts).hasValue(3);
        assertThat(publisher.events).containsExactly(completed);
        assertThat(publisher.attemptThreads.subList(1, 3)).allMatch(name -> name.startsWith("test-retry-"));
    }

    @Test
    void givesUpAtTheShutdownDeadlineWhileKafkaKeepsRefusing() {
        publisher.failAlways();
        long begin = System.nanoTime();
        writer.giveUpAt(Instant.now().plusMillis(1000));

        CompletableFuture<Void> written = writer.write(completed);
        await().atMost(Duration.ofSeconds(5)).until(written::isDone);
        // attempts at 0, 250 and 750 ms; the next would be at 1750 ms
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertNotWritten(written);
        assertThat(publisher.attempts).hasValue(3);
        await().during(Duration.ofMillis(1000)).atMost(Duration.ofSeconds(2))
                .until(() -> publisher.attempts.get() == 3);
    }

    @Test
    void aWriteRetryingWhenTheShutdownStartsIsGivenUpAtTheDeadline() {
        publisher.failAlways();
        CompletableFuture<Void> written = writer.write(completed);
        assertThat(written).isNotDone();

        long begin = System.nanoTime();
        writer.giveUpAt(Instant.now().plusMillis(1000));
        await().atMost(Duration.ofSeconds(5)).until(written::isDone);
        // retries at 250 and 750 ms; the next would be at 1750 ms
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertNotWritten(written);
    }

    @Test
    void aWriteFailingAfterTheDeadlineIsGivenUpAtOnce() {
        publisher.failAlways();
        writer.giveUpAt(Instant.now().minusMillis(1));

        CompletableFuture<Void> written = writer.write(completed);

        assertNotWritten(written);
        assertThat(publisher.attempts).hasValue(1);
    }

    @Test
    void aRestartBeforeTheDeadlineKeepsRetryingUntilWritten() throws Exception {
        publisher.failuresToCome.set(2);
        writer.giveUpAt(Instant.now().plusMillis(200));
        writer.retryUntilWritten();

        CompletableFuture<Void> written = writer.write(completed);

        written.get(10, TimeUnit.SECONDS);
        assertThat(publisher.attempts).hasValue(3);
        assertThat(publisher.events).containsExactly(completed);
    }

    private void assertNotWritten(CompletableFuture<Void> written) {
        assertThat(written).isCompletedExceptionally();
        assertThat(written).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(TimeoutException.class)
                .withMessageContaining("JobCompleted of job j1")
                .havingCause().isInstanceOf(IllegalStateException.class).withMessage("broker away");
        assertThat(publisher.events).isEmpty();
    }
}
