package io.sampan.server.deploy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock tests move by hand: standing at an instant, or ({@link #ticking}) running with the wall
 * clock — as a sandbox cluster does — plus whatever the test moved it by.
 */
public final class MutableClock extends Clock {
    private final Instant start;
    private volatile Duration moved = Duration.ZERO;

    public MutableClock(Instant start) {
        this.start = start;
    }

    private MutableClock(Duration ahead) {
        this.start = null;
        this.moved = ahead;
    }

    /** The wall clock, {@code ahead} of it to begin with. */
    public static MutableClock ticking(Duration ahead) {
        return new MutableClock(ahead);
    }

    public void advance(Duration d) {
        moved = moved.plus(d);
    }

    @Override
    public Instant instant() {
        return (start == null ? Instant.now() : start).plus(moved);
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
