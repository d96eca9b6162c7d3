package io.jobline.schemas.tools;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Writes one compact JSON document into a {@link StringBuilder}. Hand-written rather than Jackson so that the
 * formatter runs on Kafka's tool classpath with nothing but the schemas jar and Avro added, whatever Jackson
 * version (2 or 3) is there.
 */
final class JsonWriter {

    private final StringBuilder out;
    /** One entry per open object or array: whether the next member is its first. */
    private final Deque<boolean[]> open = new ArrayDeque<>();
    private boolean afterName;

    JsonWriter(StringBuilder out) {
        this.out = out;
    }

    JsonWriter beginObject() {
        separate();
        out.append('{');
        open.push(new boolean[] {true});
        return this;
    }

    JsonWriter endObject() {
        open.pop();
        out.append('}');
        return this;
    }

    JsonWriter beginArray() {
        separate();
        out.append('[');
        open.push(new boolean[] {true});
        return this;
    }

    JsonWriter endArray() {
        open.pop();
        out.append(']');
        return this;
    }

    JsonWriter name(String name) {
        separate();
        quote(name);
        out.append(':');
        afterName = true;
        return this;
    }

    JsonWriter string(String value) {
        if (value == null) {
            return nullValue();
        }
        separate();
        quote(value);
        return this;
    }

    JsonWriter number(long value) {
        separate();
        out.append(value);
        return this;
    }

    /** Writes a number; NaN and the infinities, which JSON cannot hold, as strings. */
    JsonWriter number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return string(Double.toString(value));
        }
        separate();
        out.append(value);
        return this;
    }

    JsonWriter number(BigDecimal value) {
        separate();
        out.append(value.toPlainString());
        return this;
    }

    JsonWriter bool(boolean value) {
        separate();
        out.append(value);
        return this;
    }

    JsonWriter nullValue() {
        separate();
        out.append("null");
        return this;
    }

    /** The JSON written so far. */
    @Override
    public String toString() {
        return out.toString();
    }

    private void separate() {
        if (afterName) {
            afterName = false;
            return;
        }
        boolean[] first = open.peek();
        if (first != null) {
            if (!first[0]) {
                out.append(',');
            }
            first[0] = false;
        }
    }

    private void quote(String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
