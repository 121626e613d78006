package io.sampan.server.metrics;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.sampan.release.ClusterDriver;
import io.sampan.release.ObjectRef;
import io.sampan.release.ObservedState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Counts a cluster's failed calls and times its applies, around any driver. */
public final class MeteredClusterDriver implements ClusterDriver {
    private final ClusterDriver driver;
    private final String cluster;
    private final ReleaseMetrics metrics;

    public MeteredClusterDriver(ClusterDriver driver, String cluster, ReleaseMetrics metrics) {
        this.driver = driver;
        this.cluster = cluster;
        this.metrics = metrics;
    }

    @Override
    public void apply(List<HasMetadata> objects) {
        long start = System.nanoTime();
        call(() -> {
            driver.apply(objects);
            return null;
        });
        metrics.tick(cluster, Duration.ofNanos(System.nanoTime() - start));
    }

    @Override
    public List<ObjectRef> list(String namespace, Map<String, String> labels) {
        return call(() -> driver.list(namespace, labels));
    }

    @Override
    public java.util.Optional<HasMetadata> get(ObjectRef ref) {
        return call(() -> driver.get(ref));
    }

    @Override
    public void delete(ObjectRef ref) {
        call(() -> {
            driver.delete(ref);
            return null;
        });
    }

    @Override
    public ObservedState observe(String namespace, Map<String, String> labels) {
        return call(() -> driver.observe(namespace, labels));
    }

    @Override
    public ObservedState observeWorkloads(String namespace, Map<String, String> labels) {
        return call(() -> driver.observeWorkloads(namespace, labels));
    }

    @Override
    public boolean serves(String apiVersion, String kind) {
        return call(() -> driver.serves(apiVersion, kind));
    }

    private <T> T call(Supplier<T> action) {
        try {
            return action.get();
        } catch (RuntimeException e) {
            metrics.clusterError(cluster);
            throw e;
        }
    }
}
