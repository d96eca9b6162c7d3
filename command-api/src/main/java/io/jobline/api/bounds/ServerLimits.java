package io.jobline.api.bounds;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.json.JsonMapper;

/**
 * The server's own bounds, {@code server.netty.max-initial-line-length} (the request line: method, path and query)
 * and {@code server.max-http-request-header-size} (all headers together), set in {@code command-api.yml}: requests
 * over them are answered by Reactor Netty before any of the API's code runs; {@link DecodingFailureProblems} gives
 * those answers their problem body.
 */
@Component
public class ServerLimits implements NettyServerCustomizer {

    private final JsonMapper json;
    private final DataSize maxInitialLineLength;
    private final DataSize maxHeaderSize;

    public ServerLimits(JsonMapper json,
            @Value("${server.netty.max-initial-line-length:4KB}") DataSize maxInitialLineLength,
            @Value("${server.max-http-request-header-size:8KB}") DataSize maxHeaderSize) {
        this.json = json;
        this.maxInitialLineLength = maxInitialLineLength;
        this.maxHeaderSize = maxHeaderSize;
    }

    @Override
    public HttpServer apply(HttpServer server) {
        return server.doOnChannelInit((observer, channel, remoteAddress) -> {
            if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
                channel.pipeline().addAfter(NettyPipeline.HttpCodec, "jobline.decodingFailureProblems",
                        new DecodingFailureProblems(json, maxInitialLineLength.toBytes(), maxHeaderSize.toBytes()));
            }
        });
    }
}
