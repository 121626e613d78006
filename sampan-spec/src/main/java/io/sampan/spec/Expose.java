package io.sampan.spec;

/**
 * Public exposure of a service's main port through the cluster's ingress.
 *
 * @param host the public host; {@code null} means {@code <app>-<service>.<domain suffix of the cluster>}
 * @param tlsSecret the TLS secret, or {@code null} for plain HTTP
 */
public record Expose(String host, String path, String tlsSecret) {
}
