package io.sampan.server.cluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;
import io.sampan.server.registry.Cluster;
import io.sampan.server.registry.ClusterHealth;
import io.sampan.server.registry.ClusterStore;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import javax.net.ssl.SSLException;
import org.springframework.stereotype.Service;

/**
 * Checks that a cluster answers, and says why when it does not: TLS, authentication, timeout,
 * refused connection, unknown host, or a Kubernetes version Sampan does not support.
 */
@Service
public class ClusterCheck {
    static final int TIMEOUT_MILLIS = 5000;
    static final int MIN_MINOR = 27;
    private final ClusterStore clusters;

    public ClusterCheck(ClusterStore clusters) {
        this.clusters = clusters;
    }

    public Cluster check(Cluster cluster) {
        Config config = Kubeconfigs.config(clusters.kubeconfig(cluster), null);
        config.setConnectionTimeout(TIMEOUT_MILLIS);
        config.setRequestTimeout(TIMEOUT_MILLIS);
        config.setRequestRetryBackoffLimit(0);
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            VersionInfo v = client.getKubernetesVersion();
            String version = v.getGitVersion();
            int minor = parseMinor(v.getMinor());
            if (minor >= 0 && minor < MIN_MINOR) {
                return clusters.recordCheck(cluster, ClusterHealth.UNREACHABLE, "version: Kubernetes " + version
                        + " is older than the 1." + MIN_MINOR + " Sampan needs", version);
            }
            return clusters.recordCheck(cluster, ClusterHealth.REACHABLE, null, version);
        } catch (RuntimeException e) {
            return clusters.recordCheck(cluster, ClusterHealth.UNREACHABLE, reason(e), null);
        }
    }

    static String reason(Throwable e) {
        if (e instanceof KubernetesClientException k && (k.getCode() == 401 || k.getCode() == 403)) {
            return "auth: the cluster refused the credentials (HTTP " + k.getCode() + ")";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return "TLS: " + t.getMessage();
            }
            if (t instanceof HttpTimeoutException || t instanceof java.util.concurrent.TimeoutException
                    || t instanceof java.net.SocketTimeoutException) {
                return "timeout: no answer within " + TIMEOUT_MILLIS / 1000 + "s";
            }
            if (t instanceof ConnectException) {
                return "unreachable: connection refused";
            }
            if (t instanceof UnknownHostException) {
                return "unreachable: unknown host " + t.getMessage();
            }
        }
        String m = e.getMessage();
        return "unreachable: " + (m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m));
    }

    private static int parseMinor(String minor) {
        try {
            return Integer.parseInt(minor.replaceAll("\\D.*$", ""));
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
