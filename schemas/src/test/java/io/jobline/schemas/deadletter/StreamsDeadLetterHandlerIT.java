package io.jobline.schemas.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;

import io.jobline.schemas.JobCommand;
import io.jobline.schemas.JobSubmitted;
import io.jobline.schemas.Topics;

/**
 * A stream over {@code jobline.commands} with the handler for both kinds of failure: a record it cannot decode, one its
 * processor throws on and a punctuator's failure each end in {@code jobline.dlq}, and the record after them still
 * goes through.
 */
@EmbeddedKafka(count = 1, partitions = 1, topics = {"jobline.commands", "jobline.dlq", "accepted"})
class StreamsDeadLetterHandlerIT {

    private static final byte[] GARBAGE = "not avro at all".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path stateDir;

    @Test
    void deadLettersUndecodableAndUnprocessableRecordsAndCarriesOn() throws Exception {
        String brokers = EmbeddedKafkaCondition.getBroker().getBrokersAsString();
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                brokers), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), bytes("poison"), GARBAGE));
            producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), bytes("boom"), encode(submitted("boom"))));
            producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), bytes("fine"), encode(submitted("fine"))))
                    .get();
        }
        try (KafkaStreams streams = new KafkaStreams(topology(), config(brokers))) {
            streams.start();

            List<ConsumerRecord<byte[], byte[]>> accepted = read(brokers, "accepted", 1);
            List<ConsumerRecord<byte[], byte[]>> deadLetters = read(brokers, Topics.DLQ.name(), 3);

            assertThat(accepted).extracting(record -> text(record.key())).containsExactly("fine");
            var fromPunctuator = deadLetters.stream().filter(letter -> letter.key() == null).toList();
            assertThat(fromPunctuator).hasSize(1);
            assertThat(header(fromPunctuator.get(0), DeadLetters.SOURCE_TOPIC)).startsWith("punctuator of ");
            assertThat(header(fromPunctuator.get(0), DeadLetters.REASON)).contains("the clock struck");
            deadLetters = deadLetters.stream().filter(letter -> letter.key() != null).toList();
            assertThat(deadLetters).extracting(record -> text(record.key())).containsExactly("poison", "boom");
            var undecodable = deadLetters.get(0);
            assertThat(undecodable.value()).isEqualTo(GARBAGE);
            assertThat(header(undecodable, DeadLetters.SOURCE_TOPIC)).isEqualTo("jobline.commands");
            assertThat(header(undecodable, DeadLetters.SOURCE_PARTITION)).isEqualTo("0");
            assertThat(header(undecodable, DeadLetters.SOURCE_OFFSET)).isEqualTo("0");
            assertThat(header(undecodable, DeadLetters.CONSUMER)).isEqualTo("dead-letter-it");
            assertThat(header(undecodable, DeadLetters.REASON)).isNotBlank();
            var unprocessable = deadLetters.get(1);
            assertThat(unprocessable.value()).isEqualTo(encode(submitted("boom")));
            assertThat(header(unprocessable, DeadLetters.SOURCE_OFFSET)).isEqualTo("1");
            assertThat(header(unprocessable, DeadLetters.REASON)).contains("cannot apply job boom");
        }
    }

    private static org.apache.kafka.streams.Topology topology() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(Topics.COMMANDS.name(), Consumed.with(Serdes.String(), Topics.COMMANDS.valueSerde()))
                .process(FailingOnce::new)
                .to("accepted", Produced.with(Serdes.String(), Serdes.String()));
        return builder.build();
    }

    /** Throws on job "boom", and once from a punctuator, which has no source record. */
    private static final class FailingOnce implements Processor<String, JobCommand, String, String> {

        private final AtomicBoolean struck = new AtomicBoolean();
        private ProcessorContext<String, String> context;

        @Override
        public void init(ProcessorContext<String, String> context) {
            this.context = context;
            context.schedule(Duration.ofMillis(100), PunctuationType.WALL_CLOCK_TIME, now -> {
                if (struck.compareAndSet(false, true)) {
                    throw new IllegalStateException("the clock struck");
                }
            });
        }

        @Override
        public void process(Record<String, JobCommand> record) {
            if (record.value().getJobId().equals("boom")) {
                throw new IllegalStateException("cannot apply job boom");
            }
            context.forward(record.withValue(record.value().getJobId()));
        }
    }

    private Properties config(String brokers) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "dead-letter-it");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, StreamsDeadLetterHandler.class);
        config.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, StreamsDeadLetterHandler.class);
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        return config;
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(String brokers, String topic, int count) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.GROUP_ID_CONFIG, "reader-" + topic);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            Instant deadline = Instant.now().plusSeconds(60);
            while (records.size() < count && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static JobCommand submitted(String id) {
        return new JobCommand(id, new JobSubmitted(id, "alice", "mock", Map.of(), Instant.EPOCH, "r", null, null));
    }

    private static byte[] encode(JobCommand command) {
        return Topics.COMMANDS.valueSerde().serializer().serialize(Topics.COMMANDS.name(), command);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        return DeadLetters.header(record.headers(), name);
    }
}
