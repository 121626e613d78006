package io.sampan.server.registry;

/** Whether Sampan can talk to a cluster, as last checked. */
public enum ClusterHealth { UNKNOWN, REACHABLE, UNREACHABLE }
