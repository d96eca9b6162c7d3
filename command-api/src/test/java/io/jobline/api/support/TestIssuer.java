package io.jobline.api.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.Executors;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An OpenID Connect issuer on a real local HTTP server, as an Amazon Cognito user pool is one: its discovery
 * document at {@code <issuer>/.well-known/openid-configuration} points at its JWK set, whose RSA key signs the
 * tokens it makes. {@link #token} makes tokens with any claims, signed with its key or a stranger's.
 */
public final class TestIssuer {

    public static final String AUDIENCE = "jobline-api-client";

    private final HttpServer server;
    private final RSAKey key;
    private final RSAKey stranger;

    private TestIssuer(HttpServer server) {
        this.server = server;
        try {
            this.key = new RSAKeyGenerator(2048).keyID("key-1").algorithm(JWSAlgorithm.RS256).generate();
            // same key id, other key: a token signed with it looks right but its signature is not the issuer's
            this.stranger = new RSAKeyGenerator(2048).keyID("key-1").algorithm(JWSAlgorithm.RS256).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/issuer/.well-known/openid-configuration", exchange -> send(exchange,
                "{\"issuer\":\"" + issuer() + "\",\"jwks_uri\":\"" + jwkSetUri() + "\",\"subject_types_supported\":[\"public\"],"
                        + "\"id_token_signing_alg_values_supported\":[\"RS256\"]}"));
        server.createContext("/jwks.json", exchange -> send(exchange, new JWKSet(key.toPublicJWK()).toString()));
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "test-issuer");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
    }

    public static TestIssuer start() {
        try {
            return new TestIssuer(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/issuer";
    }

    public String jwkSetUri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json";
    }

    /** A token as Cognito issues an ID token: subject, groups, our audience, valid for an hour from now. */
    public String token(String subject, String... groups) {
        return token(claims(subject, groups).build(), false);
    }

    /** Claims as {@link #token(String, String...)} uses them, to change before signing. */
    public JWTClaimsSet.Builder claims(String subject, String... groups) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(issuer())
                .subject(subject)
                .audience(AUDIENCE)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(3600)))
                .claim("cognito:groups", List.of(groups));
    }

    /** The signed token of {@code claims}; signed by a key that is not the issuer's when {@code forged}. */
    public String token(JWTClaimsSet claims, boolean forged) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("key-1").build(), claims);
            jwt.sign(new RSASSASigner(forged ? stranger : key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void send(HttpExchange exchange, String json) throws IOException {
        try (exchange) {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }
}
