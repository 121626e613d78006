package io.sampan.server;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A background pass repeated at an interval on a virtual thread (the release runner, the webhook
 * sender). A pass that throws is logged and the next one runs as planned: the work is always
 * recomputed from the database, so nothing is lost by skipping a pass.
 */
public final class PeriodicLoop {
    private static final Logger LOG = LoggerFactory.getLogger(PeriodicLoop.class);
    private final String name;
    private final Duration interval;
    private final Runnable pass;
    private volatile Thread thread;

    public PeriodicLoop(String name, Duration interval, Runnable pass) {
        this.name = name;
        this.interval = interval;
        this.pass = pass;
    }

    public void start() {
        thread = Thread.ofVirtual().name(name).start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    pass.run();
                } catch (RuntimeException e) {
                    LOG.warn("{}: a pass failed; the next one retries: {}", name, e.toString());
                }
                try {
                    Thread.sleep(interval);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    public void stop() {
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
        thread = null;
    }

    public boolean isRunning() {
        return thread != null;
    }
}
