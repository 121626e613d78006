package io.sampan.compiler.feature;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.sampan.compiler.PodScope;

/**
 * The app's and the service's own environment variables, after everything Sampan injects, so a
 * value the user wrote always wins. Also tells the process who it is ({@code SAMPAN_APP}...).
 */
public final class EnvironmentFeature implements Feature {

    @Override
    public void decoratePod(PodScope scope, PodTemplateSpec pod) {
        Container c = PodScope.mainContainer(pod);
        EnvVars.set(c, "SAMPAN_APP", scope.app().name());
        EnvVars.set(c, scope.isService() ? "SAMPAN_SERVICE" : "SAMPAN_JOB", scope.part());
        if (scope.app().environment() != null) {
            EnvVars.set(c, "SAMPAN_ENVIRONMENT", scope.app().environment());
        }
        scope.app().env().forEach((k, v) -> EnvVars.set(c, k, v));
        scope.env().forEach((k, v) -> EnvVars.set(c, k, v));
    }
}
