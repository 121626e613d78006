package io.sampan.compiler;

import io.sampan.spec.AppSpec;
import io.sampan.spec.ObjectNames;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The labels on every object and pod template: the {@code app.kubernetes.io/*} set and Sampan's
 * own, which selectors use. Selectors use only {@link #selector} so they never change between
 * releases (a Deployment's selector is immutable).
 */
public final class StandardLabels {
    public static final String APP = "sampan.io/app";
    public static final String SERVICE = "sampan.io/service";
    public static final String JOB = "sampan.io/job";
    public static final String ENVIRONMENT = "sampan.io/environment";
    public static final String MANAGED_BY_VALUE = "sampan";

    private StandardLabels() {
    }

    /** Labels of a service's or job's objects. {@code component} is web, worker, stateful, job, cronjob... */
    public static Map<String, String> of(AppSpec app, String part, String component, String image) {
        Map<String, String> labels = new LinkedHashMap<>(app.labels());
        labels.put("app.kubernetes.io/name", part);
        labels.put("app.kubernetes.io/instance", ObjectNames.service(app.name(), part));
        labels.put("app.kubernetes.io/component", component);
        labels.put("app.kubernetes.io/part-of", app.name());
        String version = version(image);
        if (version != null) {
            labels.put("app.kubernetes.io/version", version);
        }
        labels.put("app.kubernetes.io/managed-by", MANAGED_BY_VALUE);
        labels.put(APP, app.name());
        labels.put(SERVICE, part);
        if (app.environment() != null) {
            labels.put(ENVIRONMENT, app.environment());
        }
        return labels;
    }

    public static Map<String, String> selector(AppSpec app, String service) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put(APP, app.name());
        s.put(SERVICE, service);
        return s;
    }

    /** The image's tag as a label value; a digest becomes {@code sha256-<12 hex>}. */
    static String version(String image) {
        int at = image.indexOf("@sha256:");
        if (at >= 0) {
            return "sha256-" + image.substring(at + 8, Math.min(image.length(), at + 20));
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        if (colon <= slash) {
            return null;
        }
        String tag = image.substring(colon + 1);
        if (tag.length() > 63) {
            tag = tag.substring(0, 63);
        }
        tag = tag.replaceAll("^[^A-Za-z0-9]+|[^A-Za-z0-9]+$", "");
        return tag.isEmpty() ? null : tag;
    }
}
