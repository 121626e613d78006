package io.sampan.compiler.feature;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LifecycleBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.sampan.compiler.PodScope;

/**
 * Applies the runtime preset: limit-derived environment (JVM heap and processors, Go's GOMAXPROCS
 * and GOMEMLIMIT, Node's heap), and for services with a port a graceful-shutdown pause (preStop
 * sleep) within a matching termination grace period.
 */
public final class RuntimePresetFeature implements Feature {

    @Override
    public void decoratePod(PodScope scope, PodTemplateSpec pod) {
        Container c = PodScope.mainContainer(pod);
        RuntimePreset.environment(scope.runtime(), scope.resources()).forEach((k, v) -> EnvVars.set(c, k, v));
        if (scope.service() == null || scope.service().port() == null) {
            return;
        }
        RuntimePreset preset = RuntimePreset.of(scope.runtime());
        c.setLifecycle(new LifecycleBuilder().withNewPreStop().withNewSleep((long) preset.preStopSeconds()).endPreStop().build());
        pod.getSpec().setTerminationGracePeriodSeconds((long) preset.terminationGraceSeconds());
    }
}
