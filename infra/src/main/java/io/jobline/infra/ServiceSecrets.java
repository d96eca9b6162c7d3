package io.jobline.infra;

import java.util.Map;
import java.util.TreeMap;

import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.SecretValue;
import software.amazon.awscdk.services.ecs.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * The secrets the services read, in Secrets Manager (ECS injects them as environment variables when a task starts;
 * only the task execution role may read them, the application code never calls Secrets Manager):
 * <ul>
 * <li>{@code jobline/<env>/api-keys}: the API keys table, JSON (hashes only, each mapped to an owner and roles).
 * Created empty ({@code []}: no key is accepted); the operator puts the real table in.</li>
 * <li>{@code jobline/<env>/internal-key}: the shared key command-api presents to the projection's internal query
 * API. Generated here: 48 random letters and digits.</li>
 * <li>{@code jobline/<env>/token-settings}: the bearer-token settings ({@code issuerUri}, {@code audience}),
 * from the {@code jwtIssuerUri} and {@code jwtAudience} settings; an issuer is public, but keeping it beside the keys lets one rotation
 * procedure change all of them.</li>
 * </ul>
 */
public final class ServiceSecrets extends Construct {

    /** The variables command-api gets. */
    public static final String API_KEYS_ENV = "JOBLINE_SECURITY_API_KEYS";
    public static final String INTERNAL_KEY_ENV = "JOBLINE_SECURITY_INTERNAL_KEY";
    public static final String JWT_ISSUER_ENV = "JOBLINE_SECURITY_JWT_ISSUER_URI";
    public static final String JWT_AUDIENCE_ENV = "JOBLINE_SECURITY_JWT_AUDIENCE";

    private final software.amazon.awscdk.services.secretsmanager.Secret apiKeys;
    private final software.amazon.awscdk.services.secretsmanager.Secret internalKey;
    private final software.amazon.awscdk.services.secretsmanager.Secret tokenSettings;

    public ServiceSecrets(Construct scope, String id, Settings settings) {
        super(scope, id);
        RemovalPolicy removal = settings.production() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
        apiKeys = software.amazon.awscdk.services.secretsmanager.Secret.Builder.create(this, "ApiKeys")
                .secretName("jobline/" + settings.env() + "/api-keys")
                .description("Jobline " + settings.env() + ": API keys (hashes) with their owners and roles")
                // an empty table: command-api starts and accepts no key until the real table is put in
                .secretStringValue(SecretValue.unsafePlainText("[]"))
                .removalPolicy(removal)
                .build();
        internalKey = software.amazon.awscdk.services.secretsmanager.Secret.Builder.create(this, "InternalKey")
                .secretName("jobline/" + settings.env() + "/internal-key")
                .description("Jobline " + settings.env() + ": key of command-api's calls to the projection")
                .generateSecretString(SecretStringGenerator.builder()
                        .passwordLength(48).excludePunctuation(true).build())
                .removalPolicy(removal)
                .build();
        tokenSettings = software.amazon.awscdk.services.secretsmanager.Secret.Builder.create(this, "TokenSettings")
                .secretName("jobline/" + settings.env() + "/token-settings")
                .description("Jobline " + settings.env() + ": bearer token issuer and audience")
                .secretObjectValue(new TreeMap<>(Map.of(
                        "issuerUri", SecretValue.unsafePlainText(settings.jwtIssuerUri()),
                        "audience", SecretValue.unsafePlainText(settings.jwtAudience()))))
                .removalPolicy(removal)
                .build();
    }

    /** command-api's secret environment. */
    public Map<String, Secret> forCommandApi() {
        return Map.of(
                API_KEYS_ENV, Secret.fromSecretsManager(apiKeys),
                INTERNAL_KEY_ENV, Secret.fromSecretsManager(internalKey),
                JWT_ISSUER_ENV, Secret.fromSecretsManager(tokenSettings, "issuerUri"),
                JWT_AUDIENCE_ENV, Secret.fromSecretsManager(tokenSettings, "audience"));
    }

    /** status-projection's secret environment: the key its internal query API expects. */
    public Map<String, Secret> forStatusProjection() {
        return Map.of(INTERNAL_KEY_ENV, Secret.fromSecretsManager(internalKey));
    }

    public software.amazon.awscdk.services.secretsmanager.Secret apiKeys() {
        return apiKeys;
    }

    public software.amazon.awscdk.services.secretsmanager.Secret internalKey() {
        return internalKey;
    }

    public software.amazon.awscdk.services.secretsmanager.Secret tokenSettings() {
        return tokenSettings;
    }
}
