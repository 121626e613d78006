package io.sampan.server.deploy;

import io.sampan.release.ClusterDriver;

/** The driver of each registered cluster, by name. */
public interface ClusterDrivers {
    ClusterDriver forCluster(String name);
}
