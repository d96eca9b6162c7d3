package io.jobline.api.feed;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PartitionBufferTest {

    @Test
    void itKeepsTheLatestRecordsAndKnowsFromWhereItCoversThePartition() {
        PartitionBuffer buffer = new PartitionBuffer(3, 10);
        assertThat(buffer.covers(10)).isTrue();
        assertThat(buffer.covers(9)).isFalse();
        for (long offset = 10; offset < 20; offset += 2) { // transaction markers between the records
            buffer.add(record(offset));
        }
        assertThat(buffer.size()).isEqualTo(3);
        assertThat(buffer.coveredFrom()).isEqualTo(13);
        assertThat(buffer.covers(12)).isFalse();
        assertThat(buffer.since(15)).extracting(FeedRecord::offset).containsExactly(16L, 18L);
        assertThat(buffer.since(14)).extracting(FeedRecord::offset).containsExactly(14L, 16L, 18L);
        assertThat(buffer.since(19)).isEmpty();
    }

    @Test
    void withoutCapacityItCoversOnlyFromWhereTheFeedIs() {
        PartitionBuffer buffer = new PartitionBuffer(0, 5);
        buffer.add(record(5));
        assertThat(buffer.coveredFrom()).isEqualTo(6);
        buffer.readUpTo(8);
        assertThat(buffer.coveredFrom()).isEqualTo(8);
        assertThat(buffer.since(8)).isEmpty();
    }

    private static FeedRecord record(long offset) {
        return new FeedRecord(0, offset, "job-" + offset, "me", 1, "PENDING", "{}");
    }
}
