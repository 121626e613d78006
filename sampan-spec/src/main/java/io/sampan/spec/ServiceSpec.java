package io.sampan.spec;

import java.util.List;
import java.util.Map;

/**
 * A long-running service of the app. With a {@code port} it serves HTTP (reachable in the cluster
 * on port 80); without one it is a worker.
 */
public record ServiceSpec(
        String name,
        String image,
        Runtime runtime,
        List<String> command,
        List<String> args,
        Integer port,
        List<PortSpec> ports,
        int replicas,
        Resources resources,
        Map<String, String> env,
        Map<String, String> config,
        Health health,
        List<String> dependsOn,
        List<String> addons,
        List<Expose> expose,
        Autoscale autoscale,
        Placement placement,
        boolean stateful,
        List<VolumeSpec> volumes) {

    public ServiceSpec {
        command = List.copyOf(command);
        args = List.copyOf(args);
        ports = List.copyOf(ports);
        env = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
        config = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(config));
        dependsOn = List.copyOf(dependsOn);
        addons = List.copyOf(addons);
        expose = List.copyOf(expose);
        volumes = List.copyOf(volumes);
    }

    public boolean isWorker() {
        return port == null;
    }
}
