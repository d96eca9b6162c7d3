package io.jobline.processor.poison;

import java.util.Objects;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

import io.jobline.schemas.JobCommand;
import io.jobline.schemas.JobEvent;
import io.jobline.schemas.JobRetryRequested;

/**
 * What makes a decoded record of {@code jobline.commands} or {@code jobline.events} applicable: it names one job, the
 * same one in its key, its envelope and its payload (and a retry asks for attempt 2 or later). Every record of a job
 * must be on the job's partition (cancels before starts, repeated submissions and the supervisor's view of a job rest
 * on that order), and only a record that names its job can be answered with an event of that job.
 *
 * <p>A command that names its job but asks for something impossible (an unknown workflow, bad parameters) is not
 * poison: the intake ends that attempt with {@code JobFailed CANNOT_START}, which the job's owner sees.
 */
public final class JobRecordCheck {

    private JobRecordCheck() {
    }

    /** @throws UnusableRecordException when the command cannot be applied */
    public static void requireApplicable(String key, JobCommand command) {
        require(key, "JobCommand", command == null ? null : command.getJobId(),
                command == null ? null : command.getCommand(), command != null);
    }

    /** @throws UnusableRecordException when the event cannot be applied */
    public static void requireApplicable(String key, JobEvent event) {
        require(key, "JobEvent", event == null ? null : event.getJobId(), event == null ? null : event.getEvent(),
                event != null);
    }

    private static void require(String key, String type, String jobId, Object payload, boolean hasValue) {
        if (!hasValue) {
            throw new UnusableRecordException("the record keyed " + key + " has no value");
        }
        if (jobId == null || jobId.isBlank()) {
            throw new UnusableRecordException("the " + type + " keyed " + key + " has no job id");
        }
        if (!jobId.equals(key)) {
            throw new UnusableRecordException("the " + type + " of job " + jobId + " is keyed " + key
                    + ": every record of a job is keyed by its id");
        }
        if (!(payload instanceof SpecificRecord record)) {
            throw new UnusableRecordException("the " + type + " of job " + jobId + " has no payload");
        }
        String payloadJobId = jobIdOf(record);
        if (!Objects.equals(jobId, payloadJobId)) {
            throw new UnusableRecordException("the " + type + " of job " + jobId + " carries a "
                    + record.getSchema().getName() + " of job " + payloadJobId);
        }
        if (record instanceof JobRetryRequested retry && retry.getAttempt() < 2) {
            throw new UnusableRecordException("the retry of job " + jobId + " asks for attempt " + retry.getAttempt()
                    + ": a retry runs attempt 2 or later");
        }
    }

    /** Every payload of both topics has a {@code jobId}. */
    private static String jobIdOf(SpecificRecord record) {
        Schema.Field field = record.getSchema().getField("jobId");
        Object value = field == null ? null : record.get(field.pos());
        return value == null ? null : value.toString();
    }
}
