package io.sampan.sandbox.sim;

import io.sampan.sandbox.ApiError;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the controllers of one sandbox cluster on one thread, as kube-controller-manager runs its
 * own: a work queue of keys (a key queued twice runs once), delayed keys due on the {@link SimClock},
 * and a backoff for keys whose reconcile failed (a conflict retries at once). One thread keeps the
 * simulation deterministic for a given order of API requests.
 */
public final class ControllerManager implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ControllerManager.class.getName());
    private final SimClock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final LinkedHashSet<Work> queue = new LinkedHashSet<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final AtomicLong sequence = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private boolean busy;

    private record Work(Controller controller, String key) {
    }

    private record Timer(Instant due, long seq, Work work) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer o) {
            int c = due.compareTo(o.due);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    public ControllerManager(SimClock clock) {
        this.clock = clock;
        clock.onAdvance(this::wake);
        this.thread = Thread.ofPlatform().daemon().name("sandbox-controllers").start(this::loop);
    }

    public SimClock clock() {
        return clock;
    }

    public void enqueue(Controller c, String key) {
        lock.lock();
        try {
            if (queue.add(new Work(c, key))) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Queues the key once {@code delay} of simulated time has passed. */
    public void enqueueAfter(Controller c, String key, Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            enqueue(c, key);
            return;
        }
        lock.lock();
        try {
            timers.add(new Timer(clock.instant().plus(delay), sequence.incrementAndGet(), new Work(c, key)));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void wake() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until no key is queued or running (delayed keys not yet due do not count): with a manual
     * clock, the state of the cluster after everything due has happened.
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (!queue.isEmpty() || busy || dueTimer()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private boolean dueTimer() {
        return !timers.isEmpty() && !timers.peek().due().isAfter(clock.instant());
    }

    private void loop() {
        while (running) {
            Work next;
            lock.lock();
            try {
                busy = false;
                Instant now = clock.instant();
                while (!timers.isEmpty() && !timers.peek().due().isAfter(now)) {
                    queue.add(timers.poll().work());
                }
                if (queue.isEmpty()) {
                    changed.signalAll(); // idle: wake awaitIdle
                    long wait = timers.isEmpty() ? Long.MAX_VALUE : clock.realNanos(Duration.between(now, timers.peek().due()));
                    if (wait == Long.MAX_VALUE) {
                        changed.await();
                    } else {
                        changed.awaitNanos(Math.max(wait, 1));
                    }
                    continue;
                }
                Iterator<Work> it = queue.iterator();
                next = it.next();
                it.remove();
                busy = true;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            run(next);
        }
    }

    private void run(Work w) {
        try {
            w.controller().reconcile(w.key());
        } catch (ApiError e) {
            if (e.code() == 409) {
                enqueue(w.controller(), w.key()); // read again and retry
            } else if (e.code() != 404) {
                LOG.log(Level.FINE, w.controller().name() + " " + w.key() + ": " + e.getMessage());
                enqueueAfter(w.controller(), w.key(), Duration.ofSeconds(1));
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, w.controller().name() + " failed on " + w.key(), e);
            enqueueAfter(w.controller(), w.key(), Duration.ofSeconds(5));
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
