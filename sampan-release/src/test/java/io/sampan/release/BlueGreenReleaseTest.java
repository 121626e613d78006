package io.sampan.release;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.sampan.release.ReleaseProgress.Phase;
import io.sampan.release.ReleaseProgress.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Blue-green against an in-memory cluster: the preview beside the old version, the switch of the live
 * Service in one write, the old version kept for the switch-back delay, and nothing left over; an
 * abort before or after the switch, and a preview that never becomes ready, return to the previous
 * release with the live Service switched back in one write.
 */
class BlueGreenReleaseTest {
    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    static final String APP = """
            apiVersion: sampan.io/v1
            kind: App
            metadata: {name: shop}
            spec:
              services:
                web: {image: "r.local/web:%1$s", port: 8080, replicas: 3, expose: [{host: shop.test, path: /}]}
                db: {image: "r.local/db:%1$s", port: 5432, replicas: 1, stateful: true}
                worker: {image: "r.local/worker:%1$s", replicas: 2}
              release:
                strategy: blue-green
                switchBackDelay: 5m
                autoRollback: true
            """;

    final FakeCluster dc1 = new FakeCluster();
    /** Every write and delete, in order, with each Service's selector at the time: what "one step" means. */
    final List<String> writes = new ArrayList<>();
    final ReleaseEngine engine = new ReleaseEngine(name -> recording());

    ClusterDriver recording() {
        return new ClusterDriver() {
            @Override
            public void apply(List<HasMetadata> objects) {
                dc1.apply(objects);
                writes.add("apply " + String.join(", ", objects.stream().map(o -> o instanceof Service s
                        ? FakeCluster.key(o) + " " + s.getSpec().getSelector().get("sampan.io/track") : FakeCluster.key(o)).toList()));
            }

            @Override
            public List<ObjectRef> list(String namespace, Map<String, String> labels) {
                return dc1.list(namespace, labels);
            }

            @Override
            public Optional<HasMetadata> get(ObjectRef ref) {
                return dc1.get(ref);
            }

            @Override
            public void delete(ObjectRef ref) {
                if (dc1.objects.containsKey(ref.kind() + "/" + ref.name())) {
                    writes.add("delete " + ref.kind() + "/" + ref.name());
                }
                dc1.delete(ref);
            }

            @Override
            public ObservedState observe(String namespace, Map<String, String> labels) {
                return dc1.observe(namespace, labels);
            }
        };
    }

    static Release release(int number, String version, Release previous) {
        return TestReleases.of(APP.formatted(version), number, previous, Map.of("dc1", "a"));
    }

    Release firstRelease() {
        dc1.autoReady = true;
        Release r1 = release(1, "1", null);
        ReleaseProgress p = engine.tick(r1, ReleaseProgress.start(r1, T0), T0);
        assertThat(p.phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(dc1.objects.keySet()).noneMatch(k -> k.endsWith("-preview"));
        return r1;
    }

    static String image(FakeCluster c, String deployment) {
        return ProgressiveReleaseTest.image(c, deployment);
    }

    Map<String, String> selector(String service) {
        return ((Service) dc1.objects.get("Service/" + service)).getSpec().getSelector();
    }

    static ReleaseProgress promote(ReleaseProgress p, String key) {
        return p.withControl(p.control().promote(Set.of(key), false));
    }

    @Test
    void thePreviewRunsBesideTheOldVersionThenTheSwitchMovesLiveTrafficAndTheOldVersionGoesAfterTheDelay() {
        Release r1 = firstRelease();
        Release r2 = release(2, "2", r1);
        ReleaseProgress p = engine.tick(r2, ReleaseProgress.start(r2, T0), T0);

        // preview: the new version with every instance beside the old, on the preview host
        assertThat(p.clusters().get("dc1").step()).isEqualTo(new Step.Paused(0, 0, null));
        assertThat(p.clusters().get("dc1").message()).isEqualTo("preview of shop-web ready on preview-shop.test; waiting for approval by a "
                + "project member who may deploy (sampan release promote 2)");
        assertThat(image(dc1, "shop-web")).isEqualTo("r.local/web:1");
        assertThat(image(dc1, "shop-web-preview")).isEqualTo("r.local/web:2");
        Deployment preview = (Deployment) dc1.objects.get("Deployment/shop-web-preview");
        assertThat(preview.getSpec().getReplicas()).as("all instances").isEqualTo(3);
        assertThat(preview.getSpec().getSelector().getMatchLabels()).containsEntry("sampan.io/track", "preview");
        assertThat(preview.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("sampan.io/track", "preview");
        assertThat(selector("shop-web")).doesNotContainKey("sampan.io/track");
        assertThat(selector("shop-web-preview")).containsEntry("sampan.io/track", "preview");
        Ingress previewIngress = (Ingress) dc1.objects.get("Ingress/shop-web-preview");
        assertThat(previewIngress.getSpec().getRules().get(0).getHost()).isEqualTo("preview-shop.test");
        assertThat(previewIngress.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService().getName())
                .isEqualTo("shop-web-preview");
        Ingress live = (Ingress) dc1.objects.get("Ingress/shop-web");
        assertThat(live.getSpec().getRules().get(0).getHost()).isEqualTo("shop.test");
        assertThat(live.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService().getName()).isEqualTo("shop-web");
        assertThat(((StatefulSet) dc1.objects.get("StatefulSet/shop-db")).getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .as("a StatefulSet rolls as a plain rolling update").isEqualTo("r.local/db:2");
        assertThat(image(dc1, "shop-worker")).as("no Service, no traffic to switch: rolls as released").isEqualTo("r.local/worker:2");
        assertThat(dc1.objects).doesNotContainKey("Deployment/shop-worker-preview");
        assertThat(engine.tick(r2, p, T0.plusSeconds(600)).clusters().get("dc1").step()).as("a person decides").isEqualTo(new Step.Paused(0, 0, null));

        // the switch: the live Service selects the preview pods, in one write; the old version stays
        writes.clear();
        Instant switched = T0.plusSeconds(60);
        p = engine.tick(r2, promote(p, "dc1@0/0"), switched);
        assertThat(p.clusters().get("dc1").step()).isEqualTo(new Step.Paused(0, 1, switched.plus(Duration.ofMinutes(5))));
        assertThat(p.clusters().get("dc1").message()).isEqualTo("live traffic on the new version of shop-web; old version kept until 10:06:00 "
                + "(5m 0s left) for switch-back (sampan release abort 2)");
        assertThat(selector("shop-web")).containsEntry("sampan.io/track", "preview");
        assertThat(writes).first().asString().startsWith("apply Service/shop-web preview");
        assertThat(writes).noneMatch(w -> w.startsWith("delete"));
        assertThat(image(dc1, "shop-web")).isEqualTo("r.local/web:1");
        p = engine.tick(r2, p, switched.plus(Duration.ofMinutes(4)));
        assertThat(p.clusters().get("dc1").message()).contains("(1m 0s left)");
        assertThat(image(dc1, "shop-web")).as("kept for the switch-back").isEqualTo("r.local/web:1");

        // after the delay: the released Deployment rolls while live traffic stays on the preview
        dc1.autoReady = false;
        dc1.objects.keySet().stream().filter(k -> !k.equals("Deployment/shop-web")).forEach(dc1.ready::add);
        p = engine.tick(r2, p, switched.plus(Duration.ofMinutes(5)));
        assertThat(p.clusters().get("dc1").step()).isEqualTo(new Step.WaitReady(0, 2));
        assertThat(p.clusters().get("dc1").message()).contains("shop-web");
        assertThat(image(dc1, "shop-web")).isEqualTo("r.local/web:2");
        assertThat(selector("shop-web")).as("traffic on the preview meanwhile").containsEntry("sampan.io/track", "preview");

        // ready: the Services as released, the preview objects gone
        dc1.ready.add("Deployment/shop-web");
        writes.clear();
        p = engine.tick(r2, p, switched.plus(Duration.ofMinutes(6)));
        assertThat(p.phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(dc1.objects.keySet()).noneMatch(k -> k.endsWith("-preview"));
        assertThat(dc1.objects.keySet()).containsExactlyInAnyOrderElementsOf(r2.clusters().get("dc1").objects().stream()
                .map(FakeCluster::key).toList());
        assertThat(selector("shop-web")).doesNotContainKey("sampan.io/track");
        assertThat(image(dc1, "shop-web")).isEqualTo("r.local/web:2");
        int releasedService = indexOf("apply", "Service/shop-web null");
        assertThat(releasedService).as("the Service as released before the preview goes").isGreaterThanOrEqualTo(0)
                .isLessThan(writes.indexOf("delete Deployment/shop-web-preview"));
    }

    @Test
    void aZeroDelayAndNoPauseGoStraightThrough() {
        Release r1 = firstRelease();
        Release r2 = TestReleases.of(APP.formatted("2").replace("switchBackDelay: 5m", "switchBackDelay: 0\n    pause: none"), 2, r1,
                Map.of("dc1", "a"));
        ReleaseProgress p = engine.tick(r2, ReleaseProgress.start(r2, T0), T0);
        assertThat(p.phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(dc1.objects.keySet()).noneMatch(k -> k.endsWith("-preview"));
        assertThat(writes).anyMatch(w -> w.startsWith("apply Service/shop-web preview"));
    }

    @Test
    void promoteFullDuringTheDelayKeepsLiveTrafficOnThePreviewWhileTheDeploymentRolls() {
        Release r1 = firstRelease();
        Release r2 = release(2, "2", r1);
        ReleaseProgress p = engine.tick(r2, ReleaseProgress.start(r2, T0), T0);
        p = engine.tick(r2, promote(p, "dc1@0/0"), T0.plusSeconds(60));
        assertThat(p.clusters().get("dc1").step()).isInstanceOf(Step.Paused.class);
        dc1.autoReady = false;
        dc1.objects.keySet().stream().filter(k -> !k.equals("Deployment/shop-web")).forEach(dc1.ready::add);
        p = engine.tick(r2, p.withControl(p.control().promote(Set.of(), true)), T0.plusSeconds(120));
        assertThat(p.clusters().get("dc1").step()).isEqualTo(new Step.WaitReady(0, BlueGreenWrites.REPLACE));
        assertThat(image(dc1, "shop-web")).isEqualTo("r.local/web:2");
        assertThat(selector("shop-web")).as("never the Service as released over a rolling Deployment").containsEntry("sampan.io/track", "preview");
        dc1.ready.add("Deployment/shop-web");
        p = engine.tick(r2, p, T0.plusSeconds(150));
        assertThat(p.phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(dc1.objects.keySet()).noneMatch(k -> k.endsWith("-preview"));
        assertThat(selector("shop-web")).doesNotContainKey("sampan.io/track");
    }

    @Test
    void promoteFullBeforeThePreviewIsReadySwitchesOnlyOnceItIs() {
        Release r1 = firstRelease();
        dc1.autoReady = false;
        dc1.ready.addAll(dc1.objects.keySet());
        Release r2 = release(2, "2", r1);
        ReleaseProgress start = ReleaseProgress.start(r2, T0);
        ReleaseProgress p = engine.tick(r2, start.withControl(start.control().promote(Set.of(), true)), T0);
        assertThat(p.clusters().get("dc1").step()).isEqualTo(new Step.WaitReady(0, BlueGreenWrites.PREVIEW_BATCH));
        assertThat(selector("shop-web")).doesNotContainKey("sampan.io/track");
        dc1.autoReady = true;
        p = engine.tick(r2, p, T0.plusSeconds(30));
        assertThat(p.phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(writes).anyMatch(w -> w.startsWith("apply Service/shop-web preview") && w.contains("Deployment/shop-web,"));
        assertThat(dc1.objects.keySet()).noneMatch(k -> k.endsWith("-preview"));
    }

    @Test
    void anAbortDuringThePreviewRemovesItAndLeavesTheOldVersionServing() {
        Release r1 = firstRelease();
        Release r2 = release(2, "2", r1);
        ReleaseProgress p = engine.tick(r2, ReleaseProgress.start(r2, T0), T0);
        assertThat(dc1.objects).containsKeys("Deployment/shop-web-preview", "Service/shop-web-preview", "Ingress/shop-web-preview");
        p = engine.tick(r2, p.withControl(p.control().abort("ana")), T0.plusSeconds(5));
        assertThat(p.phase()).isEqualTo(Phase.ROLLED_BACK);
        assertThat(p.failureReason()).contains("aborted by ana");
        assertThat(dc1.objects.keySet()).noneMatch(k -> k.endsWith("-preview"));
        assertThat(image(dc1, "shop-web")).isEqualTo("r.local/web:1");
        assertThat(selector("shop-web")).doesNotContainKey("sampan.io/track");
    }

    @Test
    void anAbortDuringTheDelaySwitchesTheServiceBackInOneWriteBeforeThePreviewGoes() {
        Release r1 = firstRelease();
        Release r2 = release(2, "2", r1);
        ReleaseProgress p = engine.tick(r2, ReleaseProgress.start(r2, T0), T0);
        p = engine.tick(r2, promote(p, "dc1@0/0"), T0.plusSeconds(60));
        assertThat(p.clusters().get("dc1").step()).isInstanceOf(Step.Paused.class);
        assertThat(selector("shop-web")).containsEntry("sampan.io/track", "preview");

        writes.clear();
        p = engine.tick(r2, p.withControl(p.control().abort("ana")), T0.plusSeconds(120));
        assertThat(p.phase()).isEqualTo(Phase.ROLLED_BACK);
        assertThat(writes.get(0)).as("the switch-back: the live Service alone, back on the old version").isEqualTo("apply Service/shop-web null");
        assertThat(writes.get(1)).isEqualTo("delete Deployment/shop-web-preview");
        assertThat(dc1.objects.keySet()).noneMatch(k -> k.endsWith("-preview"));
        assertThat(image(dc1, "shop-web")).isEqualTo("r.local/web:1");
        assertThat(dc1.objects.keySet()).containsExactlyInAnyOrderElementsOf(r1.clusters().get("dc1").objects().stream()
                .map(FakeCluster::key).toList());
    }

    @Test
    void aPreviewThatNeverBecomesReadyRollsBackWithNothingLeftOver() {
        Release r1 = firstRelease();
        dc1.autoReady = false;
        dc1.ready.addAll(dc1.objects.keySet()); // the old version stays ready; the preview never becomes so
        Release r2 = release(2, "2", r1);
        ReleaseProgress p = engine.tick(r2, ReleaseProgress.start(r2, T0), T0);
        assertThat(p.clusters().get("dc1").step()).isEqualTo(new Step.WaitReady(0, 0));
        assertThat(p.clusters().get("dc1").message()).contains("shop-web-preview");
        assertThat(selector("shop-web")).doesNotContainKey("sampan.io/track");
        for (int i = 1; i < 20 && p.phase() == Phase.RUNNING; i++) {
            p = engine.tick(r2, p, T0.plus(Duration.ofMinutes(i)));
        }
        assertThat(p.phase()).isEqualTo(Phase.ROLLED_BACK);
        assertThat(p.failureReason()).contains("shop-web-preview");
        assertThat(dc1.objects.keySet()).noneMatch(k -> k.endsWith("-preview"));
        assertThat(image(dc1, "shop-web")).isEqualTo("r.local/web:1");
        assertThat(selector("shop-web")).doesNotContainKey("sampan.io/track");
    }

    @Test
    void aReleasedDeploymentThatNeverBecomesReadyAfterTheSwitchRollsBackWithTrafficOnReadyPodsAndNothingLeftOver() {
        Release r1 = firstRelease();
        dc1.autoReady = false;
        dc1.ready.addAll(dc1.objects.keySet());
        dc1.ready.add("Deployment/shop-web-preview"); // the preview comes up; the Deployment under its real name never does again
        dc1.ready.remove("Deployment/shop-web");
        Release r2 = TestReleases.of(APP.formatted("2").replace("switchBackDelay: 5m", "switchBackDelay: 0\n    pause: none"), 2, r1,
                Map.of("dc1", "a"));
        ReleaseProgress p = engine.tick(r2, ReleaseProgress.start(r2, T0), T0);
        assertThat(p.clusters().get("dc1").step()).isEqualTo(new Step.WaitReady(0, 2));
        assertThat(selector("shop-web")).as("live traffic on the preview while the Deployment rolls").containsEntry("sampan.io/track", "preview");
        assertThat(image(dc1, "shop-web")).isEqualTo("r.local/web:2");
        for (int i = 1; i < 20 && p.phase() == Phase.RUNNING; i++) {
            p = engine.tick(r2, p, T0.plus(Duration.ofMinutes(i)));
            if (p.clusters().get("dc1").step() instanceof Step.RollingBack) {
                // the old version's pods are gone once the Deployment rolled: live traffic stays on the preview
                // (ready) until the previous release is back, never on a Deployment that is not ready
                assertThat(selector("shop-web")).containsEntry("sampan.io/track", "preview");
                dc1.ready.add("Deployment/shop-web"); // this fake knows readiness by name: the old version, applied again, is ready
            }
        }
        assertThat(p.phase()).isEqualTo(Phase.ROLLED_BACK);
        assertThat(p.failureReason()).contains("shop-web");
        assertThat(dc1.objects.keySet()).noneMatch(k -> k.endsWith("-preview"));
        assertThat(image(dc1, "shop-web")).isEqualTo("r.local/web:1");
        assertThat(selector("shop-web")).doesNotContainKey("sampan.io/track");
    }

    @Test
    void aFailedGateAfterTheSwitchSwitchesBack() {
        Release r1 = firstRelease();
        String gated = APP.replace("autoRollback: true", "autoRollback: true\n    gates: [{name: smoke, webhook: 'https://ci.test/smoke'}]");
        Release r2 = TestReleases.of(gated.formatted("2"), 2, r1, Map.of("dc1", "a"));
        boolean[] failing = {false};
        ReleaseEngine gatedEngine = new ReleaseEngine(name -> recording(), (release, gate) -> failing[0] ? new GateReading.Refused("503")
                : new GateReading.Passed("200"));
        ReleaseProgress p = gatedEngine.tick(r2, ReleaseProgress.start(r2, T0), T0);
        assertThat(p.clusters().get("dc1").step()).isEqualTo(new Step.Paused(0, 0, null));
        failing[0] = true;
        p = gatedEngine.tick(r2, promote(p, "dc1@0/0"), T0.plusSeconds(60));
        assertThat(selector("shop-web")).containsEntry("sampan.io/track", "preview");
        assertThat(p.clusters().get("dc1").step()).isInstanceOf(Step.RollingBack.class);
        p = gatedEngine.tick(r2, p, T0.plusSeconds(61));
        assertThat(p.phase()).isEqualTo(Phase.ROLLED_BACK);
        assertThat(dc1.objects.keySet()).noneMatch(k -> k.endsWith("-preview"));
        assertThat(selector("shop-web")).doesNotContainKey("sampan.io/track");
    }

    private int indexOf(String verb, String what) {
        for (int i = 0; i < writes.size(); i++) {
            if (writes.get(i).startsWith(verb + " ") && List.of(writes.get(i).substring(verb.length() + 1).split(", ")).contains(what)) {
                return i;
            }
        }
        return -1;
    }
}
