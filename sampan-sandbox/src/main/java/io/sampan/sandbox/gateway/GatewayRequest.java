package io.sampan.sandbox.gateway;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What routing looks at in an HTTP request: the host (lower case, without a port), the decoded
 * path, the headers (names in lower case, first value) and the cookies.
 */
public record GatewayRequest(String host, String path, Map<String, String> headers, Map<String, String> cookies) {
    public GatewayRequest {
        host = normalizeHost(host);
        path = path == null || path.isEmpty() ? "/" : path;
        Map<String, String> h = new LinkedHashMap<>();
        headers.forEach((k, v) -> h.putIfAbsent(k.toLowerCase(Locale.ROOT), v));
        headers = Map.copyOf(h);
        cookies = Map.copyOf(cookies);
    }

    /** A request with headers and the cookies parsed from its {@code Cookie} header. */
    public static GatewayRequest of(String host, String path, Map<String, String> headers) {
        GatewayRequest r = new GatewayRequest(host, path, headers, Map.of());
        return new GatewayRequest(r.host(), r.path(), r.headers(), parseCookies(r.header("cookie")));
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public String cookie(String name) {
        return cookies.get(name);
    }

    /** {@code a=1; b=2} to a map (the first of a repeated name wins, as nginx's {@code $cookie_} does). */
    static Map<String, String> parseCookies(String header) {
        Map<String, String> out = new LinkedHashMap<>();
        if (header == null) {
            return out;
        }
        for (String part : header.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                out.putIfAbsent(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        return out;
    }

    /** Lower case, the port removed ({@code Example.com:8080} → {@code example.com}); null stays empty. */
    static String normalizeHost(String host) {
        if (host == null) {
            return "";
        }
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.indexOf(':');
        h = colon < 0 ? h : h.substring(0, colon);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }
}
