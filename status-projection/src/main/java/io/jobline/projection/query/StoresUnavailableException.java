package io.jobline.projection.query;

/** The stores cannot answer now (Streams starting or rebalancing, a peer unreachable): the client should retry. */
public class StoresUnavailableException extends RuntimeException {

    public StoresUnavailableException(String message) {
        super(message);
    }

    public StoresUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
