package io.jobline.infra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small helpers to walk synthesized templates as plain maps and lists. */
final class Json {

    private Json() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        if (value == null) {
            return List.of();
        }
        return value instanceof List<?> l ? (List<Object>) l : List.of(value);
    }

    /** {@code path} is a dot-separated list of keys (and list indexes). */
    static Object at(Object root, String path) {
        Object current = root;
        for (String key : path.split("\\.")) {
            if (current == null) {
                return null;
            }
            current = current instanceof List<?> l ? l.get(Integer.parseInt(key)) : map(current).get(key);
        }
        return current;
    }

    static Map<String, Map<String, Object>> ofType(Map<String, Map<String, Object>> resources, String type) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        resources.forEach((id, resource) -> {
            if (type.equals(resource.get("Type"))) {
                out.put(id, resource);
            }
        });
        return out;
    }

    static Map<String, Object> props(Map<String, Object> resource) {
        return map(resource.get("Properties"));
    }

    /**
     * A readable rendering of a CloudFormation value: strings as they are, {@code Fn::Join} of parts (tokens as
     * {@code <Ref>}, {@code <GetAtt X>}, {@code <Import>}, other functions as {@code <Fn>}).
     */
    static String render(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Map<?, ?> m) {
            if (m.containsKey("Fn::Join")) {
                List<Object> join = list(m.get("Fn::Join"));
                StringBuilder out = new StringBuilder();
                for (Object part : list(join.get(1))) {
                    out.append(render(part));
                }
                return out.toString();
            }
            if (m.containsKey("Ref")) {
                return "<" + m.get("Ref") + ">";
            }
            if (m.containsKey("Fn::GetAtt")) {
                return "<GetAtt " + String.join(".", list(m.get("Fn::GetAtt")).stream().map(Object::toString).toList())
                        + ">";
            }
            if (m.containsKey("Fn::ImportValue")) {
                return "<Import>";
            }
            if (m.containsKey("Fn::Select")) {
                return "<Select>";
            }
            return "<Fn>";
        }
        return String.valueOf(value);
    }

    /** The container definitions' environment, name to (rendered) value, of a task definition. */
    static Map<String, Object> environment(Map<String, Object> taskDefinition) {
        Map<String, Object> env = new LinkedHashMap<>();
        for (Object container : list(props(taskDefinition).get("ContainerDefinitions"))) {
            for (Object entry : list(map(container).get("Environment"))) {
                env.put((String) map(entry).get("Name"), map(entry).get("Value"));
            }
        }
        return env;
    }

    static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        for (Object item : list(value)) {
            out.add(render(item));
        }
        return out;
    }
}
