package io.sampan.compiler.feature;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.ArrayList;
import java.util.List;

/** Sets container environment variables by name: a later value replaces an earlier one in place. */
final class EnvVars {
    private EnvVars() {
    }

    static void set(Container container, EnvVar var) {
        List<EnvVar> env = container.getEnv() == null ? new ArrayList<>() : new ArrayList<>(container.getEnv());
        for (int i = 0; i < env.size(); i++) {
            if (env.get(i).getName().equals(var.getName())) {
                env.set(i, var);
                container.setEnv(env);
                return;
            }
        }
        env.add(var);
        container.setEnv(env);
    }

    static void set(Container container, String name, String value) {
        set(container, new EnvVar(name, value, null));
    }
}
