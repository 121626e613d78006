package io.sampan.compiler;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.sampan.spec.AppSpec;
import io.sampan.spec.JobSpec;
import io.sampan.spec.Placement;
import io.sampan.spec.Resources;
import io.sampan.spec.Runtime;
import io.sampan.spec.ServiceSpec;
import java.util.List;
import java.util.Map;

/**
 * What features see while compiling one service or job: the part's container-level settings (which
 * services and jobs share), the service itself when it is one, and the compilation.
 *
 * @param part service or job name
 * @param component value of {@code app.kubernetes.io/component}
 */
public record PodScope(CompileContext context, String part, String component, String image, List<String> command,
        List<String> args, Resources resources, Map<String, String> env, List<String> dependsOn, List<String> addons,
        Placement placement, Runtime runtime, ServiceSpec service, JobSpec job) {

    static PodScope of(CompileContext context, ServiceSpec s) {
        String component = s.stateful() ? "stateful" : s.isWorker() ? "worker" : "web";
        return new PodScope(context, s.name(), component, Images.mirror(s.image(), context.profile().registryMirror()),
                s.command(), s.args(), s.resources(), s.env(), s.dependsOn(), s.addons(), s.placement(), s.runtime(), s, null);
    }

    static PodScope of(CompileContext context, JobSpec j) {
        String component = switch (j.kind()) {
            case SCHEDULED -> "cronjob";
            case BROADCAST -> "broadcast-job";
            case TRIGGERED -> "job";
        };
        return new PodScope(context, j.name(), component, Images.mirror(j.image(), context.profile().registryMirror()),
                j.command(), j.args(), j.resources(), j.env(), j.dependsOn(), j.addons(), j.placement(), null, null, j);
    }

    public AppSpec app() {
        return context.app();
    }

    public ClusterProfile profile() {
        return context.profile();
    }

    public boolean isService() {
        return service != null;
    }

    public Map<String, String> labels() {
        return StandardLabels.of(app(), part, component, image);
    }

    public Map<String, String> selector() {
        return StandardLabels.selector(app(), part);
    }

    public String objectName() {
        return io.sampan.spec.ObjectNames.service(app().name(), part);
    }

    /** The main container of a pod template built for this scope. */
    public static Container mainContainer(PodTemplateSpec pod) {
        return pod.getSpec().getContainers().get(0);
    }
}
