package io.sampan.sandbox.junit;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.sampan.sandbox.SandboxCluster;

/**
 * fabric8 clients for a sandbox cluster, configured the way the sandbox serves them: watches over
 * HTTP streams ({@code onlyHttpWatches}: the sandbox refuses WebSocket upgrades, and the JDK HTTP
 * client takes about 19 s to give up on one), no kubeconfig or service account of the machine read.
 * Only this class touches fabric8, which is an optional dependency of the sandbox.
 */
public final class SandboxClients {
    private SandboxClients() {
    }

    /** The client configuration for {@code cluster}: its URL, HTTP watches, short timeouts suited to loopback. */
    public static Config config(SandboxCluster cluster) {
        Config config = Config.fromKubeconfig(cluster.kubeconfig());
        config.setOnlyHttpWatches(true);
        config.setNamespace("default");
        config.setConnectionTimeout(5_000);
        config.setRequestTimeout(30_000);
        return config;
    }

    /** A new fabric8 client of {@code cluster}; the caller closes it. */
    public static KubernetesClient fabric8(SandboxCluster cluster) {
        return new KubernetesClientBuilder().withConfig(config(cluster)).build();
    }
}
