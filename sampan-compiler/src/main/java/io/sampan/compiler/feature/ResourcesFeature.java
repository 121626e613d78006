package io.sampan.compiler.feature;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.sampan.compiler.OvercommitPolicy;
import io.sampan.compiler.PodScope;
import java.util.LinkedHashMap;
import java.util.Map;

/** Limits as the user wrote them; requests from the cluster's overcommit policy; the ratio in an annotation. */
public final class ResourcesFeature implements Feature {
    public static final String OVERCOMMIT_ANNOTATION = "sampan.io/overcommit";

    @Override
    public void decoratePod(PodScope scope, PodTemplateSpec pod) {
        OvercommitPolicy policy = scope.profile().overcommit();
        Map<String, Quantity> limits = new LinkedHashMap<>();
        limits.put("cpu", new Quantity(scope.resources().cpu().toKubernetes()));
        limits.put("memory", new Quantity(scope.resources().memory().toKubernetes()));
        Map<String, Quantity> requests = new LinkedHashMap<>();
        requests.put("cpu", new Quantity(policy.cpuRequest(scope.resources()).toKubernetes()));
        requests.put("memory", new Quantity(policy.memoryRequest(scope.resources()).toKubernetes()));
        PodScope.mainContainer(pod).setResources(new ResourceRequirementsBuilder().withLimits(limits).withRequests(requests).build());
        pod.getMetadata().getAnnotations().put(OVERCOMMIT_ANNOTATION, policy.describe());
    }
}
