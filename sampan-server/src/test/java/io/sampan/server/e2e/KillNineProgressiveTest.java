package io.sampan.server.e2e;

import static io.sampan.server.e2e.ServerProcess.freePort;
import static io.sampan.server.e2e.ServerProcess.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sampan.sandbox.SandboxCluster;
import io.sampan.sandbox.sim.Simulation;
import io.sampan.server.api.ApiClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Progressive releases survive {@code kill -9} of the server process at random moments. Three
 * scenarios on two sandbox clusters (zone-a, zone-b): a batch release over two waves (bastion,
 * 50 %, 100 %; every batch paused for a person), a canary release (20 %, pause, 50 %, pause, 100 %,
 * through a canary Service and Ingress), and a batch release whose bastion crash-loops until its
 * deadline (15 s), rolled back automatically. Each runs first without a kill (project {@code ref}),
 * then again (projects {@code kill-*}) while the server is killed with SIGKILL at moments drawn from a
 * seeded {@link Random} over the unkilled run's duration (its first, plain release included),
 * restarted on the same database, and driven on through the API (promote at every pause). Each ends
 * in the same phase with the same live objects as the unkilled run: the same kinds and names (no
 * {@code -canary} object left), the same labels, annotations (the Deployment revision included: an
 * object applied again unchanged is no new rollout) and spec (but a Service's cluster IP, which the
 * cluster assigns).
 *
 * <p>{@code -Dkills=N} (default 6) sets the number of kills, {@code -Dkills.perRun=K} (default 2) how
 * many land in one run: N/K runs, the scenarios taking turns, each in a project of its own; every run
 * is judged, and the test fails if any ended differently. {@code -Dkills.seed=S} replays the kill
 * moments (the seed is printed; where they land still depends on the machine's speed).
 * {@code bench/kill-soak} runs 50.
 */
class KillNineProgressiveTest {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String CLUSTERS = "/api/v1/clusters";
    @TempDir
    Path data;
    SandboxCluster zoneA;
    SandboxCluster zoneB;
    Process server;
    int port;
    ApiClient api;
    int restarts;
    long startNanos;
    int starts;

    /**
     * A scenario: the environment it releases to and its clusters; release 2's version (an image tag
     * {@code crash}: the sandbox's containers crash-loop) and what its deploy asks; how it ends.
     */
    record Scenario(String name, String environment, List<String> clusters, String version, String deploy, String ends) {
    }

    static final List<Scenario> SCENARIOS = List.of(new Scenario("batch over two waves", "prod", List.of("pa", "pb"), "2", "{}", "succeeded"),
            new Scenario("canary with pauses", "gray", List.of("pa"), "2", "{}", "succeeded"),
            new Scenario("batch whose bastion crash-loops, rolled back", "prod", List.of("pa", "pb"), "crash",
                    "{\"release\":{\"progressDeadline\":\"15s\"}}", "rolled-back"));

    /** How a run ended: the phase of each release, the live objects of each cluster, where the kills landed. */
    record Outcome(List<String> phases, Map<String, String> objects, List<Duration> took, List<String> killedAt) {
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.destroyForcibly();
        }
        for (SandboxCluster c : new SandboxCluster[] {zoneA, zoneB}) {
            if (c != null) {
                c.close();
            }
        }
    }

    static String app(String version) {
        return """
                apiVersion: sampan.io/v1
                kind: App
                metadata: {name: shop}
                spec:
                  services:
                    web: {image: "registry.local/shop/web:%1$s", port: 8080, replicas: 4, dependsOn: [api], resources: {cpu: 100m, memory: 64Mi}}
                    api:
                      image: "registry.local/shop/api:%1$s"
                      port: 8000
                      replicas: 4
                      resources: {cpu: 100m, memory: 64Mi}
                      expose: [{host: shop.test, path: /}]
                  environments:
                    prod:
                      release: {strategy: batch, batches: [1, 50%%, 100%%], pause: manual, waves: [zone-a, zone-b], autoRollback: true}
                    gray:
                      release:
                        strategy: canary
                        steps: [{weight: 20}, {pause: manual}, {weight: 50}, {pause: manual}, {weight: 100}]
                        match: {header: X-User-Id, values: [u1, u2]}
                        autoRollback: true
                """.formatted(version);
    }

    @Test
    void batchAndCanaryReleasesKilledAtRandomPointsEndAsWithoutTheKills() throws Exception {
        int kills = Integer.getInteger("kills", 6);
        long seed = Long.getLong("kills.seed", System.nanoTime());
        System.out.println("KillNineProgressiveTest: " + kills + " kills, seed " + seed + " (replay with -Dkills=" + kills + " -Dkills.seed="
                + seed + ")");
        Random random = new Random(seed);
        // pulling an image takes 1 s: each batch waits for its instances long enough to be killed there
        zoneA = SandboxCluster.start("pa", 0, Simulation.Options.defaults().withImagePull(Duration.ofSeconds(1)));
        zoneB = SandboxCluster.start("pb", 0, Simulation.Options.defaults().withImagePull(Duration.ofSeconds(1)));
        port = freePort();
        start();
        api = new ApiClient(port, ApiClient.ADMIN_TOKEN);
        for (SandboxCluster c : new SandboxCluster[] {zoneA, zoneB}) {
            ok(api.post(CLUSTERS, JSON.writeValueAsString(Map.of("name", c.name(), "kubeconfig", c.kubeconfig()))));
        }
        int perRun = Math.max(1, Integer.getInteger("kills.perRun", 2));
        int runs = Math.max(SCENARIOS.size(), (kills + perRun - 1) / perRun);
        Map<String, Outcome> references = new TreeMap<>();
        List<String> different = new ArrayList<>();
        // a release may end before some of its kill points come (a rollback's deadline runs on while the server restarts):
        // the kills not taken are owed to the next run, with extra runs until every kill was taken
        int owed = 0;
        int run = 0;
        for (int i = 0; i < runs || owed > 0 && i < runs + 2 * SCENARIOS.size(); i++) {
            run = i + 1;
            Scenario s = SCENARIOS.get(i % SCENARIOS.size());
            Outcome reference = references.get(s.name());
            if (reference == null) {
                project("ref-" + i);
                reference = run("ref-" + i, s, List.of());
                assertThat(reference.phases()).as(s.name()).containsExactly("succeeded", s.ends());
                assertThat(reference.objects().keySet()).as(s.name()).noneMatch(k -> k.contains("-canary"))
                        .anyMatch(k -> k.endsWith("Deployment/shop-api"));
                references.put(s.name(), reference);
            }
            int n = (i < runs ? kills / runs + (i < kills % runs ? 1 : 0) : 0) + owed;
            // a kill lands in release 2 (the progressive one) three times in four, at a moment of its unkilled duration
            List<KillPoint> at = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                int release = random.nextInt(4) == 0 ? 1 : 2;
                at.add(new KillPoint(release, (long) (random.nextDouble() * reference.took().get(release - 1).toMillis())));
            }
            at.sort(java.util.Comparator.comparingInt(KillPoint::release).thenComparingLong(KillPoint::afterMillis));
            project("kill-" + i);
            Outcome killed = run("kill-" + i, s, at);
            owed = n - killed.killedAt().size();
            boolean same = killed.phases().equals(reference.phases()) && killed.objects().equals(reference.objects());
            String line = "run " + (i + 1) + ", " + s.name() + ": " + killed.killedAt().size() + " kills at " + killed.killedAt() + " -> "
                    + killed.phases() + (same ? ", as without the kills" : ", DIFFERENT from without the kills");
            System.out.println("KillNineProgressiveTest: " + line);
            if (!same) {
                different.add(line);
                difference(reference.objects(), killed.objects()).forEach(d -> System.out.println("KillNineProgressiveTest:   " + d));
            }
        }
        System.out.println("KillNineProgressiveTest: " + (run - different.size()) + " of " + run + " runs (" + restarts
                + " kills) reached the expected state (seed " + seed + "); " + starts + " server starts, " + startNanos / starts / 1_000_000
                + " ms each on average");
        assertThat(different).as("runs that ended differently from without the kills (seed %d)", seed).isEmpty();
        assertThat(restarts).as("kills taken").isEqualTo(kills);
    }

    /** A project with the two environments: prod over zone-a and zone-b, gray on zone-a. */
    void project(String project) throws Exception {
        ok(retry(() -> api.post("/api/v1/orgs/default/projects", "{\"name\":\"" + project + "\"}")));
        ok(retry(() -> api.post(base(project) + "/environments", "{\"name\":\"prod\",\"clusters\":[{\"cluster\":\"pa\",\"weight\":1,"
                + "\"zone\":\"zone-a\"},{\"cluster\":\"pb\",\"weight\":1,\"zone\":\"zone-b\"}]}")));
        ok(retry(() -> api.post(base(project) + "/environments", "{\"name\":\"gray\",\"clusters\":[{\"cluster\":\"pa\",\"zone\":\"zone-a\"}]}")));
    }

    /** A kill {@code afterMillis} into release {@code release} (1 or 2) of a run, time while the server restarts not counted. */
    record KillPoint(int release, long afterMillis) {
    }

    /** Each object that differs: where its text first differs, both sides from there. */
    static List<String> difference(Map<String, String> expected, Map<String, String> actual) {
        List<String> out = new ArrayList<>();
        java.util.Set<String> keys = new java.util.TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        for (String key : keys) {
            String a = expected.get(key);
            String b = actual.get(key);
            if (a == null || b == null) {
                out.add(key + (a == null ? " left over" : " missing"));
            } else if (!a.equals(b)) {
                int i = 0;
                while (i < Math.min(a.length(), b.length()) && a.charAt(i) == b.charAt(i)) {
                    i++;
                }
                int from = Math.max(0, i - 60);
                out.add(key + " expected ..." + a.substring(from, Math.min(a.length(), i + 200)) + " but was ..."
                        + b.substring(from, Math.min(b.length(), i + 200)));
            }
        }
        return out;
    }

    static String base(String project) {
        return "/api/v1/orgs/default/projects/" + project;
    }

    /**
     * Release 1 then release 2 of the app to the scenario's environment, a person promoting every
     * pause; the server killed once each release has been going for each of {@code killAt} (sorted;
     * time while the server restarts is not counted).
     */
    Outcome run(String project, Scenario s, List<KillPoint> killAt) throws Exception {
        String releases = base(project) + "/apps/shop/environments/" + s.environment() + "/releases";
        Iterator<KillPoint> kills = killAt.iterator();
        KillPoint nextKill = kills.hasNext() ? kills.next() : null;
        List<Duration> took = new ArrayList<>();
        List<String> killedAt = new ArrayList<>();
        List<String> phases = new ArrayList<>();
        for (int version = 1; version <= 2; version++) {
            long active = 0;
            long mark = System.nanoTime();
            String v = version == 1 ? "1" : s.version();
            String deploy = version == 1 ? "{}" : s.deploy();
            ok(retry(() -> api.yaml(base(project) + "/apps", app(v))));
            ok(retry(() -> api.post(releases, deploy)));
            String release = releases + "/" + version;
            while (true) {
                active += System.nanoTime() - mark;
                mark = System.nanoTime();
                // a kill point release 1 ended too soon for is taken as soon as release 2 is deployed
                if (nextKill != null && (nextKill.release() < version || nextKill.release() == version
                        && active >= Duration.ofMillis(nextKill.afterMillis()).toNanos())) {
                    JsonNode now = release(release);
                    killedAt.add("r" + version + " " + (now == null ? "?" : steps(now)));
                    kill9AndRestart();
                    mark = System.nanoTime();
                    nextKill = kills.hasNext() ? kills.next() : null;
                    continue;
                }
                JsonNode r = release(release);
                if (r != null) {
                    String phase = r.get("phase").asString();
                    if (!List.of("running", "paused", "rolling-back").contains(phase)) {
                        phases.add(phase);
                        took.add(Duration.ofNanos(active));
                        break;
                    }
                    if (phase.equals("paused") && anyPaused(r)) {
                        try {
                            api.post(release + "/promote", "{}"); // a person lets the pause go; answered or not, the next look decides
                        } catch (RuntimeException notAnswering) {
                            // looked at again on the next pass
                        }
                    }
                }
                if (active > Duration.ofSeconds(180).toNanos()) { // the server's own time, restarts not counted
                    throw new AssertionError(project + " " + s.name() + ": release " + version + " did not end within 180 s: " + r
                            + "; killed at " + killedAt);
                }
                Thread.sleep(25); // the server is another process: polling is the only way to see it move
            }
        }
        Map<String, String> objects = new TreeMap<>();
        for (String cluster : s.clusters()) {
            objects.putAll(live(cluster.equals("pa") ? zoneA : zoneB, project + "-" + s.environment(), cluster));
        }
        return new Outcome(phases, objects, took, killedAt);
    }

    static boolean anyPaused(JsonNode r) {
        for (JsonNode c : r.get("clusters")) {
            if (c.get("step").asString().equals("paused")) {
                return true;
            }
        }
        return false;
    }

    static String steps(JsonNode r) {
        List<String> out = new ArrayList<>();
        r.get("clusters").forEach(c -> out.add(c.get("step").asString()));
        return String.join("+", out);
    }

    static final List<String[]> KINDS = List.of(new String[] {"apps/v1", "Deployment"}, new String[] {"apps/v1", "StatefulSet"},
            new String[] {"v1", "Service"}, new String[] {"networking.k8s.io/v1", "Ingress"},
            new String[] {"autoscaling/v2", "HorizontalPodAutoscaler"}, new String[] {"policy/v1", "PodDisruptionBudget"},
            new String[] {"v1", "ConfigMap"}, new String[] {"batch/v1", "Job"});

    /**
     * What Sampan wrote to the namespace, per object: labels, annotations and spec, with what the
     * cluster assigns (uid, versions, times, status) and the namespace's name left out.
     */
    static Map<String, String> live(SandboxCluster c, String namespace, String cluster) {
        Map<String, String> out = new TreeMap<>();
        try (KubernetesClient k = SandboxDeployTest.client(c)) {
            for (String[] kind : KINDS) {
                for (GenericKubernetesResource o : k.genericKubernetesResources(kind[0], kind[1]).inNamespace(namespace).list().getItems()) {
                    ObjectNode n = (ObjectNode) JSON.readTree(io.fabric8.kubernetes.client.utils.Serialization.asJson(o));
                    ObjectNode meta = (ObjectNode) n.get("metadata");
                    ObjectNode kept = JSON.createObjectNode();
                    kept.set("labels", meta.get("labels"));
                    kept.set("annotations", meta.get("annotations"));
                    JsonNode spec = n.get("spec");
                    if (spec instanceof ObjectNode o2 && kind[1].equals("Service")) {
                        o2.remove(List.of("clusterIP", "clusterIPs")); // assigned by the cluster
                    }
                    kept.set("spec", spec);
                    if (n.has("data")) {
                        kept.set("data", n.get("data"));
                    }
                    out.put(cluster + " " + kind[1] + "/" + meta.get("name").asString(), kept.toString().replace(namespace, "NAMESPACE"));
                }
            }
        }
        return out;
    }

    private JsonNode release(String release) {
        try {
            ApiClient.Response answer = api.get(release);
            JsonNode r = answer.status() == 200 ? answer.json() : null;
            return r == null || r.get("phase") == null || r.get("clusters") == null || r.get("clusters").isEmpty() ? null : r;
        } catch (RuntimeException notAnswering) {
            return null;
        }
    }

    private static ApiClient.Response retry(Supplier<ApiClient.Response> call) throws InterruptedException {
        for (int i = 0; ; i++) {
            try {
                return call.get();
            } catch (UncheckedIOException e) {
                if (i > 100) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private void start() throws IOException, InterruptedException {
        long begun = System.nanoTime();
        server = ServerProcess.start(port, data, Duration.ofSeconds(120), "-XX:TieredStopAtLevel=1", "-Dsampan.release.canary-drain=3s");
        startNanos += System.nanoTime() - begun;
        starts++;
    }

    private void kill9AndRestart() throws Exception {
        server.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no orderly close of the database
        server.waitFor();
        restarts++;
        start();
    }

}
