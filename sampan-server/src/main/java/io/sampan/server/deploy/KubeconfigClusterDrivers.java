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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Drivers built from each cluster's stored kubeconfig; one client (and its watch-fed mirror) per
 * cluster, kept while its credentials are unchanged; replaced ones are closed, watches and all.
 * The stored credentials are read again (a database read and a decryption) at most every
 * {@link #RECHECK}, not on every status read.
 */
@Component
public class KubeconfigClusterDrivers implements ClusterDrivers {
    static final int TIMEOUT_MILLIS = 10_000;
    static final Duration RECHECK = Duration.ofSeconds(5);
    private final ClusterStore clusters;
    private final Clock clock;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    /** @param applying the driver releases use: addon connection Secrets get their credentials as they are applied */
    record Entry(String kubeconfig, KubernetesClient client, Fabric8ClusterDriver driver, ClusterDriver applying, Instant checkedAt) {
        void close() {
            driver.close();
            client.close();
        }
    }

    private final io.sampan.server.addon.AddonCredentials addonCredentials;

    public KubeconfigClusterDrivers(ClusterStore clusters, Clock clock, io.sampan.server.addon.AddonCredentials addonCredentials) {
        this.clusters = clusters;
        this.clock = clock;
        this.addonCredentials = addonCredentials;
    }

    @Override
    public ClusterDriver forCluster(String name) {
        Instant now = clock.instant();
        Entry known = cache.get(name);
        if (known != null && now.isBefore(known.checkedAt().plus(RECHECK))) {
            return known.applying();
        }
        Cluster cluster = clusters.get(name);
        String kubeconfig = clusters.kubeconfig(cluster);
        Entry e = cache.compute(name, (k, old) -> {
            if (old != null && old.kubeconfig().equals(kubeconfig)) {
                return new Entry(old.kubeconfig(), old.client(), old.driver(), old.applying(), now);
            }
            if (old != null) {
                old.close();
            }
            Config config = Kubeconfigs.config(kubeconfig, null);
            config.setConnectionTimeout(TIMEOUT_MILLIS);
            config.setRequestTimeout(TIMEOUT_MILLIS);
            config.setRequestRetryBackoffLimit(0);
            // watches as HTTP streams, as kubectl's: every API server serves them (a WebSocket upgrade the sandbox refuses costs ~19 s)
            config.setOnlyHttpWatches(true);
            KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
            Fabric8ClusterDriver driver = new Fabric8ClusterDriver(client, clock);
            return new Entry(kubeconfig, client, driver, addonCredentials.filling(driver), now);
        });
        return e.applying();
    }

    /** The plain driver, with its watch-fed mirror: status reads never apply, so no addon credentials are filled in. */
    @Override
    public ClusterDriver forStatus(String name) {
        forCluster(name);
        return cache.get(name).driver();
    }

    @PreDestroy
    void close() {
        cache.values().forEach(Entry::close);
    }
}
