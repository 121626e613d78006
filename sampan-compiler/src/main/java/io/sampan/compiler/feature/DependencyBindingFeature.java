package io.sampan.compiler.feature;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.sampan.compiler.PodScope;
import io.sampan.spec.AddonSpec;
import io.sampan.spec.ObjectNames;
import java.util.List;

/**
 * Wires dependencies through environment variables: {@code dependsOn: [api]} gives {@code API_HOST},
 * {@code API_PORT}, {@code API_URL}; {@code addons: [db]} gives {@code DB_HOST} ... {@code DB_URL}
 * taken from the addon's connection Secret by reference, never inlined.
 */
public final class DependencyBindingFeature implements Feature {
    /** Keys of an addon connection Secret, and whether each must be present. */
    static final List<String[]> ADDON_KEYS = List.of(
            new String[] {"HOST", "host", "required"}, new String[] {"PORT", "port", "required"},
            new String[] {"USERNAME", "username", "optional"}, new String[] {"PASSWORD", "password", "optional"},
            new String[] {"DATABASE", "database", "optional"}, new String[] {"URL", "url", "required"});

    @Override
    public void decoratePod(PodScope scope, PodTemplateSpec pod) {
        Container c = PodScope.mainContainer(pod);
        String app = scope.app().name();
        for (String target : scope.dependsOn()) {
            String prefix = ObjectNames.envPrefix(target);
            String host = ObjectNames.service(app, target);
            EnvVars.set(c, prefix + "_HOST", host);
            EnvVars.set(c, prefix + "_PORT", Integer.toString(PortsFeature.STANDARD_PORT));
            EnvVars.set(c, prefix + "_URL", "http://" + host);
        }
        for (String alias : scope.addons()) {
            AddonSpec addon = scope.app().addons().get(alias);
            String secret = ObjectNames.addonSecret(app, addon);
            String prefix = ObjectNames.envPrefix(alias);
            for (String[] key : ADDON_KEYS) {
                EnvVar var = new EnvVarBuilder().withName(prefix + "_" + key[0]).withNewValueFrom().withNewSecretKeyRef()
                        .withName(secret).withKey(key[1]).withOptional(key[2].equals("optional") ? Boolean.TRUE : null)
                        .endSecretKeyRef().endValueFrom().build();
                EnvVars.set(c, var);
            }
        }
    }
}
