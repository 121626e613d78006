package io.sampan.server.e2e;

import io.sampan.server.api.ApiClient;
import io.sampan.server.deploy.ReleaseRunner;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/** Ticks the release runner until a release shows what a test waits for; the sandbox runs in other threads, so this polls with a deadline. */
final class ReleasePolling {
    private ReleasePolling() {
    }

    static JsonNode runUntil(ReleaseRunner runner, ApiClient api, String release, Predicate<JsonNode> done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonNode r = api.get(release).json();
        while (!done.test(r)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("release did not get there within 60 s: " + r);
            }
            runner.runOnce();
            r = api.get(release).json();
        }
        return r;
    }
}
