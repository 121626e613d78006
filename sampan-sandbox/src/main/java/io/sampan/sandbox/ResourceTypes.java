package io.sampan.sandbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kinds the sandbox serves: the built-in ones, in the API groups a Kubernetes 1.32 server serves
 * them in, and the custom resources CRDs register and unregister while it runs.
 */
public final class ResourceTypes {
    private final Map<String, ResourceType> byPath = new LinkedHashMap<>();

    public ResourceTypes() {
        core("Namespace", "namespaces", false, List.of("ns"), true);
        core("Node", "nodes", false, List.of("no"), true);
        core("Pod", "pods", true, List.of("po"), true);
        core("Service", "services", true, List.of("svc"), true);
        core("Endpoints", "endpoints", true, List.of("ep"), false);
        core("ConfigMap", "configmaps", true, List.of("cm"), false);
        core("Secret", "secrets", true, List.of(), false);
        core("ServiceAccount", "serviceaccounts", true, List.of("sa"), false);
        core("Event", "events", true, List.of("ev"), false);
        core("ResourceQuota", "resourcequotas", true, List.of("quota"), true);
        core("LimitRange", "limitranges", true, List.of("limits"), false);
        core("PersistentVolumeClaim", "persistentvolumeclaims", true, List.of("pvc"), true);
        core("PersistentVolume", "persistentvolumes", false, List.of("pv"), true);
        add(new ResourceType("apps", "v1", "Deployment", "deployments", true, List.of("deploy"), true, true));
        add(new ResourceType("apps", "v1", "ReplicaSet", "replicasets", true, List.of("rs"), true, true));
        add(new ResourceType("apps", "v1", "StatefulSet", "statefulsets", true, List.of("sts"), true, true));
        add(new ResourceType("apps", "v1", "DaemonSet", "daemonsets", true, List.of("ds"), true, false));
        add(new ResourceType("apps", "v1", "ControllerRevision", "controllerrevisions", true, List.of(), false, false));
        add(new ResourceType("batch", "v1", "Job", "jobs", true, List.of(), true, false));
        add(new ResourceType("batch", "v1", "CronJob", "cronjobs", true, List.of("cj"), true, false));
        add(new ResourceType("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", true, List.of("hpa"), true, false));
        add(AutoscalingV1.TYPE); // served as views of the v2 objects
        add(new ResourceType("networking.k8s.io", "v1", "Ingress", "ingresses", true, List.of("ing"), true, false));
        add(new ResourceType("networking.k8s.io", "v1", "IngressClass", "ingressclasses", false, List.of(), false, false));
        add(new ResourceType("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", true, List.of("netpol"), false, false));
        add(new ResourceType("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", true, List.of("pdb"), true, false));
        add(new ResourceType("storage.k8s.io", "v1", "StorageClass", "storageclasses", false, List.of("sc"), false, false));
        add(new ResourceType("coordination.k8s.io", "v1", "Lease", "leases", true, List.of(), false, false));
        add(new ResourceType("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", true, List.of(), false, false));
        add(new ResourceType("events.k8s.io", "v1", "Event", "events", true, List.of("ev"), false, false));
        add(new ResourceType("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false, List.of("crd", "crds"),
                true, false));
    }

    private void core(String kind, String plural, boolean namespaced, List<String> shortNames, boolean status) {
        add(new ResourceType("", "v1", kind, plural, namespaced, shortNames, status, false));
    }

    private void add(ResourceType t) {
        byPath.put(t.groupVersion() + "/" + t.plural(), t);
    }

    /** Serves a custom resource's version (replacing what was served at its path). */
    public synchronized void register(ResourceType t) {
        add(t);
    }

    /** Stops serving a custom resource's version. */
    public synchronized void unregister(ResourceType t) {
        byPath.remove(t.groupVersion() + "/" + t.plural());
    }

    public synchronized Optional<ResourceType> find(String groupVersion, String plural) {
        return Optional.ofNullable(byPath.get(groupVersion + "/" + plural));
    }

    public synchronized Optional<ResourceType> byKind(String apiVersion, String kind) {
        return byPath.values().stream().filter(t -> t.groupVersion().equals(apiVersion) && t.kind().equals(kind)).findFirst();
    }

    public synchronized List<ResourceType> all() {
        return new ArrayList<>(byPath.values());
    }

    /** The group/versions served, core ({@code v1}) first. */
    public synchronized List<String> groupVersions() {
        return byPath.values().stream().map(ResourceType::groupVersion).distinct().toList();
    }
}
