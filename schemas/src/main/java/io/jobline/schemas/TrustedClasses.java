package io.jobline.schemas;

import org.apache.avro.util.ClassSecurityValidator;

/** Avro 1.12 refuses to instantiate classes it has not been told to trust; these are ours. */
final class TrustedClasses {

    private static volatile boolean trusted;

    private TrustedClasses() {
    }

    static synchronized void ensureTrusted() {
        if (trusted) {
            return;
        }
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(
                ClassSecurityValidator.getGlobal(),
                ClassSecurityValidator.builder()
                        .add(JobCommand.class).add(JobSubmitted.class).add(JobCancelRequested.class)
                        .add(JobRetryRequested.class)
                        .add(JobEvent.class).add(JobStarted.class).add(JobCompleted.class).add(JobFailed.class)
                        .add(JobProgress.class).add(JobHeartbeat.class).add(JobCancelled.class)
                        .add(JobOutput.class).add(Progress.class).add(JobLogChunk.class)
                        .add(JobStatusView.class).add(JobStatus.class).add(Failure.class).add(FailureKind.class)
                        .build()));
        trusted = true;
    }
}
