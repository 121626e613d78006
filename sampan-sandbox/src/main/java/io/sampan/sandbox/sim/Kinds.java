package io.sampan.sandbox.sim;

import io.sampan.sandbox.ResourceType;
import io.sampan.sandbox.ResourceTypes;

/** The kinds the simulation's controllers read and write (the same values {@link ResourceTypes} serves). */
public final class Kinds {
    private static final ResourceTypes TYPES = new ResourceTypes();
    public static final ResourceType NAMESPACE = TYPES.find("v1", "namespaces").orElseThrow();
    public static final ResourceType NODE = TYPES.find("v1", "nodes").orElseThrow();
    public static final ResourceType POD = TYPES.find("v1", "pods").orElseThrow();
    public static final ResourceType SERVICE = TYPES.find("v1", "services").orElseThrow();
    public static final ResourceType ENDPOINTS = TYPES.find("v1", "endpoints").orElseThrow();
    public static final ResourceType EVENT = TYPES.find("v1", "events").orElseThrow();
    public static final ResourceType QUOTA = TYPES.find("v1", "resourcequotas").orElseThrow();
    public static final ResourceType LIMIT_RANGE = TYPES.find("v1", "limitranges").orElseThrow();
    public static final ResourceType PVC = TYPES.find("v1", "persistentvolumeclaims").orElseThrow();
    public static final ResourceType DEPLOYMENT = TYPES.find("apps/v1", "deployments").orElseThrow();
    public static final ResourceType REPLICASET = TYPES.find("apps/v1", "replicasets").orElseThrow();
    public static final ResourceType STATEFULSET = TYPES.find("apps/v1", "statefulsets").orElseThrow();
    public static final ResourceType DAEMONSET = TYPES.find("apps/v1", "daemonsets").orElseThrow();
    public static final ResourceType CONTROLLER_REVISION = TYPES.find("apps/v1", "controllerrevisions").orElseThrow();
    public static final ResourceType JOB = TYPES.find("batch/v1", "jobs").orElseThrow();
    public static final ResourceType CRONJOB = TYPES.find("batch/v1", "cronjobs").orElseThrow();
    public static final ResourceType HPA = TYPES.find("autoscaling/v2", "horizontalpodautoscalers").orElseThrow();
    public static final ResourceType PDB = TYPES.find("policy/v1", "poddisruptionbudgets").orElseThrow();
    public static final ResourceType LEASE = TYPES.find("coordination.k8s.io/v1", "leases").orElseThrow();
    public static final ResourceType ENDPOINT_SLICE = TYPES.find("discovery.k8s.io/v1", "endpointslices").orElseThrow();
    public static final ResourceType INGRESS = TYPES.find("networking.k8s.io/v1", "ingresses").orElseThrow();

    private Kinds() {
    }
}
