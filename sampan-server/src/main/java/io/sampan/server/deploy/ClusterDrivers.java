package io.sampan.server.deploy;

import io.sampan.release.ClusterDriver;

/** The driver of each registered cluster, by name. */
public interface ClusterDrivers {
    /** The driver releases apply through. */
    ClusterDriver forCluster(String name);

    /** The driver status reads observe through (it may answer from a watch-fed mirror); by default the same. */
    default ClusterDriver forStatus(String name) {
        return forCluster(name);
    }
}
