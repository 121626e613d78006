package io.sampan.server.e2e;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The server's clock in an end-to-end test: the wall clock (the sandbox cluster runs in real time)
 * plus an offset the test moves, so that what the server waits for by the clock (a canary's drain,
 * a shown age) comes without the test waiting.
 */
final class AheadClock extends Clock {
    private volatile Duration ahead;

    AheadClock(Duration ahead) {
        this.ahead = ahead;
    }

    void advance(Duration d) {
        ahead = ahead.plus(d);
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(ahead);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
