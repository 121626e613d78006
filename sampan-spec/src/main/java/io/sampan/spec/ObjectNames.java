package io.sampan.spec;

import java.util.Locale;

/**
 * The names Sampan gives to the Kubernetes objects of an app, in one place so that validation
 * (which must check their lengths) and the compiler agree.
 */
public final class ObjectNames {
    /** Longest Kubernetes object name that is also used as a label value or DNS label. */
    public static final int DNS_LABEL_MAX = 63;
    /** StatefulSet and CronJob names leave room for the suffixes their controllers add. */
    public static final int CONTROLLER_NAME_MAX = 52;
    /** Length of the content hash appended to config maps and release jobs. */
    public static final int HASH_LENGTH = 8;

    private ObjectNames() {
    }

    /** Deployment, StatefulSet, Service, Ingress, HPA and PDB of a service. */
    public static String service(String app, String service) {
        return app + "-" + service;
    }

    public static String headlessService(String app, String service) {
        return service(app, service) + "-headless";
    }

    public static String configMap(String app, String service, String hash) {
        return service(app, service) + "-config-" + hash;
    }

    /** CronJob of a scheduled job. */
    public static String cronJob(String app, String job) {
        return app + "-" + job;
    }

    /** Job of a release-triggered or broadcast job: a new name for every different content. */
    public static String job(String app, String job, String hash) {
        return app + "-" + job + "-" + hash;
    }

    public static int jobNameLength(String app, String job) {
        return job(app, job, "x".repeat(HASH_LENGTH)).length();
    }

    /** The Secret holding an addon's connection details (host, port, username, password, database, url). */
    public static String addonSecret(String app, AddonSpec addon) {
        return addon.isExternal() ? addon.externalSecret() : app + "-addon-" + addon.name();
    }

    /** {@code user-api} → {@code USER_API}: the prefix of environment variables about a name. */
    public static String envPrefix(String name) {
        return name.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    }
}
