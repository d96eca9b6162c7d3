package io.jobline.api.feed;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.jobline.api.support.TestCallers;

/**
 * An SSE request on a bare socket with a small receive buffer, for a client that does not read: the server sees
 * the TCP window close as a real slow client makes it. {@link #readToEnd} reads it later, decoding the chunked body.
 */
final class RawSseConnection implements AutoCloseable {

    /** What the client got: the body text, and whether the server ended it properly or cut the connection. */
    record Received(String body, boolean endedProperly) {
    }

    private final Socket socket;

    private RawSseConnection(Socket socket) {
        this.socket = socket;
    }

    static RawSseConnection open(int port, String path) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nAccept: text/event-stream\r\nX-API-Key: " + TestCallers.TESTER_KEY + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return new RawSseConnection(socket);
    }

    /** Reads everything until the server closes the stream, or fails after {@code timeout} without a byte. */
    Received readToEnd(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        InputStream in = socket.getInputStream();
        String head = readLine(in);
        if (head == null || !head.startsWith("HTTP/1.1 200")) {
            throw new AssertionError("unexpected answer: " + head);
        }
        String line;
        while ((line = readLine(in)) != null && !line.isEmpty()) {
            // headers
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            while (true) {
                String size = readLine(in);
                if (size == null) {
                    return new Received(body.toString(StandardCharsets.UTF_8), false);
                }
                int length = Integer.parseInt(size.strip(), 16);
                if (length == 0) {
                    return new Received(body.toString(StandardCharsets.UTF_8), true);
                }
                byte[] chunk = in.readNBytes(length);
                body.write(chunk);
                if (chunk.length < length || readLine(in) == null) {
                    return new Received(body.toString(StandardCharsets.UTF_8), false);
                }
            }
        } catch (java.net.SocketException e) { // reset by the server
            return new Received(body.toString(StandardCharsets.UTF_8), false);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) b);
        }
        return line.isEmpty() ? null : line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
