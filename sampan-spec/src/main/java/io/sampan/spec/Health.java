package io.sampan.spec;

import java.util.List;

/**
 * How to tell the service is healthy: exactly one of an HTTP path, a TCP connect, or a command.
 *
 * @param port port the check targets; defaults to the service's main port
 * @param startupSeconds how long the process may take to start before liveness checks begin
 */
public record Health(String http, boolean tcp, List<String> exec, Integer port, Integer startupSeconds) {
    public Health {
        exec = exec == null ? List.of() : List.copyOf(exec);
    }
}
