package io.sampan.server.cluster;

import io.fabric8.kubernetes.client.Config;
import io.sampan.server.registry.RegistryException;

/** Reads a pasted kubeconfig: which API server it points at, for the context chosen. */
public final class Kubeconfigs {
    private Kubeconfigs() {
    }

    /** The client configuration of {@code context} (or the current context when null). */
    public static Config config(String kubeconfig, String context) {
        if (kubeconfig == null || kubeconfig.isBlank()) {
            throw new RegistryException.Invalid("kubeconfig", "\"kubeconfig\" is required: paste the content of a kubeconfig file");
        }
        Config config;
        try {
            config = Config.fromKubeconfig(context, kubeconfig, null);
        } catch (RuntimeException e) {
            throw new RegistryException.Invalid("kubeconfig", "the kubeconfig cannot be read: " + firstLine(e.getMessage()));
        }
        if (config.getMasterUrl() == null || config.getMasterUrl().isBlank()
                || context != null && (config.getCurrentContext() == null || !context.equals(config.getCurrentContext().getName()))) {
            throw new RegistryException.Invalid(context == null ? "kubeconfig" : "context",
                    context == null ? "the kubeconfig has no current context with a server" : "the kubeconfig has no context \"" + context + "\"");
        }
        return config;
    }

    private static String firstLine(String s) {
        return s == null ? "unreadable" : s.lines().findFirst().orElse("unreadable");
    }
}
