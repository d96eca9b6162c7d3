package io.jobline.schemas.tools;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import io.jobline.schemas.Topics;

/**
 * The command line of {@link Replay}. Every option also takes the {@code --name=value} form.
 *
 * @param bootstrapServers where the Kafka cluster is
 * @param from             the first record time to print (inclusive)
 * @param to               where to stop (exclusive); empty: the end of each partition when the replay starts
 * @param topics           the topics to read
 * @param clientConfig     client settings from {@code --command-config} (security: SASL, TLS)
 * @param headers          whether lines carry the records' headers
 */
record ReplayOptions(String bootstrapServers, Instant from, Optional<Instant> to, List<String> topics,
        Properties clientConfig, boolean headers) {

    static final String USAGE = """
            usage: replay --bootstrap-server HOST:PORT --from TIME [--to TIME]
                          [--topics jobline.commands,jobline.events] [--command-config FILE] [--headers]

            Prints every record of the topics from TIME on as JSON lines (topic, partition, offset, timestamp,
            key, decoded value), in timestamp order across topics and partitions, reading read_committed.
              --from TIME            start: on each partition, the first record stamped at or after TIME
              --to TIME              stop before the first record stamped at or after TIME
                                     (default: the end of each partition when the replay starts)
              --topics T1,T2         the topics to replay (default: jobline.commands,jobline.events)
              --command-config FILE  Kafka client properties, e.g. security.protocol, sasl.mechanism,
                                     sasl.jaas.config, sasl.client.callback.handler.class for MSK with IAM
              --headers              print the records' headers too
            TIME is an ISO-8601 instant (2026-11-29T08:00:00Z), a date-time with an offset
            (2026-11-29T09:00:00+01:00) or a date (2026-11-29, midnight UTC).
            Exit codes: 0 done, 1 Kafka failed, 2 bad arguments.
            """;

    /** Bad command-line arguments: the message says which and why. */
    static final class BadArguments extends Exception {
        BadArguments(String message) {
            super(message);
        }
    }

    /** Thrown for {@code --help}. */
    static final class HelpRequested extends Exception {
        HelpRequested() {
            super("help");
        }
    }

    static ReplayOptions parse(String... args) throws BadArguments, HelpRequested {
        String bootstrap = null;
        Instant from = null;
        Instant to = null;
        List<String> topics = List.of(Topics.COMMANDS.name(), Topics.EVENTS.name());
        Properties config = new Properties();
        boolean headers = false;
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        while (!rest.isEmpty()) {
            String arg = rest.remove(0);
            String name = arg;
            String inline = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                inline = arg.substring(eq + 1);
            }
            switch (name) {
                case "-h", "--help" -> throw new HelpRequested();
                case "--headers" -> headers = true;
                case "--bootstrap-server" -> bootstrap = value(name, inline, rest);
                case "--from" -> from = instant(name, value(name, inline, rest));
                case "--to" -> to = instant(name, value(name, inline, rest));
                case "--topics" -> topics = topics(value(name, inline, rest));
                case "--command-config" -> config = config(value(name, inline, rest));
                default -> throw new BadArguments("unknown argument '" + arg + "'");
            }
        }
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new BadArguments("--bootstrap-server is required");
        }
        if (from == null) {
            throw new BadArguments("--from is required");
        }
        if (to != null && !to.isAfter(from)) {
            throw new BadArguments("--to (" + to + ") must be after --from (" + from + ")");
        }
        return new ReplayOptions(bootstrap, from, Optional.ofNullable(to), topics, config, headers);
    }

    private static String value(String name, String inline, List<String> rest) throws BadArguments {
        if (inline != null) {
            return inline;
        }
        if (rest.isEmpty() || rest.get(0).startsWith("--")) {
            throw new BadArguments(name + " needs a value");
        }
        return rest.remove(0);
    }

    private static Instant instant(String name, String text) throws BadArguments {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notAnInstant) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException notWithOffset) {
                try {
                    return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
                } catch (DateTimeParseException notADate) {
                    throw new BadArguments(name + ": '" + text
                            + "' is not an ISO-8601 instant, date-time with offset or date (e.g. 2026-11-29T08:00:00Z)");
                }
            }
        }
    }

    private static List<String> topics(String text) throws BadArguments {
        var topics = new LinkedHashSet<String>();
        for (String topic : text.split(",")) {
            if (!topic.isBlank()) {
                topics.add(topic.strip());
            }
        }
        if (topics.isEmpty()) {
            throw new BadArguments("--topics needs at least one topic name");
        }
        return List.copyOf(topics);
    }

    private static Properties config(String file) throws BadArguments {
        var properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of(file))) {
            properties.load(reader);
        } catch (IOException | RuntimeException e) {
            throw new BadArguments("--command-config: cannot read '" + file + "': " + e);
        }
        return properties;
    }
}
