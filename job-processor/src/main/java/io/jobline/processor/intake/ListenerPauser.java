package io.jobline.processor.intake;

import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.stereotype.Component;

import io.jobline.processor.runner.Backpressure;

/**
 * Pauses the command listener container while the runner has no free slot, and resumes it when one frees. A paused
 * container keeps polling (so the consumer stays in its group and {@code max.poll.interval.ms} is never at risk) but
 * fetches no records, so no job waits in memory unstarted.
 */
@Component
public class ListenerPauser implements Backpressure {

    private static final Logger log = LoggerFactory.getLogger(ListenerPauser.class);

    private final KafkaListenerEndpointRegistry registry;
    private final AtomicLong pauses = new AtomicLong();

    public ListenerPauser(KafkaListenerEndpointRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void pause() {
        MessageListenerContainer container = registry.getListenerContainer(CommandListener.ID);
        if (container != null) {
            pauses.incrementAndGet();
            container.pause();
            log.info("all job slots are taken: pausing the command listener");
        }
    }

    @Override
    public void resume() {
        MessageListenerContainer container = registry.getListenerContainer(CommandListener.ID);
        if (container != null && container.isPauseRequested()) {
            container.resume();
            log.info("a job slot is free: resuming the command listener");
        }
    }

    /** How many times the listener was paused since start-up. */
    public long pauses() {
        return pauses.get();
    }
}
