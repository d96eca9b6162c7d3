package io.jobline.processor.cancel;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.springframework.stereotype.Component;

/**
 * The cancel requests this instance has seen, by job: the offset of the latest one on the job's commands partition and
 * who asked. A request applies to the start commands (submission or retry) before it on that partition, so a job
 * cancelled while pending never starts, and a retry after a cancel is not cancelled by it.
 */
@Component
public class CancelRequests {

    static final int MAX_REMEMBERED = 100_000;

    private final Map<String, Request> byJob = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Request> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };

    public synchronized void record(String jobId, long offset, String requestedBy) {
        Request known = byJob.get(jobId);
        if (known == null || known.offset() < offset) {
            byJob.remove(jobId);
            byJob.put(jobId, new Request(offset, requestedBy));
        }
    }

    /** Who asked to cancel the job after the command at the given offset of its partition, if anyone did. */
    public synchronized Optional<String> requestedAfter(String jobId, long commandOffset) {
        Request request = byJob.get(jobId);
        return request != null && request.offset() > commandOffset ? Optional.of(request.requestedBy())
                : Optional.empty();
    }

    private record Request(long offset, String requestedBy) {
    }
}
