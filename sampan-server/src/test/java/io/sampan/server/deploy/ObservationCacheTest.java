package io.sampan.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.sampan.release.ObservedState;
import io.sampan.release.ClusterDriver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Status readers share one observation of a namespace a second, and never stampede the cluster. */
class ObservationCacheTest {
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T08:00:00Z"));
    final ObservationCache cache = new ObservationCache(clock);
    final AtomicInteger observations = new AtomicInteger();
    static final Map<String, String> SHOP = Map.of("sampan.io/app", "shop", "app.kubernetes.io/managed-by", "sampan");

    static ObservedState namespace(String version) {
        var shop = new DeploymentBuilder().withNewMetadata().withName("shop-web").addToLabels(SHOP).addToLabels("v", version).endMetadata().build();
        var other = new DeploymentBuilder().withNewMetadata().withName("blog-web").addToLabels("sampan.io/app", "blog")
                .addToLabels("app.kubernetes.io/managed-by", "sampan").endMetadata().build();
        var pod = new PodBuilder().withNewMetadata().withName("shop-web-1").addToLabels("sampan.io/app", "shop").endMetadata().build();
        return new ObservedState(List.of(shop, other), List.of(), List.of(), List.of(), List.of(pod), List.of(), Map.of());
    }

    ObservedState observe(String version) {
        observations.incrementAndGet();
        return namespace(version);
    }

    @Test
    void anAppSeesItsOwnPartOfTheNamespaceRefreshedOnceASecond() {
        ObservedState first = cache.get("local", "demo-dev", SHOP, () -> observe("1"));
        assertThat(first.deployments()).extracting(d -> d.getMetadata().getName()).containsExactly("shop-web");
        assertThat(first.pods()).hasSize(1);
        assertThat(cache.get("local", "demo-dev", SHOP, () -> observe("2")).deployments().get(0).getMetadata().getLabels()).containsEntry("v", "1");
        assertThat(observations).hasValue(1);
        clock.advance(Duration.ofMillis(1000));
        assertThat(cache.get("local", "demo-dev", SHOP, () -> observe("2")).deployments().get(0).getMetadata().getLabels()).containsEntry("v", "2");
        assertThat(observations).hasValue(2);
        assertThat(cache.get("local", "demo-prod", SHOP, () -> observe("3")).deployments()).hasSize(1);
        assertThat(observations).hasValue(3);
    }

    @Test
    void readersDuringARefreshGetThePreviousSnapshotAndOnlyOneObserves() throws Exception {
        cache.get("local", "demo-dev", SHOP, () -> observe("1"));
        clock.advance(Duration.ofSeconds(2));
        CountDownLatch observing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<ObservedState> refresher = CompletableFuture.supplyAsync(() -> cache.get("local", "demo-dev", SHOP, () -> {
            observing.countDown();
            await(release);
            return observe("2");
        }));
        assertThat(observing.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 20; i++) {
            ObservedState seen = cache.get("local", "demo-dev", SHOP, () -> observe("never"));
            assertThat(seen.deployments().get(0).getMetadata().getLabels()).containsEntry("v", "1");
        }
        release.countDown();
        assertThat(refresher.get(10, TimeUnit.SECONDS).deployments().get(0).getMetadata().getLabels()).containsEntry("v", "2");
        assertThat(observations).hasValue(2);
    }

    @Test
    void aSnapshotTooOldIsNotServedAndAFailedObservationReachesTheReader() {
        cache.get("local", "demo-dev", SHOP, () -> observe("1"));
        clock.advance(Duration.ofMillis(ObservationCache.MAX_STALE_MILLIS));
        assertThatThrownBy(() -> cache.get("local", "demo-dev", SHOP, () -> {
            throw new ClusterDriver.Unreachable("connection refused", null);
        })).isInstanceOf(ClusterDriver.Unreachable.class).hasMessageContaining("connection refused");
        assertThat(cache.get("local", "demo-dev", SHOP, () -> observe("2")).deployments().get(0).getMetadata().getLabels()).containsEntry("v", "2");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
