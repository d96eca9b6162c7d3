package io.jobline.api.bounds;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.jobline.api.problem.ProblemType;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Gives the answers Reactor Netty makes itself, for requests it cannot decode, a problem body: a request line over
 * {@code server.netty.max-initial-line-length} (414), headers over {@code server.max-http-request-header-size} (431),
 * a header holding control characters (400 naming it) or a request that is not HTTP/1.1 at all (400). Reactor Netty answers those without a body and closes the
 * connection; this handler, between the HTTP codec and Reactor Netty's own handler, notes the decoding failure on
 * the way in and fills in the body of that answer on the way out. One instance per connection.
 */
final class DecodingFailureProblems extends ChannelDuplexHandler {

    private static final Pattern INVALID_HEADER = Pattern.compile("for header '([!#$%&'*+.^_`|~0-9A-Za-z-]{1,80})'");

    private final JsonMapper json;
    private final long maxInitialLineLength;
    private final long maxHeaderSize;
    private Throwable failure;

    DecodingFailureProblems(JsonMapper json, long maxInitialLineLength, long maxHeaderSize) {
        this.json = json;
        this.maxInitialLineLength = maxInitialLineLength;
        this.maxHeaderSize = maxHeaderSize;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest request && request.decoderResult().isFailure()) {
            failure = request.decoderResult().cause();
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (failure != null && msg instanceof FullHttpResponse response && !response.content().isReadable()
                && response.status().code() >= 400) {
            Throwable cause = failure;
            failure = null;
            byte[] body = json.writeValueAsBytes(problem(response.status().code(), cause));
            FullHttpResponse withBody = response.replace(Unpooled.wrappedBuffer(body));
            response.release();
            withBody.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json");
            withBody.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            super.write(ctx, withBody, promise);
            return;
        }
        super.write(ctx, msg, promise);
    }

    /** The name of the header Netty's validation refused ({@code Validation failed for header 'X-Name'}), or null. */
    static String invalidHeader(Throwable cause) {
        Matcher header = INVALID_HEADER.matcher(String.valueOf(cause.getMessage()));
        return header.find() ? header.group(1) : null;
    }

    private Map<String, Object> problem(int status, Throwable cause) {
        String field;
        String message;
        String title;
        if (cause instanceof TooLongHttpLineException) {
            field = "uri";
            message = "the request line (method, path and query) must be at most " + maxInitialLineLength + " bytes";
            title = "URI too long";
        } else if (cause instanceof TooLongHttpHeaderException) {
            field = "headers";
            message = "must be at most " + maxHeaderSize + " bytes together";
            title = "Request header fields too large";
        } else if (invalidHeader(cause) != null) {
            field = invalidHeader(cause);
            message = "must not hold control characters";
            title = "Invalid request";
        } else {
            field = "request";
            message = "is not a well-formed HTTP/1.1 request";
            title = "Invalid request";
        }
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", ProblemType.of(status).uri().toString());
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", field + ": " + message);
        problem.put("field", field);
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("field", field);
        error.put("message", message);
        problem.put("errors", List.of(error));
        return problem;
    }
}
