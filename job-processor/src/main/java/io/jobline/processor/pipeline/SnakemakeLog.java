package io.jobline.processor.pipeline;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Jobline learns from a run's output lines: the progress ({@code 3 of 7 steps (43%) done}), the first error
 * Snakemake reports, and the last lines. Fed by the run's one reader thread; read by others once it is done.
 */
final class SnakemakeLog {

    private static final Pattern PROGRESS = Pattern.compile("(\\d{1,9}) of (\\d{1,9}) steps \\(\\d{1,3}%\\) done");
    private static final Pattern RULE_ERROR = Pattern.compile("Error in rule (\\S+?):?");
    /** A Python error while Snakemake reads the Snakefile: {@code ValueError in file /x/Snakefile, line 11:}, then the message. */
    private static final Pattern WORKFLOW_ERROR = Pattern.compile("\\w*(Error|Exception) in (file|line) .*:");
    private static final int MAX_ERROR_LENGTH = 500;

    private final RunListener listener;
    private final int tailLines;
    private final Deque<String> tail = new ArrayDeque<>();
    private int done = -1;
    private int total = -1;
    private String error;
    private boolean errorWantsNextLine;

    SnakemakeLog(RunListener listener, int tailLines) {
        this.listener = listener;
        this.tailLines = tailLines;
    }

    synchronized void line(String line) {
        if (tailLines > 0) {
            if (tail.size() == tailLines) {
                tail.removeFirst();
            }
            tail.addLast(line);
        }
        listener.logLine(line);
        String trimmed = line.strip();
        noteError(trimmed);
        Matcher progress = PROGRESS.matcher(trimmed);
        if (progress.matches()) {
            int newDone = Integer.parseInt(progress.group(1));
            int newTotal = Integer.parseInt(progress.group(2));
            if (newDone != done || newTotal != total) {
                done = newDone;
                total = newTotal;
                listener.progress(done, total);
            }
        }
    }

    private void noteError(String line) {
        if (errorWantsNextLine) {
            errorWantsNextLine = false;
            if (!line.isEmpty()) {
                error = shorten(error + " " + line);
            }
            return;
        }
        if (error != null) {
            return;
        }
        Matcher rule = RULE_ERROR.matcher(line);
        if (rule.matches()) {
            error = "Error in rule " + rule.group(1);
        } else if (WORKFLOW_ERROR.matcher(line).matches()) {
            error = shorten(line);
            errorWantsNextLine = true;
        }
    }

    private static String shorten(String text) {
        return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH) + "...";
    }

    synchronized List<String> tail() {
        return List.copyOf(tail);
    }

    /** The first error Snakemake reported ({@code Error in rule count_words}), or null. */
    synchronized String firstError() {
        return error;
    }
}
