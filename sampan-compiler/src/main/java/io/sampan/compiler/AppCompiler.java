package io.sampan.compiler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.sampan.compiler.feature.AutoscaleFeature;
import io.sampan.compiler.feature.ConfigFilesFeature;
import io.sampan.compiler.feature.DependencyBindingFeature;
import io.sampan.compiler.feature.DisruptionBudgetFeature;
import io.sampan.compiler.feature.EnvironmentFeature;
import io.sampan.compiler.feature.Feature;
import io.sampan.compiler.feature.HealthProbesFeature;
import io.sampan.compiler.feature.HttpRouteFeature;
import io.sampan.compiler.feature.IngressFeature;
import io.sampan.compiler.feature.PlacementFeature;
import io.sampan.compiler.feature.PortsFeature;
import io.sampan.compiler.feature.ResourcesFeature;
import io.sampan.compiler.feature.RuntimePresetFeature;
import io.sampan.compiler.feature.VolumesFeature;
import io.sampan.spec.AppSpec;
import io.sampan.spec.JobSpec;
import io.sampan.spec.ServiceSpec;
import io.sampan.spec.SpecException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Compiles an app (resolved for one environment) for one cluster into Kubernetes objects. Pure and
 * deterministic: the same input gives the same objects in the same order.
 *
 * <p>Each service becomes a pod template decorated by every {@link Feature} in order, a workload
 * (Deployment or StatefulSet) and the objects features add; each job becomes a Job or CronJob.
 */
public final class AppCompiler {
    /** Order matters: user environment comes after everything injected, so a value the user wrote wins. */
    private static final List<Feature> FEATURES = List.of(
            new ResourcesFeature(),
            new PortsFeature(),
            new DependencyBindingFeature(),
            new RuntimePresetFeature(),
            new EnvironmentFeature(),
            new ConfigFilesFeature(),
            new HealthProbesFeature(),
            new PlacementFeature(),
            new VolumesFeature(),
            new IngressFeature(),
            new HttpRouteFeature(),
            new AutoscaleFeature(),
            new DisruptionBudgetFeature());

    /** Kinds in the order a person reads them and a cluster best receives them. */
    private static final List<String> KIND_ORDER = List.of("ConfigMap", "Service", "Deployment", "StatefulSet", "Job",
            "BroadcastJob", "CronJob", "Ingress", "HTTPRoute", "HorizontalPodAutoscaler", "PodDisruptionBudget");

    private final List<Feature> features;

    public AppCompiler() {
        this(FEATURES);
    }

    AppCompiler(List<Feature> features) {
        this.features = List.copyOf(features);
    }

    /**
     * @throws SpecException when the app asks for something the cluster profile cannot give (e.g. a
     *     default host with no domain suffix)
     */
    public CompiledApp compile(AppSpec app, ClusterProfile profile) {
        CompileContext context = new CompileContext(app, profile);
        List<HasMetadata> objects = new ArrayList<>();
        for (ServiceSpec service : app.services().values()) {
            PodScope scope = PodScope.of(context, service);
            PodTemplateSpec pod = Workloads.pod(scope);
            features.forEach(f -> f.decoratePod(scope, pod));
            HasMetadata workload = Workloads.workload(scope, pod);
            features.forEach(f -> f.decorateWorkload(scope, workload));
            objects.add(workload);
            features.forEach(f -> objects.addAll(f.accompanyingObjects(scope)));
        }
        for (JobSpec job : app.jobs().values()) {
            PodScope scope = PodScope.of(context, job);
            PodTemplateSpec pod = Workloads.pod(scope);
            features.forEach(f -> f.decoratePod(scope, pod));
            objects.add(JobCompiler.compile(scope, pod));
        }
        if (!context.problems().isEmpty()) {
            throw new SpecException(context.problems());
        }
        for (HasMetadata o : objects) {
            o.getMetadata().setNamespace(profile.namespace());
        }
        objects.sort(Comparator.comparingInt((HasMetadata o) -> rank(o.getKind())).thenComparing(o -> o.getMetadata().getName()));
        return new CompiledApp(objects);
    }

    private static int rank(String kind) {
        int i = KIND_ORDER.indexOf(kind);
        return i < 0 ? KIND_ORDER.size() : i;
    }
}
