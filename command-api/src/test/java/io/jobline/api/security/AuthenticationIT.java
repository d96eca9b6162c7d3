package io.jobline.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.nimbusds.jwt.JWTClaimsSet;

import io.jobline.api.support.ApiIntegrationTest;
import io.jobline.api.support.FakeProjection;
import io.jobline.api.support.TestCallers;
import io.jobline.api.support.TestIssuer;
import io.jobline.api.view.JobView;
import io.jobline.schemas.JobSubmitted;

/**
 * Who gets in, through real HTTP: API keys ({@code X-API-Key}) and JWT bearer tokens of a real local OpenID issuer
 * (discovery document and JWK set served over HTTP, tokens signed with nimbus), side by side. Every refusal is a
 * 401 problem of type {@code .../unauthenticated} naming the header at fault, with {@code WWW-Authenticate}.
 */
class AuthenticationIT extends ApiIntegrationTest {

    private static final String UNAUTHENTICATED = "https://jobline.io/problems/unauthenticated";
    private static final String JOB = "0193a5c2-8f00-7000-8000-00000000c001";

    @BeforeEach
    void aJobOfTheTester() {
        PROJECTION.reset();
        PROJECTION.put(FakeProjection.view(JOB, "RUNNING"));
    }

    // --- API keys

    @Test
    void aValidApiKeyGetsIn() {
        as(TestCallers.TESTER_KEY).get().uri("/jobs/" + JOB).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.id").isEqualTo(JOB);
    }

    @Test
    void noCredentialsAre401NamingBothHeadersWithAChallengeForEachScheme() {
        anonymous.get().uri("/jobs/" + JOB).exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().values(HttpHeaders.WWW_AUTHENTICATE, challenges -> assertThat(challenges)
                        .anySatisfy(challenge -> assertThat(challenge).startsWith("ApiKey ").contains("X-API-Key"))
                        .anySatisfy(challenge -> assertThat(challenge).startsWith("Bearer ")))
                .expectBody()
                .jsonPath("$.type").isEqualTo(UNAUTHENTICATED)
                .jsonPath("$.status").isEqualTo(401)
                .jsonPath("$.title").isEqualTo("Unauthenticated")
                .jsonPath("$.field").isEqualTo("X-API-Key")
                .jsonPath("$.errors[*].field").isEqualTo(List.of("X-API-Key", "Authorization"))
                .jsonPath("$.instance").isEqualTo("/jobs/" + JOB);
        assertThat(PROJECTION.requests()).as("nothing reaches the projection").isEmpty();
    }

    @Test
    void aWrongApiKeyIs401NamingTheHeader() {
        refusedKey(as("not-a-key-of-anyone"), "is not a valid API key");
    }

    @Test
    void anApiKeyOverTheLimitIs401WithoutBeingLookedUp() {
        refusedKey(as("k".repeat(257)), "at most 256");
        // 256 characters are a key like any other (here: not a valid one)
        refusedKey(as("k".repeat(256)), "is not a valid API key");
    }

    @Test
    void anEmptyOrRepeatedApiKeyIs401() {
        refusedKey(anonymous.mutate().defaultHeader("X-API-Key", "").build(), "is empty");
        refusedKey(anonymous.mutate().defaultHeader("X-API-Key", TestCallers.TESTER_KEY, TestCallers.ALICE_KEY).build(),
                "more than once");
    }

    @Test
    void anApiKeyTogetherWithABearerTokenIs401() {
        refusedKey(as(TestCallers.TESTER_KEY).mutate()
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.token(TestCallers.TESTER, "user")).build(),
                "send one credential");
    }

    @Test
    void aValidKeyWithoutARoleIs403() {
        as(TestCallers.NO_ROLE_KEY).get().uri("/jobs/" + JOB).exchange()
                .expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://jobline.io/problems/forbidden")
                .jsonPath("$.status").isEqualTo(403);
    }

    private void refusedKey(WebTestClient caller, String why) {
        refused(caller, "ApiKey ", "invalid_key", "X-API-Key", why);
    }

    // --- JWT bearer tokens

    @Test
    void aValidTokenGetsInAsItsSubjectWithItsGroups() {
        bearer(ISSUER.token(TestCallers.TESTER, "user")).get().uri("/jobs/" + JOB).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.id").isEqualTo(JOB);

        JobView submitted = bearer(ISSUER.token("carol", "user")).post().uri("/jobs")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"workflow\":\"mock\"}").exchange()
                .expectStatus().isAccepted()
                .expectBody(JobView.class).returnResult().getResponseBody();
        assertThat(submitted.owner()).as("the owner is the token's sub").isEqualTo("carol");
        assertThat(((JobSubmitted) commandsOf(submitted.id()).get(0).getCommand()).getOwner())
                .isEqualTo("carol");

        // an admin group: sees the tester's job although it is not its owner
        bearer(ISSUER.token("dave", "admin")).get().uri("/jobs/" + JOB).exchange().expectStatus().isOk();
    }

    @Test
    void aCognitoAccessTokenWithoutAudienceIsAcceptedByItsClientId() {
        JWTClaimsSet claims = ISSUER.claims(TestCallers.TESTER, "user")
                .audience((String) null)
                .claim("client_id", TestIssuer.AUDIENCE)
                .claim("token_use", "access")
                .build();
        bearer(ISSUER.token(claims, false)).get().uri("/jobs/" + JOB).exchange().expectStatus().isOk();
    }

    @Test
    void anExpiredTokenIs401NamingAuthorization() {
        Instant past = Instant.now().minusSeconds(3600);
        JWTClaimsSet claims = ISSUER.claims(TestCallers.TESTER, "user")
                .issueTime(Date.from(past.minusSeconds(3600)))
                .expirationTime(Date.from(past))
                .build();
        refusedToken(ISSUER.token(claims, false), "expired");
    }

    @Test
    void aBadlySignedTokenIs401() {
        refusedToken(ISSUER.token(ISSUER.claims(TestCallers.TESTER, "user").build(), true), "");
    }

    @Test
    void aTokenForAnotherAudienceIs401() {
        JWTClaimsSet claims = ISSUER.claims(TestCallers.TESTER, "user")
                .audience("another-app")
                .build();
        refusedToken(ISSUER.token(claims, false), "audience");
    }

    @Test
    void aTokenOfAnotherIssuerIs401() {
        JWTClaimsSet claims = ISSUER.claims(TestCallers.TESTER, "user")
                .issuer("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_other")
                .build();
        refusedToken(ISSUER.token(claims, false), "iss");
    }

    @Test
    void aTokenWithoutAUsableOwnerIs401() {
        JWTClaimsSet claims = ISSUER.claims("x", "user")
                .subject("has white space")
                .build();
        refusedToken(ISSUER.token(claims, false), "sub");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer", "Bearer ", "Bearer not.a.jwt", "Bearer a b"})
    void aMalformedBearerTokenIs401(String authorization) {
        anonymous.get().uri("/jobs/" + JOB).header(HttpHeaders.AUTHORIZATION, authorization).exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo(UNAUTHENTICATED);
        assertThat(PROJECTION.requests()).isEmpty();
    }

    @Test
    void aTokenOfAUserWithoutGroupsIs403() {
        bearer(ISSUER.token(TestCallers.TESTER)).get().uri("/jobs/" + JOB).exchange()
                .expectStatus().isForbidden()
                .expectBody().jsonPath("$.type").isEqualTo("https://jobline.io/problems/forbidden");
    }

    private void refusedToken(String token, String why) {
        refused(bearer(token), "Bearer ", "invalid_token", "Authorization", why);
    }

    /** A 401 naming {@code header}, its {@code scheme} challenge saying {@code error}; nothing reaches the projection. */
    private void refused(WebTestClient caller, String scheme, String error, String header, String why) {
        caller.get().uri("/jobs/" + JOB).exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().value(HttpHeaders.WWW_AUTHENTICATE, challenge -> assertThat(challenge)
                        .startsWith(scheme).contains("error=\"" + error + "\""))
                .expectBody()
                .jsonPath("$.type").isEqualTo(UNAUTHENTICATED)
                .jsonPath("$.field").isEqualTo(header)
                .jsonPath("$.detail").value(String.class, detail -> assertThat(detail).contains(why));
        assertThat(PROJECTION.requests()).isEmpty();
    }

    // --- what is open

    @Test
    void healthAndInfoAreOpenWithoutCredentials() {
        anonymous.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
        anonymous.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
        anonymous.get().uri("/actuator/health").exchange().expectStatus().isOk();
        anonymous.get().uri("/actuator/info").exchange().expectStatus().isOk();
    }

    @Test
    void everythingElseNeedsCredentialsEvenWhereNothingIs() {
        for (String path : List.of("/jobs", "/jobs/stream", "/jobs/" + JOB + "/events", "/actuator/metrics", "/nothing")) {
            anonymous.get().uri(path).exchange().expectStatus().isUnauthorized();
        }
        anonymous.post().uri("/jobs/" + JOB + "/cancel").exchange().expectStatus().isUnauthorized();
        anonymous.post().uri("/jobs").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"workflow\":\"mock\"}")
                .exchange().expectStatus().isUnauthorized();
    }

    @Test
    void noSessionCookieIsEverSet() {
        as(TestCallers.TESTER_KEY).get().uri("/jobs/" + JOB).exchange()
                .expectStatus().isOk()
                .expectHeader().doesNotExist(HttpHeaders.SET_COOKIE);
        anonymous.get().uri("/jobs/" + JOB).exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().doesNotExist(HttpHeaders.SET_COOKIE);
    }
}
