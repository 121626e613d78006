package io.sampan.sandbox.sim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one clock of a sandbox cluster. Either it runs with the wall clock, {@code factor} times as
 * fast (so a 30 s readiness delay takes 3 s at factor 10), or it is manual: it stands still until
 * a test {@link #advance advances} it, which fires whatever became due. Every delay, backoff and
 * schedule of the simulation is measured on this clock.
 */
public final class SimClock extends Clock {
    private final double factor;
    private final boolean manual;
    private final Instant origin;
    private final long originNanos;
    private volatile Instant manualNow;
    private final List<Runnable> onAdvance = new CopyOnWriteArrayList<>();

    private SimClock(double factor, boolean manual, Instant origin) {
        if (!(factor > 0)) {
            throw new IllegalArgumentException("the time factor must be positive, not " + factor);
        }
        this.factor = factor;
        this.manual = manual;
        this.origin = origin;
        this.originNanos = System.nanoTime();
        this.manualNow = origin;
    }

    /** Wall-clock time, {@code factor} times as fast (1 = real time). */
    public static SimClock scaled(double factor) {
        return new SimClock(factor, false, Instant.now());
    }

    /** A clock that moves only when {@link #advance} is called. */
    public static SimClock manual(Instant start) {
        return new SimClock(1, true, start);
    }

    public double factor() {
        return factor;
    }

    public boolean isManual() {
        return manual;
    }

    @Override
    public Instant instant() {
        if (manual) {
            return manualNow;
        }
        long elapsed = System.nanoTime() - originNanos;
        return origin.plusNanos((long) (elapsed * factor));
    }

    /** Moves a manual clock forward and wakes whatever waits on it. */
    public void advance(Duration d) {
        if (!manual) {
            throw new IllegalStateException("only a manual clock can be advanced");
        }
        synchronized (this) {
            manualNow = manualNow.plus(d);
        }
        onAdvance.forEach(Runnable::run);
    }

    void onAdvance(Runnable r) {
        onAdvance.add(r);
    }

    /** How long to wait on the wall clock for {@code simulated} time to pass (unbounded for a manual clock). */
    long realNanos(Duration simulated) {
        if (manual) {
            return Long.MAX_VALUE;
        }
        return (long) Math.ceil(simulated.toNanos() / factor);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the simulation runs in UTC");
    }
}
