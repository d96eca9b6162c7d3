package io.jobline.api.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.jobline.api.problem.ApiProblemException;

class CursorsTest {

    @Test
    void aJobCursorIsPartitionOffsetAndVersion() {
        JobCursor cursor = JobCursor.parse("2-1234-7");
        assertThat(cursor).isEqualTo(new JobCursor(2, 1234, 7));
        assertThat(cursor.toString()).isEqualTo("2-1234-7");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "x", "1-2", "1-2-3-4", "-1-2-3", "1--2-3", "1-2-x", "0-1.1-2", "1-99999999999999999999-1",
            "1-9999999999999999999-1"})
    void anythingElseIsA400NamingLastEventId(String value) {
        assertThatThrownBy(() -> JobCursor.parse(value))
                .isInstanceOfSatisfying(ApiProblemException.class, problem -> {
                    assertThat(problem.status().value()).isEqualTo(400);
                    assertThat(problem.errors().get(0).field()).isEqualTo("Last-Event-ID");
                });
    }

    @Test
    void aStreamCursorNamesEveryPartition() {
        assertThat(StreamCursor.format(new long[] {152, 0, 130})).isEqualTo("0-152.1-0.2-130");
        StreamCursor cursor = StreamCursor.parse("0-152.2-130.1-0");
        assertThat(cursor.offsets()).containsExactly(Map.entry(0, 152L), Map.entry(1, 0L), Map.entry(2, 130L));
        assertThat(cursor.toString()).isEqualTo("0-152.1-0.2-130");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "x", "0-1-1", "0-1.", ".0-1", "0-1..1-2", "0-1.0-2", "a-1", "0-", "-1",
            "0-1234567890123456789"})
    void aBadStreamCursorIsA400NamingLastEventId(String value) {
        assertThatThrownBy(() -> StreamCursor.parse(value))
                .isInstanceOfSatisfying(ApiProblemException.class,
                        problem -> assertThat(problem.errors().get(0).field()).isEqualTo("Last-Event-ID"));
    }

    @Test
    void aJobIsOnThePartitionKafkasProducerPutsItsKeyOn() {
        for (int i = 0; i < 1000; i++) {
            String id = UUID.randomUUID().toString();
            for (int partitions : new int[] {1, 3, 6, 50}) {
                assertThat(Cursors.partitionOf(id, partitions))
                        .isEqualTo(BuiltInPartitioner.partitionForKey(id.getBytes(StandardCharsets.UTF_8), partitions));
            }
        }
    }
}
