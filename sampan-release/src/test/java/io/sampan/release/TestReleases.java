package io.sampan.release;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.sampan.compiler.AppCompiler;
import io.sampan.compiler.ClusterProfile;
import io.sampan.spec.AppSpec;
import io.sampan.spec.read.AppDocument;
import io.sampan.spec.read.AppReader;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Releases for engine tests: an app.yaml compiled for environment prod, the same objects on every cluster, following its release plan. */
final class TestReleases {
    static final Map<String, String> OWNER = Map.of("sampan.io/app", "shop", "app.kubernetes.io/managed-by", "sampan");

    private TestReleases() {
    }

    /** @param clusterZones each cluster and its zone, in order; @param previous the release it replaces, or null */
    static Release of(String yaml, int number, Release previous, Map<String, String> clusterZones) {
        AppDocument doc = AppReader.read(yaml, "app.yaml");
        AppSpec spec = doc.resolve("prod");
        List<HasMetadata> objects = new AppCompiler().compile(spec, ClusterProfile.defaults("shop")).objects();
        Map<String, Release.ClusterTarget> targets = new LinkedHashMap<>();
        clusterZones.keySet().forEach(c -> targets.put(c, new Release.ClusterTarget("shop", objects)));
        ReleasePlan plan = ReleasePlan.of(doc.releasePolicy("prod"), spec, clusterZones);
        return new Release("shop", "prod", number, targets, OWNER, Duration.ofMinutes(10)).with(plan,
                previous == null ? Map.of() : previous.clusters());
    }
}
