package io.sampan.sandbox.gateway;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * How a route matches a request path, as an Ingress path's {@code pathType} or an HTTPRoute
 * match's {@code path.type} says: {@code Exact} (the same string), {@code Prefix} /
 * {@code PathPrefix} (element-wise: {@code /foo} matches {@code /foo} and {@code /foo/bar}, not
 * {@code /foobar}; a trailing slash is ignored), {@code RegularExpression} (HTTPRoutes only: the
 * Java regular expression matches the whole path). {@code ImplementationSpecific} is treated as
 * {@code Prefix}.
 */
public record PathMatch(Type type, String value) {
    /** Exact before Prefix (for Ingresses); HTTPRoutes order RegularExpression between them. */
    public enum Type { EXACT, PREFIX, REGULAR_EXPRESSION }

    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

    public PathMatch {
        if (type == Type.REGULAR_EXPRESSION) {
            Pattern.compile(value == null ? "" : value); // PatternSyntaxException when invalid
            value = value == null ? "" : value;
        } else if (value == null || value.isEmpty()) {
            value = "/";
        }
        if (type != Type.REGULAR_EXPRESSION && !value.startsWith("/")) {
            value = "/" + value;
        }
        if (type == Type.PREFIX) {
            while (value.length() > 1 && value.endsWith("/")) {
                value = value.substring(0, value.length() - 1);
            }
        }
    }

    public static PathMatch exact(String path) {
        return new PathMatch(Type.EXACT, path);
    }

    public static PathMatch prefix(String path) {
        return new PathMatch(Type.PREFIX, path);
    }

    /** From an Ingress path's {@code pathType} (missing or {@code ImplementationSpecific}: Prefix). */
    public static PathMatch of(String pathType, String path) {
        return new PathMatch("Exact".equals(pathType) ? Type.EXACT : Type.PREFIX, path);
    }

    public static PathMatch regularExpression(String pattern) {
        return new PathMatch(Type.REGULAR_EXPRESSION, pattern);
    }

    public boolean matches(String path) {
        if (type == Type.REGULAR_EXPRESSION) {
            return PATTERNS.computeIfAbsent(value, Pattern::compile).matcher(path).matches();
        }
        if (type == Type.EXACT) {
            return value.equals(path);
        }
        if (value.equals("/")) {
            return true;
        }
        return path.startsWith(value) && (path.length() == value.length() || path.charAt(value.length()) == '/');
    }
}
