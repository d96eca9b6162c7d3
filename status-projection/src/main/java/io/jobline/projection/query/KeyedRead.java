package io.jobline.projection.query;

import java.util.Optional;
import java.util.function.BiFunction;

import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One attempt at a read of one key (a job, an idempotency key): at the instance that folds the key's
 * partition, or, when that one cannot answer, at an instance with a standby copy, which is trusted when it
 * has the key but not when it lacks it. Fails with {@link StoresUnavailableException} when no instance can
 * answer, for the caller to retry.
 */
final class KeyedRead {

    private KeyedRead() {
    }

    /**
     * @param metadata where the key lives
     * @param what     the key, as named in a failure ("job 123")
     * @param here     the read at this instance: (partition, stale) to the answer
     * @param there    the read at another instance: (host, stale) to the answer
     */
    static <T> Mono<Optional<T>> attempt(Placement placement, KeyQueryMetadata metadata, String what,
            BiFunction<Integer, Boolean, Mono<Optional<T>>> here, BiFunction<HostInfo, Boolean, Mono<Optional<T>>> there) {
        HostInfo self = placement.self();
        int partition = metadata.partition();
        Mono<Optional<T>> fromActive = Placement.hasActive(metadata)
                ? (metadata.activeHost().equals(self) ? here.apply(partition, false)
                        : there.apply(metadata.activeHost(), false))
                : Mono.error(new StoresUnavailableException("no instance folds the partition of " + what + " now"));
        return fromActive.onErrorResume(StoresUnavailableException.class, unavailable -> Flux
                .fromIterable(metadata.standbyHosts())
                .concatMap(standby -> (standby.equals(self) ? here.apply(partition, true) : there.apply(standby, true))
                        .filter(Optional::isPresent) // a standby cannot tell that a key is absent
                        .onErrorResume(StoresUnavailableException.class, e -> Mono.empty()))
                .next()
                .switchIfEmpty(Mono.error(unavailable)));
    }
}
