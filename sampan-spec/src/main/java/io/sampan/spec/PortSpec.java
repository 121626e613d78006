package io.sampan.spec;

/** An extra named container port, exposed under the same name and number on the Service. */
public record PortSpec(String name, int port, Protocol protocol) {

    public enum Protocol {
        HTTP, GRPC, TCP, UDP;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
