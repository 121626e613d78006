package io.sampan.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.sampan.sandbox.junit.Sandbox;
import io.sampan.sandbox.junit.SandboxClients;
import io.sampan.sandbox.sim.Kinds;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * fabric8 {@code SharedIndexInformer}s against the sandbox: they sync, see adds, updates and deletes,
 * come back after their watch connections are cut (through {@link LoopbackProxy}, while the
 * sandbox's {@link Faults} refuse their reconnects during a burst of writes) without losing or
 * repeating an event, and relist when the sandbox answers their watch with 410 Gone.
 */
@Sandbox(nodes = 0, timeFactor = 0, name = "informers")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Fabric8InformerTest {
    static SandboxCluster cluster;
    static LoopbackProxy proxy;
    /** Through the proxy: the informers' client. */
    static KubernetesClient informing;
    /** Straight to the sandbox: the writers'. */
    static KubernetesClient writer;

    @BeforeAll
    static void start(SandboxCluster sandbox, KubernetesClient direct) throws Exception {
        cluster = sandbox;
        writer = direct;
        proxy = new LoopbackProxy(URI.create(cluster.url()).getPort());
        Config config = SandboxClients.config(cluster);
        config.setMasterUrl(proxy.url());
        config.setWatchReconnectInterval(50);
        informing = new KubernetesClientBuilder().withConfig(config).build();
    }

    @AfterAll
    static void stop() {
        informing.close();
        proxy.close();
    }

    /** What the informer's handler was told, in order. */
    record Seen(String type, String name, String uid, long resourceVersion, boolean finalStateUnknown) {
    }

    /** Records every notification; {@link #await} waits (without polling) for the informer's state to meet a condition. */
    static final class Recorder implements ResourceEventHandler<Pod> {
        private final List<Seen> seen = new ArrayList<>();

        private synchronized void note(String type, Pod p, boolean unknown) {
            seen.add(new Seen(type, p.getMetadata().getName(), p.getMetadata().getUid(), Long.parseLong(p.getMetadata().getResourceVersion()),
                    unknown));
            notifyAll();
        }

        @Override
        public void onAdd(Pod p) {
            note("ADD", p, false);
        }

        @Override
        public void onUpdate(Pod before, Pod after) {
            note("UPDATE", after, false);
        }

        @Override
        public void onDelete(Pod p, boolean finalStateUnknown) {
            note("DELETE", p, finalStateUnknown);
        }

        /** The pods and resourceVersions the notifications add up to. */
        private Map<String, String> told() {
            Map<String, String> state = new TreeMap<>();
            for (Seen s : seen) {
                if (s.type().equals("DELETE")) {
                    state.remove(s.name());
                } else {
                    state.put(s.name(), Long.toString(s.resourceVersion()));
                }
            }
            return state;
        }

        synchronized List<Seen> seen() {
            return List.copyOf(seen);
        }

        /** Waits until the informer's cache holds exactly the server's pods of the namespace, at the server's resourceVersions. */
        synchronized void awaitInStep(SharedIndexInformer<Pod> informer, String namespace) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!cache(informer).equals(server(namespace)) || !told().equals(server(namespace))) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    assertThat(cache(informer)).as("the informer's cache caught up with the server").isEqualTo(server(namespace));
                    assertThat(told()).as("the handler was told of every change").isEqualTo(server(namespace));
                }
                wait(Math.min(left, 200)); // woken by every notification; the bound covers a server change the informer has yet to hear of
            }
        }
    }

    static Map<String, String> cache(SharedIndexInformer<Pod> informer) {
        return informer.getStore().list().stream().collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p.getMetadata().getResourceVersion(),
                (a, b) -> a + "," + b, TreeMap::new));
    }

    static Map<String, String> server(String namespace) {
        return cluster.store().list(Kinds.POD, namespace, x -> true).items().stream().collect(Collectors.toMap(p -> p.path("metadata").path("name")
                .asText(), p -> p.path("metadata").path("resourceVersion").asText(), (a, b) -> a, TreeMap::new));
    }

    static void namespace(String ns) {
        writer.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    }

    static Pod pod(String ns, String name) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(ns).addToLabels("app", "inf").endMetadata().withNewSpec()
                .addNewContainer().withName("main").withImage("shop/inf:1.0").endContainer().endSpec().build();
    }

    static void create(String ns, String name) {
        writer.pods().inNamespace(ns).resource(pod(ns, name)).create();
    }

    static void label(String ns, String name, String value) {
        writer.pods().inNamespace(ns).withName(name).edit(p -> new PodBuilder(p).editMetadata().addToLabels("round", value).endMetadata().build());
    }

    static void delete(String ns, String name) {
        writer.pods().inNamespace(ns).withName(name).delete();
    }

    /** Every pod was added exactly once, deleted at most once, and its updates never went back in time. */
    static void assertNoEventLostOrRepeated(List<Seen> seen) {
        Map<String, List<Seen>> byUid = seen.stream().collect(Collectors.groupingBy(Seen::uid));
        byUid.forEach((uid, events) -> {
            assertThat(events.stream().filter(e -> e.type().equals("ADD")).count()).as("adds of %s", events.get(0).name()).isEqualTo(1);
            assertThat(events.get(0).type()).as("first event of %s", events.get(0).name()).isEqualTo("ADD");
            assertThat(events.stream().filter(e -> e.type().equals("DELETE")).count()).as("deletes of %s", events.get(0).name()).isLessThanOrEqualTo(1);
            List<Long> versions = events.stream().filter(e -> !e.finalStateUnknown()).map(Seen::resourceVersion).toList();
            assertThat(versions).as("resourceVersions seen for %s", events.get(0).name()).isSorted();
        });
    }

    static boolean isList(String requestLine, String ns) {
        return requestLine.startsWith("GET /api/v1/namespaces/" + ns + "/pods") && !requestLine.contains("watch=true");
    }

    static Map<String, List<String>> typesByName(List<Seen> seen) {
        return seen.stream().collect(Collectors.groupingBy(Seen::name, TreeMap::new, Collectors.mapping(Seen::type, Collectors.toList())));
    }

    @Test
    void syncsThenSeesAddsUpdatesAndDeletes() throws Exception {
        String ns = "informed";
        namespace(ns);
        for (String name : List.of("a", "b", "c")) {
            create(ns, name);
        }
        Recorder recorder = new Recorder();
        SharedIndexInformer<Pod> informer = informing.pods().inNamespace(ns).inform(recorder, 0);
        try {
            assertThat(informer.hasSynced()).isTrue();
            assertThat(cache(informer).keySet()).containsExactly("a", "b", "c");

            create(ns, "d");
            label(ns, "a", "one");
            delete(ns, "b");
            cluster.simulation().awaitIdle();
            recorder.awaitInStep(informer, ns);

            assertThat(cache(informer).keySet()).containsExactly("a", "c", "d");
            assertThat(informer.getStore().getByKey(ns + "/a").getMetadata().getLabels()).containsEntry("round", "one");
            Map<String, List<String>> types = typesByName(recorder.seen());
            assertThat(types.get("d")).first().isEqualTo("ADD");
            assertThat(types.get("a")).contains("UPDATE");
            assertThat(types.get("b")).endsWith("DELETE");
            assertThat(recorder.seen()).filteredOn(s -> s.name().equals("b") && s.type().equals("DELETE")).singleElement()
                    .satisfies(s -> assertThat(s.finalStateUnknown()).as("seen on the watch, not inferred from a list").isFalse());
            assertNoEventLostOrRepeated(recorder.seen());
        } finally {
            informer.close();
        }
    }

    @Test
    void resumesItsWatchAfterTheConnectionsDropWithoutLosingOrRepeatingEvents() throws Exception {
        String ns = "dropped";
        namespace(ns);
        for (int i = 0; i < 5; i++) {
            create(ns, "p" + i);
        }
        Recorder recorder = new Recorder();
        SharedIndexInformer<Pod> informer = informing.pods().inNamespace(ns).inform(recorder, 0);
        try {
            cluster.simulation().awaitIdle();
            recorder.awaitInStep(informer, ns);
            cluster.faults().fail("GET", "/namespaces/" + ns + "/pods$", 503, -1); // reconnects refused during the burst
            int requestsBefore = proxy.requests().size();
            proxy.dropAll();
            for (int i = 5; i < 25; i++) {
                create(ns, "p" + i);
            }
            for (int i = 0; i < 25; i += 2) {
                label(ns, "p" + i, "burst");
            }
            for (int i = 0; i < 25; i += 5) {
                delete(ns, "p" + i);
            }
            cluster.faults().clear();
            cluster.simulation().awaitIdle();
            recorder.awaitInStep(informer, ns);

            List<String> after = proxy.requests().subList(requestsBefore, proxy.requests().size());
            assertThat(after).as("the informer resumed its watch from its resourceVersion, replayed from the window: %s", after)
                    .anyMatch(r -> r.startsWith("GET /api/v1/namespaces/" + ns + "/pods?") && r.contains("watch=true"))
                    .noneMatch(r -> isList(r, ns));
            assertThat(cache(informer)).hasSize(20).isEqualTo(server(ns));
            Map<String, List<String>> types = typesByName(recorder.seen());
            for (int i = 0; i < 25; i += 5) {
                assertThat(types.get("p" + i)).as("p%d was deleted during the drop", i).endsWith("DELETE");
            }
            for (int i = 5; i < 25; i++) {
                assertThat(types.get("p" + i)).as("p%d was created during the drop", i).first().isEqualTo("ADD");
            }
            assertNoEventLostOrRepeated(recorder.seen());
        } finally {
            informer.close();
        }
    }

    @Test
    void relistsWhenItsResourceVersionHasLeftTheWatchWindow() throws Exception {
        String ns = "expired";
        namespace(ns);
        for (String name : List.of("a", "b", "c")) {
            create(ns, name);
        }
        Recorder recorder = new Recorder();
        SharedIndexInformer<Pod> informer = informing.pods().inNamespace(ns).inform(recorder, 0);
        try {
            cluster.simulation().awaitIdle();
            recorder.awaitInStep(informer, ns);
            cluster.faults().fail("GET", "/namespaces/" + ns + "/pods$", 503, -1);
            int requestsBefore = proxy.requests().size();
            proxy.dropAll();
            delete(ns, "a");
            label(ns, "b", "late");
            create(ns, "z");
            churn(Store.WINDOW + 100); // the informer's resourceVersion falls out of the window
            cluster.faults().clear();
            cluster.simulation().awaitIdle();
            recorder.awaitInStep(informer, ns);

            List<String> after = proxy.requests().subList(requestsBefore, proxy.requests().size());
            assertThat(after).as("a list after the 410 in %s", proxy.requests()).anyMatch(r -> isList(r, ns));
            assertThat(cache(informer).keySet()).containsExactly("b", "c", "z");
            assertThat(informer.getStore().getByKey(ns + "/b").getMetadata().getLabels()).containsEntry("round", "late");
            assertThat(recorder.seen()).filteredOn(s -> s.name().equals("a") && s.type().equals("DELETE")).singleElement()
                    .satisfies(s -> assertThat(s.finalStateUnknown()).as("a deletion the relist found out").isTrue());
            assertNoEventLostOrRepeated(recorder.seen());
        } finally {
            informer.close();
        }
    }

    /** {@code changes} writes to one ConfigMap elsewhere, straight to the store: they fill the watch window. */
    static void churn(int changes) {
        writer.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("churn").withNamespace("default")
                .endMetadata().addToData("n", "0").build()).create();
        ResourceType configMaps = new ResourceTypes().find("v1", "configmaps").orElseThrow();
        for (int i = 1; i <= changes; i++) {
            var cm = cluster.store().get(configMaps, "default", "churn");
            cm.with("data").put("n", Integer.toString(i));
            cluster.store().update(configMaps, "default", "churn", cm, false);
        }
    }
}
