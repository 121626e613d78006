package io.sampan.server.addon;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The keys of an instance's connection Secret: {@code host}, {@code port}, {@code username},
 * {@code password}, {@code database}, {@code url}, {@code tls} when it is on, and the type-specific
 * keys of its provider (e.g. {@code sentinels}).
 */
final class Connection {
    static final String ADMIN_PASSWORD = "admin-password";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z-]+)}");

    private Connection() {
    }

    /** What apps get; {@code withAdmin} adds what only the instance itself reads (its administrator's password). */
    static Map<String, String> keys(AddonInstance i, AddonCatalog.Entry e, Map<String, String> secrets, boolean withAdmin) {
        Map<String, String> keys = new LinkedHashMap<>(nonSecret(i));
        keys.put("password", secrets.getOrDefault("password", ""));
        keys.put("url", fill(e.url(), keys));
        if (i.tls()) {
            keys.put("tls", "true");
        }
        if (i.provider() == Provider.OPERATOR && e.operator() != null && e.operator().keys() != null) {
            Map<String, String> values = new LinkedHashMap<>(keys);
            values.put("name", i.resourceName());
            e.operator().keys().forEach((k, v) -> keys.put(k, fill(v, values)));
        }
        if (withAdmin && secrets.containsKey(ADMIN_PASSWORD)) {
            keys.put(ADMIN_PASSWORD, secrets.get(ADMIN_PASSWORD));
        }
        return keys;
    }

    static Map<String, String> nonSecret(AddonInstance i) {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("host", i.host());
        keys.put("port", Integer.toString(i.port()));
        keys.put("username", i.username() == null ? "" : i.username());
        keys.put("database", i.database() == null ? "" : i.database());
        return keys;
    }

    /** {@code text} with each {@code ${key}} replaced by its value (unknown ones are left as they are). */
    static String fill(String text, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(v == null ? m.group() : v));
        }
        m.appendTail(out);
        return out.toString();
    }
}
