package io.jobline.api.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** Ports nothing listens on, for a Kafka or a projection that is not there. */
public final class ClosedPorts {

    private ClosedPorts() {
    }

    /** A port the system just handed out and took back again. */
    public static int pick() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
