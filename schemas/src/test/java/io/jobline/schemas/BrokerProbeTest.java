package io.jobline.schemas;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class BrokerProbeTest {

    @Test
    void saysUnreachableWhenNoBrokerListens() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (BrokerProbe probe = new BrokerProbe(Map.of("bootstrap.servers", "127.0.0.1:" + closedPort),
                "test-probe", Duration.ofMillis(500))) {
            assertThatThrownBy(probe::brokersReachable)
                    .isInstanceOf(BrokerProbe.BrokerUnreachableException.class)
                    .hasMessageContaining("PT0.5S");
        }
    }
}
