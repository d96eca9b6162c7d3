package io.jobline.schemas.tools;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.MessageFormatter;

/**
 * Prints each record of a Jobline topic as one line of JSON (see {@link RecordJson}), for Kafka's console consumer:
 * <pre>kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic jobline.events --from-beginning \
 *   --isolation-level read_committed --formatter io.jobline.schemas.tools.JoblineJsonFormatter</pre>
 * Needs the schemas jar and Avro's jar on the tool's classpath (Kafka brings the Jackson and SLF4J that Avro uses).
 * Properties ({@code --property name=value}): {@code print.headers} (default false) adds the records' headers.
 */
public class JoblineJsonFormatter implements MessageFormatter {

    public static final String PRINT_HEADERS = "print.headers";

    private RecordJson json = new RecordJson(false);

    @Override
    public void configure(Map<String, ?> configs) {
        json = new RecordJson(flag(configs, PRINT_HEADERS));
    }

    /** Writes the line as UTF-8 whatever the platform's charset, which on Java 17 may be ASCII and lose text. */
    @Override
    public void writeTo(ConsumerRecord<byte[], byte[]> record, PrintStream output) {
        output.writeBytes(json.render(record).getBytes(StandardCharsets.UTF_8));
        output.write('\n');
    }

    private static boolean flag(Map<String, ?> configs, String name) {
        Object value = configs.get(name);
        if (value == null) {
            return false;
        }
        String text = value.toString().trim().toLowerCase(Locale.ROOT);
        if (text.equals("true") || text.equals("false")) {
            return text.equals("true");
        }
        throw new IllegalArgumentException(name + " must be true or false, got '" + value + "'");
    }
}
