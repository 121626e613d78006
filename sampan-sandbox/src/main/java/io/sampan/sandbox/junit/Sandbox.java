package io.sampan.sandbox.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class (clusters started before all its tests, closed after) or a test method (its own
 * clusters) against sandbox clusters on ephemeral ports. Test and lifecycle methods, and the
 * constructor, may take {@code SandboxCluster}, fabric8 {@code KubernetesClient} (configured for the
 * sandbox by {@link SandboxClients}) and {@link SandboxClusters} parameters: the n-th parameter of a
 * type gets the n-th cluster.
 *
 * <pre>{@code
 * @Sandbox(clusters = 2, nodes = 3)
 * class FailoverTest {
 *     @Test
 *     void movesTraffic(KubernetesClient east, KubernetesClient west, SandboxCluster eastCluster) { ... }
 * }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(SandboxExtension.class)
public @interface Sandbox {
    /** How many clusters (each with its own API server, simulation and clock). */
    int clusters() default 1;

    /** Nodes per cluster; 0 for none (pods stay Pending). */
    int nodes() default 3;

    /** The zones nodes are spread over (label {@code topology.kubernetes.io/zone}). */
    String[] zones() default {"a", "b", "c"};

    /**
     * How many times faster than the wall clock each cluster's clock runs; 0 for a manual clock that
     * moves only when the test calls {@code cluster.simulation().advance(duration)}.
     */
    double timeFactor() default 1;

    /** Whether readiness probes' initial delays are waited for; false makes pods ready once running. */
    boolean probeDelays() default true;

    /** The clusters' name (kubeconfig context); several are {@code name-0}, {@code name-1}... */
    String name() default "sandbox";
}
