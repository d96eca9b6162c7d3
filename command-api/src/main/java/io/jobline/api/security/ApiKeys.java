package io.jobline.api.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API keys this instance accepts, each standing for a {@link Caller}. Only the keys' SHA-256 hashes are known
 * (the table is {@code jobline.security.api-keys}), so neither configuration nor memory holds a usable key.
 *
 * <p>The table is a JSON array of {@code {"owner": "alice", "roles": ["user"], "sha256": "<64 hex digits>"}};
 * {@code roles} may be left out (no roles). Anything else (unknown fields, a bad owner, a hash that is not 64 hex
 * digits, the same hash twice) stops start-up with a message that names the entry. Make a hash with
 * {@code printf %s "$KEY" | sha256sum}.
 */
public final class ApiKeys {

    /** Longer values of {@code X-API-Key} are refused without hashing them. */
    public static final int MAX_KEY_LENGTH = 256;

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern ROLE = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final Set<String> FIELDS = Set.of("owner", "roles", "sha256");

    private final Map<String, Caller> byHash;

    private ApiKeys(Map<String, Caller> byHash) {
        this.byHash = Map.copyOf(byHash);
    }

    /** The table in {@code json}; blank means no keys. */
    public static ApiKeys parse(String json) {
        if (json == null || json.isBlank()) {
            return new ApiKeys(Map.of());
        }
        JsonNode table;
        try {
            table = JsonMapper.builder().build().readTree(json);
        } catch (JacksonException e) {
            // the message would quote the table, hashes and all: only say where
            throw invalid("is not valid JSON" + (e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        }
        if (table == null || !table.isArray()) {
            throw invalid("must be a JSON array of {\"owner\", \"roles\", \"sha256\"} entries");
        }
        Map<String, Caller> byHash = new HashMap<>();
        Map<String, Integer> entryOfHash = new HashMap<>();
        for (int index = 0; index < table.size(); index++) {
            JsonNode entry = table.get(index);
            String name = "entry " + (index + 1);
            if (!entry.isObject()) {
                throw invalid(name + " must be a JSON object");
            }
            for (String field : entry.propertyNames()) {
                if (!FIELDS.contains(field)) {
                    throw invalid(name + " has an unknown field \"" + shorten(field) + "\" (known: owner, roles, sha256)");
                }
            }
            JsonNode ownerNode = entry.get("owner");
            if (ownerNode == null || !ownerNode.isString() || !Owners.isValid(ownerNode.stringValue())) {
                throw invalid(name + ": owner must be a string of " + Owners.rule());
            }
            String owner = ownerNode.stringValue();
            name = name + " (owner " + owner + ")";
            Set<String> roles = roles(entry.get("roles"), name);
            JsonNode hashNode = entry.get("sha256");
            if (hashNode == null || !hashNode.isString() || !SHA256_HEX.matcher(hashNode.stringValue()).matches()) {
                throw invalid(name + ": sha256 must be the key's SHA-256 as 64 hex digits");
            }
            String hash = hashNode.stringValue().toLowerCase(Locale.ROOT);
            Integer earlier = entryOfHash.putIfAbsent(hash, index + 1);
            if (earlier != null) {
                throw invalid(name + " has the same sha256 as entry " + earlier);
            }
            byHash.put(hash, new Caller(owner, roles));
        }
        return new ApiKeys(byHash);
    }

    private static Set<String> roles(JsonNode node, String name) {
        Set<String> roles = new LinkedHashSet<>();
        if (node == null || node.isNull()) {
            return roles;
        }
        if (!node.isArray()) {
            throw invalid(name + ": roles must be an array of role names");
        }
        for (JsonNode role : node) {
            if (!role.isString() || !ROLE.matcher(role.stringValue()).matches()) {
                throw invalid(name + ": every role must be a name of 1 to 64 letters, digits or _.:-");
            }
            roles.add(role.stringValue());
        }
        return roles;
    }

    /** The caller {@code key} stands for, if it is one of the table's. */
    public Optional<Caller> find(String key) {
        return Optional.ofNullable(byHash.get(sha256Hex(key)));
    }

    public int size() {
        return byHash.size();
    }

    /** The owners of the keys, sorted, each once (for the start-up log: owners are no secret). */
    public List<String> owners() {
        return byHash.values().stream().map(Caller::owner).distinct().sorted().toList();
    }

    /** Lower-case hex SHA-256 of the key's UTF-8 bytes: what the table holds. */
    public static String sha256Hex(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static IllegalArgumentException invalid(String why) {
        return new IllegalArgumentException("jobline.security.api-keys (env JOBLINE_SECURITY_API_KEYS): " + why);
    }

    private static String shorten(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
