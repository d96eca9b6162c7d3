package io.jobline.api.feed;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The event id of {@code /jobs/stream}: the Kafka position of every partition of {@code jobline.job-status}
 * (the offset after the last record the stream looked at), as {@code <partition>-<offset>} joined by {@code .},
 * e.g. {@code 0-152.1-87.2-130}. A partition it does not name is read from its start.
 */
record StreamCursor(Map<Integer, Long> offsets) {

    StreamCursor {
        offsets = Collections.unmodifiableMap(new TreeMap<>(offsets));
    }

    static StreamCursor parse(String value) {
        String text = value.strip();
        if (text.isEmpty() || text.length() > 8192) {
            throw JobCursor.invalid("is not an event id of /jobs/stream (<partition>-<offset> joined by '.')");
        }
        Map<Integer, Long> offsets = new TreeMap<>();
        for (String part : text.split("\\.", -1)) {
            int dash = part.indexOf('-');
            if (dash < 1 || !digits(part, 0, dash) || !digits(part, dash + 1, part.length())
                    || dash > 9 || part.length() - dash - 1 > 18) {
                throw JobCursor.invalid("is not an event id of /jobs/stream (<partition>-<offset> joined by '.')");
            }
            int partition = Integer.parseInt(part.substring(0, dash));
            if (offsets.put(partition, Long.parseLong(part.substring(dash + 1))) != null) {
                throw JobCursor.invalid("names partition " + partition + " twice");
            }
        }
        return new StreamCursor(offsets);
    }

    private static boolean digits(String text, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** {@code <partition>-<offset>} of every partition, joined by {@code .}. */
    static String format(long[] offsets) {
        StringBuilder id = new StringBuilder(offsets.length * 8);
        for (int partition = 0; partition < offsets.length; partition++) {
            if (partition > 0) {
                id.append('.');
            }
            id.append(partition).append('-').append(offsets[partition]);
        }
        return id.toString();
    }

    @Override
    public String toString() {
        StringBuilder id = new StringBuilder();
        offsets.forEach((partition, offset) -> id.append(id.isEmpty() ? "" : ".").append(partition).append('-').append(offset));
        return id.toString();
    }
}
