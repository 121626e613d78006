package io.sampan.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.sampan.server.api.ApiClient;
import io.sampan.release.ReleaseEngine;
import io.sampan.server.deploy.MutableClock;
import io.sampan.server.deploy.ReleaseRunner;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/** Ticks the release runner until a release shows what a test waits for; the sandbox runs in other threads, so this polls with a deadline. */
final class ReleasePolling {
    /** Between two reads of a release: 50 a second at most, the API's rate for one token. */
    static final Duration POLL = Duration.ofMillis(20);

    private ReleasePolling() {
    }

    static JsonNode runUntil(ReleaseRunner runner, ApiClient api, String release, Predicate<JsonNode> done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonNode r = read(api, release);
        while (!done.test(r)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("release did not get there within 60 s: " + r);
            }
            runner.runOnce();
            // the sandbox moves in real time: a pause between reads leaves it the CPU and keeps under the API's rate limit
            LockSupport.parkNanos(POLL.toNanos());
            r = read(api, release);
        }
        return r;
    }

    /** The release as its GET answers it; any other answer fails the test, naming it. */
    private static JsonNode read(ApiClient api, String release) {
        ApiClient.Response answer = api.get(release);
        assertThat(answer.status()).as("GET %s: %s", release, answer.body()).isEqualTo(200);
        return answer.json();
    }

    /**
     * Promotes a canary release paused before its last step and follows it to its end, through the
     * sandbox's gateway: while the canary drains (the routing to it gone, its pods still there) and as
     * soon as the release has succeeded (the server's clock moved past the default drain), every one of 200 requests to {@code host} without a rule's
     * header or cookie is answered by {@code version}.
     */
    static void promoteToTheEnd(ReleaseRunner runner, MutableClock clock, ApiClient api, String release, String gatewayUrl, String host,
            String version) throws Exception {
        api.post(release + "/promote", null);
        JsonNode draining = runUntil(runner, api, release, r -> r.get("phase").asString().equals("succeeded")
                || r.get("clusters").get(0).path("position").asString("").endsWith("draining the canary"));
        assertThat(draining.get("phase").asString()).as("the canary drains before it goes").isEqualTo("running");
        assertThat(draining.get("clusters").get(0).get("message").asString()).contains("traffic no longer routed to the canary, which goes in");
        assertThat(GatewayRequests.onVersion(gatewayUrl, host, 200, version)).as("while the canary drains").isEqualTo(200);
        assertThat(read(api, release).get("phase").asString()).as("still draining").isEqualTo("running");
        clock.advance(ReleaseEngine.DEFAULT_CANARY_DRAIN);
        runUntil(runner, api, release, r -> r.get("phase").asString().equals("succeeded"));
        assertThat(GatewayRequests.onVersion(gatewayUrl, host, 200, version)).as("once the release has succeeded").isEqualTo(200);
    }
}
