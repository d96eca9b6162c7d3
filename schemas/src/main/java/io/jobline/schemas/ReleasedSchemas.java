package io.jobline.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.avro.Schema;

/**
 * The schema versions that have been released, kept as resources under
 * {@code io/jobline/schemas/released/v<N>/<RecordName>.avsc} and listed in {@code released/versions.txt}.
 * A released file is never edited: a new release adds a folder.
 */
public final class ReleasedSchemas {

    private static final String ROOT = "/io/jobline/schemas/released/";

    private ReleasedSchemas() {
    }

    /** Every released version, by version name ("v1", ...), in release order. */
    public static List<String> versions() {
        String listing = read(ROOT + "versions.txt");
        if (listing == null) {
            throw new IllegalStateException("released/versions.txt is missing from the schemas jar");
        }
        return listing.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    }

    /** The released schemas of one record, by version; versions that did not have it are absent. */
    public static Map<String, Schema> byVersion(String recordName) {
        Map<String, Schema> schemas = new TreeMap<>();
        for (String version : versions()) {
            String text = read(ROOT + version + "/" + recordName + ".avsc");
            if (text != null) {
                schemas.put(version, new Schema.Parser().parse(text));
            }
        }
        return schemas;
    }

    static List<Schema> versionsOf(String recordName) {
        return new ArrayList<>(byVersion(recordName).values());
    }

    private static String read(String resource) {
        try (InputStream in = ReleasedSchemas.class.getResourceAsStream(resource)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
