package io.sampan.sandbox.gateway;

/**
 * A Service port traffic is sent to: {@code port} by number, or by {@code portName} when the
 * number is 0. {@code origin} names the object that routes to it ({@code ingress default/web},
 * {@code httproute default/web}). {@code invalid} says why a reference cannot be followed (an
 * HTTPRoute's backendRef of another kind or namespace), null when it can.
 */
public record Backend(String namespace, String service, int port, String portName, String origin, String invalid) {
    public Backend(String namespace, String service, int port, String portName, String origin) {
        this(namespace, service, port, portName, origin, null);
    }

    /** {@code namespace/service}. */
    public String serviceKey() {
        return namespace + "/" + service;
    }

    /** The same Service and port, whoever routes to it. */
    public boolean sameTarget(Backend other) {
        return other != null && serviceKey().equals(other.serviceKey()) && port == other.port
                && java.util.Objects.equals(portName, other.portName);
    }
}
