package io.sampan.sandbox.junit;

import io.sampan.sandbox.SandboxCluster;
import java.lang.reflect.Parameter;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit 5 extension behind {@link Sandbox}: starts sandbox clusters before a test class (or a
 * test method annotated {@code @Sandbox}), injects them and their fabric8 clients as parameters, and
 * closes both afterwards. It can also be registered in code:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final SandboxExtension SANDBOX = SandboxExtension.clusters(2).nodes(3).timeFactor(20);
 * ...
 * SANDBOX.client(1).apps().deployments().resource(d).create();
 * }</pre>
 *
 * A {@code static} field shares the clusters among the class's tests; an instance field gives every
 * test fresh clusters. Parameters of type {@code SandboxCluster} and {@code KubernetesClient} are
 * resolved in order: the first of a type is cluster 0, the second cluster 1, and so on.
 */
public final class SandboxExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SandboxExtension.class);
    private static final String FABRIC8_CLIENT = "io.fabric8.kubernetes.client.KubernetesClient";
    private final SandboxClusters.Builder configured;
    private volatile SandboxClusters current;

    /** Used by {@code @Sandbox}: the clusters are described by the annotation. */
    public SandboxExtension() {
        this.configured = null;
    }

    private SandboxExtension(SandboxClusters.Builder configured) {
        this.configured = configured;
    }

    /** An extension starting {@code n} clusters (three nodes each, wall clock, unless set otherwise). */
    public static SandboxExtension clusters(int n) {
        return new SandboxExtension(SandboxClusters.builder().clusters(n));
    }

    /** Nodes per cluster. */
    public SandboxExtension nodes(int n) {
        builder().nodes(n);
        return this;
    }

    /** Zones the nodes are spread over. */
    public SandboxExtension zones(String... zones) {
        builder().zones(zones);
        return this;
    }

    /** Clocks {@code factor} times as fast as the wall clock. */
    public SandboxExtension timeFactor(double factor) {
        builder().timeFactor(factor);
        return this;
    }

    /** Manual clocks: time moves when the test calls {@code cluster(i).simulation().advance(d)}. */
    public SandboxExtension manualClock() {
        builder().manualClock();
        return this;
    }

    /** Whether readiness probes' initial delays are waited for. */
    public SandboxExtension probeDelays(boolean honoured) {
        builder().probeDelays(honoured);
        return this;
    }

    /** The clusters' name (kubeconfig context). */
    public SandboxExtension name(String name) {
        builder().name(name);
        return this;
    }

    private SandboxClusters.Builder builder() {
        if (configured == null) {
            throw new IllegalStateException("configure the clusters with @Sandbox(...) when the extension is declared by the annotation");
        }
        return configured;
    }

    /** The clusters of the running test. */
    public SandboxClusters clusters() {
        SandboxClusters c = current;
        if (c == null) {
            throw new IllegalStateException("no sandbox clusters are running (outside a test, or the extension is not registered)");
        }
        return c;
    }

    /** The {@code i}th cluster of the running test. */
    public SandboxCluster cluster(int i) {
        return clusters().get(i);
    }

    /** The fabric8 client of the {@code i}th cluster of the running test. */
    public io.fabric8.kubernetes.client.KubernetesClient client(int i) {
        return clusters().client(i);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Optional<SandboxClusters.Builder> spec = configured != null ? Optional.of(configured)
                : annotation(context.getRequiredTestClass()).map(SandboxExtension::builderOf);
        if (spec.isPresent() && active(context) == null) {
            start(context, spec.get());
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Optional<Sandbox> onMethod = context.getTestMethod().map(m -> m.getAnnotation(Sandbox.class));
        if (onMethod.isPresent()) {
            start(context, builderOf(onMethod.get()));
        } else if (active(context) == null && configured != null) {
            start(context, configured); // registered on an instance field: fresh clusters per test
        } else {
            current = active(context);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        stop(context);
        current = active(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop(context);
        current = null;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == SandboxCluster.class || type == SandboxClusters.class || type.getName().equals(FABRIC8_CLIENT);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        SandboxClusters clusters = active(context);
        if (clusters == null) {
            throw new ParameterResolutionException("no sandbox clusters are running for " + parameter.getDeclaringExecutable().getName()
                    + " (a constructor or @BeforeAll method needs @Sandbox on the class or a static @RegisterExtension field)");
        }
        Class<?> type = parameter.getParameter().getType();
        if (type == SandboxClusters.class) {
            return clusters;
        }
        int index = 0;
        Parameter[] all = parameter.getDeclaringExecutable().getParameters();
        for (int i = 0; i < parameter.getIndex(); i++) {
            if (all[i].getType() == type) {
                index++;
            }
        }
        if (index >= clusters.size()) {
            throw new ParameterResolutionException("parameter " + parameter.getParameter().getName() + " asks for cluster " + index + " but "
                    + clusters.size() + " cluster(s) were started: raise @Sandbox(clusters = ...)");
        }
        return type == SandboxCluster.class ? clusters.get(index) : clusters.client(index);
    }

    private static Optional<Sandbox> annotation(Class<?> testClass) {
        for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
            Sandbox s = c.getAnnotation(Sandbox.class);
            if (s != null) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    private static SandboxClusters.Builder builderOf(Sandbox s) {
        SandboxClusters.Builder b = SandboxClusters.builder().clusters(s.clusters()).nodes(s.nodes()).zones(s.zones()).probeDelays(s.probeDelays())
                .name(s.name());
        return s.timeFactor() == 0 ? b.manualClock() : b.timeFactor(s.timeFactor());
    }

    private SandboxClusters start(ExtensionContext context, SandboxClusters.Builder spec) {
        SandboxClusters clusters = spec.start();
        context.getStore(NAMESPACE).put(context.getUniqueId(), clusters);
        current = clusters;
        return clusters;
    }

    private static void stop(ExtensionContext context) {
        SandboxClusters clusters = context.getStore(NAMESPACE).remove(context.getUniqueId(), SandboxClusters.class);
        if (clusters != null) {
            clusters.close();
        }
    }

    /** The clusters of this context or the nearest enclosing one (a class's clusters serve its tests and nested classes). */
    private static SandboxClusters active(ExtensionContext context) {
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            SandboxClusters clusters = c.getStore(NAMESPACE).get(c.getUniqueId(), SandboxClusters.class);
            if (clusters != null) {
                return clusters;
            }
        }
        return null;
    }
}
