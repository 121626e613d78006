package io.sampan.server.addon;

import java.time.Instant;

/**
 * One addon instance of an environment: a MySQL, a Redis... Its credentials are not here: they are
 * kept encrypted and only ever written into the cluster's connection Secret.
 *
 * @param appId the app it belongs to; {@code null} when shared by name in the project and environment, or external
 */
public record AddonInstance(String id, String projectId, String environmentId, String name, String type, String version, String plan,
        Provider provider, boolean shared, String appId, String host, int port, String username, String database, boolean tls,
        Instant createdAt) {

    /** The name of its objects in the cluster (StatefulSet, Services, custom resource): {@code addon-<name>}. */
    public String resourceName() {
        return "addon-" + name;
    }

    /** The instance's own Secret (what the StatefulSet or the operator reads); apps get copies of its connection keys. */
    public String secretName() {
        return resourceName() + "-credentials";
    }

    /** Whether deleting it loses data (it has volumes Sampan made). */
    public boolean stateful() {
        return provider != Provider.EXTERNAL;
    }
}
