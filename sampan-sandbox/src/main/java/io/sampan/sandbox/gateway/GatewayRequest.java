package io.sampan.sandbox.gateway;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What routing looks at in an HTTP request: the method (upper case, {@code GET} when unknown), the
 * host (lower case, without a port), the decoded path, the query parameters (first value of each
 * name), the headers (names in lower case, first value) and the cookies.
 */
public record GatewayRequest(String method, String host, String path, Map<String, String> query, Map<String, String> headers,
        Map<String, String> cookies) {
    public GatewayRequest {
        method = method == null || method.isBlank() ? "GET" : method.trim().toUpperCase(Locale.ROOT);
        host = normalizeHost(host);
        path = path == null || path.isEmpty() ? "/" : path;
        query = Map.copyOf(query);
        Map<String, String> h = new LinkedHashMap<>();
        headers.forEach((k, v) -> h.putIfAbsent(k.toLowerCase(Locale.ROOT), v));
        headers = Map.copyOf(h);
        cookies = Map.copyOf(cookies);
    }

    /** A {@code GET} without query parameters. */
    public GatewayRequest(String host, String path, Map<String, String> headers, Map<String, String> cookies) {
        this("GET", host, path, Map.of(), headers, cookies);
    }

    /** A {@code GET} request with headers and the cookies parsed from its {@code Cookie} header. */
    public static GatewayRequest of(String host, String path, Map<String, String> headers) {
        return of("GET", host, path, null, headers);
    }

    /**
     * A request with its raw query string ({@code a=1&b=x%20y}, null for none; names and values
     * percent-decoded, the first value of a name wins), headers and the cookies of its {@code Cookie} header.
     */
    public static GatewayRequest of(String method, String host, String path, String rawQuery, Map<String, String> headers) {
        GatewayRequest r = new GatewayRequest(host, path, headers, Map.of());
        return new GatewayRequest(method, r.host(), r.path(), parseQuery(rawQuery), r.headers(), parseCookies(r.header("cookie")));
    }

    /** The first value of the query parameter (names are case-sensitive), or null. */
    public String queryParam(String name) {
        return query.get(name);
    }

    static Map<String, String> parseQuery(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String part : raw.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String name = decode(eq < 0 ? part : part.substring(0, eq));
            out.putIfAbsent(name, eq < 0 ? "" : decode(part.substring(eq + 1)));
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
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
