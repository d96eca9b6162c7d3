package io.jobline.projection;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;

import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

import io.jobline.projection.fold.JobFold;
import io.jobline.projection.topology.FoldedOffsets;
import io.jobline.projection.topology.ProjectionTopology;
import io.jobline.schemas.JobCommand;
import io.jobline.schemas.JobEvent;
import io.jobline.schemas.JobLogChunk;
import io.jobline.schemas.JobStatusView;
import io.jobline.schemas.Topics;

/** The projection's topology in Kafka Streams' test driver, fed through the topics the services write. */
public final class ProjectionDriver implements AutoCloseable {

    private final TopologyTestDriver driver;

    private ProjectionDriver(TopologyTestDriver driver) {
        this.driver = driver;
    }

    /** The topology as the application builds it. */
    public static ProjectionDriver start(Path stateDir, String applicationId, Instant wallClock) {
        StreamsBuilder builder = new StreamsBuilder();
        ProjectionTopology.build(builder, new JobFold(), new FoldedOffsets(Topics.COMMANDS.name()));
        return start(builder, stateDir, applicationId, wallClock);
    }

    /** A topology the test built itself (other settings, or a folded-offsets tracker it wants to read). */
    public static ProjectionDriver start(StreamsBuilder builder, Path stateDir, String applicationId,
            Instant wallClock) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return new ProjectionDriver(new TopologyTestDriver(builder.build(), config, wallClock));
    }

    public TestInputTopic<String, JobCommand> commands() {
        return driver.createInputTopic(Topics.COMMANDS.name(), Topics.COMMANDS.keySerde().serializer(),
                Topics.COMMANDS.valueSerde().serializer());
    }

    public TestInputTopic<String, JobEvent> events() {
        return driver.createInputTopic(Topics.EVENTS.name(), Topics.EVENTS.keySerde().serializer(),
                Topics.EVENTS.valueSerde().serializer());
    }

    public TestInputTopic<String, JobLogChunk> logs() {
        return driver.createInputTopic(Topics.LOGS.name(), Topics.LOGS.keySerde().serializer(),
                Topics.LOGS.valueSerde().serializer());
    }

    public TestOutputTopic<String, JobStatusView> status() {
        return driver.createOutputTopic(Topics.JOB_STATUS.name(), Topics.JOB_STATUS.keySerde().deserializer(),
                Topics.JOB_STATUS.valueSerde().deserializer());
    }

    public <V> KeyValueStore<String, V> store(String name) {
        return driver.getKeyValueStore(name);
    }

    public TopologyTestDriver driver() {
        return driver;
    }

    @Override
    public void close() {
        driver.close();
    }
}
