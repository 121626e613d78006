package io.sampan.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sampan.release.ObservedState;
import io.sampan.sandbox.SandboxCluster;
import io.sampan.sandbox.junit.Sandbox;
import io.sampan.sandbox.junit.SandboxClients;
import io.sampan.server.deploy.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The watch-fed mirror against a sandbox cluster: an app's view is its own objects (trimmed), its
 * pods' zones and the warnings about them, the same as reading the cluster; a view is not served
 * while the mirror has yet to see a workload this server wrote, nor while its watches cannot start
 * (the cluster is read instead); idle namespaces stop being watched.
 */
@Sandbox(nodes = 3, probeDelays = false, name = "mirror")
class ClusterMirrorTest {
    static final Map<String, String> SHOP = Map.of("sampan.io/app", "shop", "sampan.io/environment", "dev",
            "app.kubernetes.io/managed-by", "sampan");
    static final Map<String, String> BLOG = Map.of("sampan.io/app", "blog", "sampan.io/environment", "dev",
            "app.kubernetes.io/managed-by", "sampan");
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
    KubernetesClient client;
    Fabric8ClusterDriver driver;

    @BeforeEach
    void connect(SandboxCluster cluster) {
        io.fabric8.kubernetes.client.Config config = SandboxClients.config(cluster);
        config.setRequestRetryBackoffLimit(0); // as the server's clients (KubeconfigClusterDrivers): a failed list is the informer's to handle
        client = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(config).build();
        driver = new Fabric8ClusterDriver(client, clock);
    }

    @AfterEach
    void close() {
        driver.close();
        client.close();
    }

    static Deployment deployment(String namespace, Map<String, String> owner, String service, String image, int replicas) {
        String app = owner.get("sampan.io/app");
        return new DeploymentBuilder().withNewMetadata().withName(app + "-" + service).withNamespace(namespace).withLabels(owner)
                .addToLabels("sampan.io/service", service).endMetadata().withNewSpec().withReplicas(replicas).withNewSelector()
                .addToMatchLabels("sampan.io/app", app).addToMatchLabels("sampan.io/service", service).endSelector().withNewTemplate()
                .withNewMetadata().addToLabels("sampan.io/app", app).addToLabels("sampan.io/service", service).endMetadata().withNewSpec()
                .addNewContainer().withName(service).withImage(image).endContainer().endSpec().endTemplate().endSpec().build();
    }

    /** Waits (the watches deliver on their own threads) until {@code seen} meets {@code done}; the last view otherwise. */
    static <T> T await(Supplier<T> seen, Predicate<T> done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        T last = seen.get();
        while (!done.test(last) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            last = seen.get();
        }
        return last;
    }

    static List<String> names(List<? extends HasMetadata> objects) {
        return objects.stream().map(o -> o.getMetadata().getName()).toList();
    }

    /** All three pods placed, the web instances ready, the broken image's warning there, and answered from the mirror (trimmed pods). */
    static boolean settled(ObservedState s) {
        return s.pods().size() == 3 && s.pods().stream().allMatch(p -> p.getSpec().getContainers().isEmpty()) && s.pods().stream().allMatch(p -> p.getSpec().getNodeName() != null)
                && s.deployments().stream().anyMatch(d -> d.getStatus() != null && Integer.valueOf(2).equals(d.getStatus().getReadyReplicas()))
                && s.events().stream().anyMatch(e -> "Failed".equals(e.getReason()));
    }

    @Test
    void anAppSeesItsOwnObjectsTrimmedWithZonesAndWarningsAsTheClusterShowsThem(SandboxCluster cluster) {
        driver.apply(List.of(deployment("mirror-a", SHOP, "web", "registry.local/shop/web:1.0", 2),
                deployment("mirror-a", SHOP, "broken", "registry.local/shop/missing:1.0", 1),
                deployment("mirror-a", BLOG, "web", "registry.local/blog/web:1.0", 1)));
        cluster.simulation().awaitIdle();

        ObservedState shop = await(() -> driver.observeTopology("mirror-a", SHOP), ClusterMirrorTest::settled);
        assertThat(driver.mirroredNamespaces()).containsExactly("mirror-a");
        assertThat(names(shop.deployments())).containsExactly("shop-broken", "shop-web");
        assertThat(shop.pods()).hasSize(3).allSatisfy(p -> assertThat(p.getMetadata().getLabels()).containsEntry("sampan.io/app", "shop"));
        assertThat(names(shop.replicaSets())).hasSize(2).allMatch(n -> n.startsWith("shop-"));
        for (Pod p : shop.pods()) {
            assertThat(shop.nodeZones().get(p.getSpec().getNodeName())).as("zone of %s", p.getSpec().getNodeName()).isIn("a", "b", "c");
            assertThat(p.getSpec().getContainers()).as("a pod keeps its node, not its spec: answered from the mirror").isEmpty();
            assertThat(p.getStatus().getContainerStatuses()).as("and all of its status").isNotEmpty();
        }
        assertThat(shop.deployments()).allSatisfy(d -> {
            assertThat(d.getMetadata().getManagedFields()).isEmpty();
            assertThat(d.getSpec().getTemplate()).isNull();
            assertThat(d.getSpec().getReplicas()).isPositive();
        });
        assertThat(shop.events()).isNotEmpty().allSatisfy(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getInvolvedObject().getName()).startsWith("shop-broken");
        });

        ObservedState read = driver.observeWorkloads("mirror-a", SHOP);
        assertThat(names(shop.pods())).as("the same pods as a read of the cluster").containsExactlyInAnyOrderElementsOf(names(read.pods()));
        assertThat(names(driver.observeTopology("mirror-a", BLOG).deployments())).containsExactly("blog-web");
        assertThat(names(driver.observe("mirror-a", Map.of("app.kubernetes.io/managed-by", "sampan")).deployments()))
                .as("without an app: all Sampan manages in the namespace").containsExactly("blog-web", "shop-broken", "shop-web");
    }

    @Test
    void aViewIsNotServedUntilTheMirrorHasSeenWhatThisServerWrote() {
        ClusterMirror mirror = new ClusterMirror(client, clock);
        try {
            driver.apply(List.of(deployment("mirror-b", SHOP, "web", "registry.local/shop/web:1.0", 1)));
            Deployment first = await(() -> mirror.observe("mirror-b", SHOP), v -> v.isPresent() && v.get().deployments().size() == 1)
                    .orElseThrow().deployments().get(0);

            // a write of generation 2 the watches have not told of yet: no view rather than the older one
            Deployment written = new DeploymentBuilder(first).editMetadata().withGeneration(first.getMetadata().getGeneration() + 1)
                    .endMetadata().build();
            mirror.wrote(written);
            assertThat(mirror.observe("mirror-b", SHOP)).isEmpty();
            assertThat(mirror.observe("mirror-b", BLOG)).as("another app's view is not held back").isPresent();

            Deployment changed = client.apps().deployments().inNamespace("mirror-b")
                    .resource(deployment("mirror-b", SHOP, "web", "registry.local/shop/web:2.0", 1)).fieldManager("sampan").forceConflicts()
                    .serverSideApply();
            assertThat(changed.getMetadata().getGeneration()).isEqualTo(written.getMetadata().getGeneration());
            Optional<ObservedState> caughtUp = await(() -> mirror.observe("mirror-b", SHOP), Optional::isPresent);
            assertThat(caughtUp).as("served once the watch brought generation 2").isPresent();
            assertThat(caughtUp.get().deployments().get(0).getMetadata().getGeneration()).isEqualTo(changed.getMetadata().getGeneration());

            // a write never seen (say, deleted by someone since) holds the view back for WRITE_PATIENCE only
            mirror.wrote(new DeploymentBuilder(changed).editMetadata().withUid("another-incarnation").endMetadata().build());
            assertThat(mirror.observe("mirror-b", SHOP)).isEmpty();
            clock.advance(ClusterMirror.WRITE_PATIENCE.plusSeconds(1));
            assertThat(mirror.observe("mirror-b", SHOP)).isPresent();
        } finally {
            mirror.close();
        }
    }

    @Test
    void whileTheWatchesCannotStartReadsGoToTheClusterAndTheMirrorTriesAgainLater(SandboxCluster cluster) {
        // written by another client: this driver's mirror has no write of its own to wait for
        client.resource(new NamespaceBuilder().withNewMetadata().withName("mirror-e").endMetadata().build())
                .create();
        client.resource(deployment("mirror-e", SHOP, "web", "registry.local/shop/web:1.0", 1)).fieldManager("sampan").serverSideApply();
        cluster.faults().fail("GET", "/namespaces/mirror-e/events", 503, 1); // the events informer's first list
        ObservedState read = driver.observeTopology("mirror-e", SHOP);
        assertThat(names(read.deployments())).containsExactly("shop-web");
        assertThat(read.deployments().get(0).getSpec().getTemplate()).as("read from the cluster: the whole object").isNotNull();
        assertThat(driver.observeTopology("mirror-e", SHOP).deployments().get(0).getSpec().getTemplate())
                .as("not tried again at once").isNotNull();

        clock.advance(ClusterMirror.RETRY_AFTER.plusSeconds(1));
        ObservedState mirrored = await(() -> driver.observeTopology("mirror-e", SHOP),
                v -> v.deployments().size() == 1 && v.deployments().get(0).getSpec().getTemplate() == null);
        assertThat(mirrored.deployments().get(0).getSpec().getTemplate()).as("answered by the mirror, started again").isNull();
    }

    @Test
    void aNamespaceNobodyReadsStopsBeingWatched() {
        driver.apply(List.of(deployment("mirror-c", SHOP, "web", "registry.local/shop/web:1.0", 1),
                deployment("mirror-d", SHOP, "web", "registry.local/shop/web:1.0", 1)));
        assertThat(await(() -> driver.observeTopology("mirror-c", SHOP).deployments(), d -> d.size() == 1)).hasSize(1);
        assertThat(driver.mirroredNamespaces()).containsExactly("mirror-c");
        clock.advance(ClusterMirror.IDLE.plus(Duration.ofMinutes(1)));
        assertThat(await(() -> driver.observeTopology("mirror-d", SHOP).deployments(), d -> d.size() == 1)).hasSize(1);
        assertThat(driver.mirroredNamespaces()).containsExactly("mirror-d");
    }

    /** Shop (2 pods) and blog (1 pod) in {@code namespace}, the cluster idle and the mirror holding every object as the cluster does. */
    void twoAppsCaughtUp(SandboxCluster cluster, String namespace) {
        driver.apply(List.of(deployment(namespace, SHOP, "web", "registry.local/shop/web:1.0", 2),
                deployment(namespace, BLOG, "web", "registry.local/blog/web:1.0", 1)));
        cluster.simulation().awaitIdle();
        await(() -> driver.topologyVersion(namespace, SHOP).isPresent() && driver.topologyVersion(namespace, BLOG).isPresent()
                && driver.observeTopology(namespace, SHOP).pods().size() == 2 && driver.observeTopology(namespace, BLOG).pods().size() == 1
                && driver.observeTopology(namespace, SHOP).pods().stream().allMatch(p -> p.getSpec().getContainers().isEmpty()), done -> done);
        cluster.simulation().awaitIdle();
        // the simulation is idle; the mirror has caught up once it holds every object as the cluster does (no event still on its way)
        java.util.SortedSet<String> inCluster = versions(client.apps().deployments().inNamespace(namespace).list().getItems(),
                client.apps().replicaSets().inNamespace(namespace).list().getItems(), client.pods().inNamespace(namespace).list().getItems());
        assertThat(await(() -> versions(driver.observeTopology(namespace, SHOP), driver.observeTopology(namespace, BLOG)), inCluster::equals))
                .as("the mirror caught up with the idle cluster").isEqualTo(inCluster);
    }

    @Test
    void anAppsVersionChangesWithItsObjectsAndNotWithAnotherAppsOnes(SandboxCluster cluster) {
        twoAppsCaughtUp(cluster, "mirror-v");
        Object shop = await(() -> driver.topologyVersion("mirror-v", SHOP), v -> v.isPresent()).orElseThrow();
        Object blog = driver.topologyVersion("mirror-v", BLOG).orElseThrow();
        assertThat(driver.topologyVersion("mirror-v", SHOP)).as("nothing changed").contains(shop);

        String gone = driver.observeTopology("mirror-v", SHOP).pods().get(0).getMetadata().getName();
        client.pods().inNamespace("mirror-v").withName(gone).delete();
        Object moved = await(() -> driver.topologyVersion("mirror-v", SHOP).orElseThrow(), v -> !v.equals(shop));
        assertThat(moved).as("a pod of shop deleted").isNotEqualTo(shop);
        assertThat(names(driver.observeTopology("mirror-v", SHOP).pods())).as("observed after the version: at least as new").doesNotContain(gone);
        assertThat(driver.topologyVersion("mirror-v", BLOG)).as("blog's objects did not change").contains(blog);
    }

    @Test
    void aWarningEventChangesTheVersionOfTheAppItIsAboutOnly(SandboxCluster cluster) {
        twoAppsCaughtUp(cluster, "mirror-w");
        Object shop = driver.topologyVersion("mirror-w", SHOP).orElseThrow();
        Object blog = driver.topologyVersion("mirror-w", BLOG).orElseThrow();
        String pod = driver.observeTopology("mirror-w", SHOP).pods().get(0).getMetadata().getName();
        client.v1().events().inNamespace("mirror-w").resource(warning("probe-failed", pod)).create();
        Object moved = await(() -> driver.topologyVersion("mirror-w", SHOP).orElseThrow(), v -> !v.equals(shop));
        assertThat(moved).as("a warning about a pod of shop").isNotEqualTo(shop);
        assertThat(driver.observeTopology("mirror-w", SHOP).events()).extracting(e -> e.getMetadata().getName()).contains("probe-failed");
        assertThat(driver.topologyVersion("mirror-w", BLOG)).as("nothing of blog's changed").contains(blog);

        client.v1().events().inNamespace("mirror-w").resource(warning("no-such-object", "shop-web-gone")).create();
        Object blogMoved = await(() -> driver.topologyVersion("mirror-w", BLOG).orElseThrow(), v -> !v.equals(blog));
        assertThat(blogMoved).as("a warning about an object the mirror does not hold counts for every app").isNotEqualTo(blog);
        assertThat(driver.topologyVersion("mirror-w", SHOP)).isPresent().get().isNotEqualTo(moved);
    }

    static io.fabric8.kubernetes.api.model.Event warning(String name, String podName) {
        return new io.fabric8.kubernetes.api.model.EventBuilder().withNewMetadata().withName(name).withNamespace("mirror-w").endMetadata()
                .withType("Warning").withReason("Unhealthy").withMessage("Readiness probe failed").withNewInvolvedObject().withKind("Pod")
                .withName(podName).withNamespace("mirror-w").endInvolvedObject().build();
    }

    /** Name and resourceVersion of each Deployment, ReplicaSet and pod the states hold, sorted. */
    static java.util.SortedSet<String> versions(ObservedState one, ObservedState other) {
        java.util.SortedSet<String> out = versions(one.deployments(), one.replicaSets(), one.pods());
        out.addAll(versions(other.deployments(), other.replicaSets(), other.pods()));
        return out;
    }

    @SafeVarargs
    static java.util.SortedSet<String> versions(List<? extends io.fabric8.kubernetes.api.model.HasMetadata>... objects) {
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        for (List<? extends io.fabric8.kubernetes.api.model.HasMetadata> some : objects) {
            some.forEach(o -> out.add(o.getKind() + "/" + o.getMetadata().getName() + "@" + o.getMetadata().getResourceVersion()));
        }
        return out;
    }
}
