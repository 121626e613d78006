package io.sampan.server.deploy;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.sampan.release.ClusterDriver;
import io.sampan.server.cluster.Fabric8ClusterDriver;
import io.sampan.server.cluster.Kubeconfigs;
import io.sampan.server.registry.Cluster;
import io.sampan.server.registry.ClusterStore;
import jakarta.annotation.PreDestroy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** Drivers built from each cluster's stored kubeconfig; one client per cluster, kept while its credentials are unchanged. */
@Component
public class KubeconfigClusterDrivers implements ClusterDrivers {
    static final int TIMEOUT_MILLIS = 10_000;
    private final ClusterStore clusters;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    record Entry(String kubeconfig, KubernetesClient client, ClusterDriver driver) {
    }

    private final io.sampan.server.addon.AddonCredentials addonCredentials;

    public KubeconfigClusterDrivers(ClusterStore clusters, io.sampan.server.addon.AddonCredentials addonCredentials) {
        this.clusters = clusters;
        this.addonCredentials = addonCredentials;
    }

    @Override
    public ClusterDriver forCluster(String name) {
        Cluster cluster = clusters.get(name);
        String kubeconfig = clusters.kubeconfig(cluster);
        Entry e = cache.compute(name, (k, old) -> {
            if (old != null && old.kubeconfig().equals(kubeconfig)) {
                return old;
            }
            if (old != null) {
                old.client().close();
            }
            Config config = Kubeconfigs.config(kubeconfig, null);
            config.setConnectionTimeout(TIMEOUT_MILLIS);
            config.setRequestTimeout(TIMEOUT_MILLIS);
            config.setRequestRetryBackoffLimit(0);
            KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
            return new Entry(kubeconfig, client, addonCredentials.filling(new Fabric8ClusterDriver(client)));
        });
        return e.driver();
    }

    @PreDestroy
    void close() {
        cache.values().forEach(e -> e.client().close());
    }
}
