package io.jobline.api.feed;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * The latest records of one partition, at most {@code capacity}. It covers every offset from {@link #coveredFrom()}
 * up to the feed's position: a stream resuming from there is caught up from memory. Records that could not be
 * decoded are not kept (a stream skips them anyway). Not thread-safe: the feed guards it.
 */
final class PartitionBuffer {

    private final int capacity;
    private final ArrayDeque<FeedRecord> records;
    private long coveredFrom;

    PartitionBuffer(int capacity, long coveredFrom) {
        this.capacity = capacity;
        this.records = new ArrayDeque<>(Math.min(capacity, 1024) + 1);
        this.coveredFrom = coveredFrom;
    }

    void add(FeedRecord record) {
        if (capacity == 0) {
            coveredFrom = record.offset() + 1;
            return;
        }
        records.addLast(record);
        if (records.size() > capacity) {
            coveredFrom = records.removeFirst().offset() + 1;
        }
    }

    /** The feed has read up to {@code position} (past records it could not decode, or transaction markers). */
    void readUpTo(long position) {
        if (capacity == 0) {
            coveredFrom = Math.max(coveredFrom, position);
        }
    }

    /** The oldest offset from which on every record is here. */
    long coveredFrom() {
        return coveredFrom;
    }

    boolean covers(long offset) {
        return offset >= coveredFrom;
    }

    /** The records at {@code offset} or later, oldest first. */
    List<FeedRecord> since(long offset) {
        List<FeedRecord> since = new ArrayList<>();
        Iterator<FeedRecord> newestFirst = records.descendingIterator();
        while (newestFirst.hasNext()) {
            FeedRecord record = newestFirst.next();
            if (record.offset() < offset) {
                break;
            }
            since.add(record);
        }
        Collections.reverse(since);
        return since;
    }

    int size() {
        return records.size();
    }
}
