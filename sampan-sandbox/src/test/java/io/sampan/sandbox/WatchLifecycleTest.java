package io.sampan.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An HTTP watch without bookmarks holds a registration in the store (and its thread) until it ends:
 * it must end when its client leaves, though nothing is written to it, and when the server closes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WatchLifecycleTest {
    private Store store;
    private ApiServer server;

    @BeforeEach
    void start() throws IOException {
        store = new Store(Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC));
        server = new ApiServer(store, new ResourceTypes(), 0, null);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Opens a watch of the default namespace's ConfigMaps on a socket of its own; returns once the server has registered it. */
    private Socket watch() throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        s.getOutputStream().write(("GET /api/v1/namespaces/default/configmaps?watch=true HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        String status = new String(s.getInputStream().readNBytes("HTTP/1.1 200".length()), StandardCharsets.US_ASCII);
        assertThat(status).isEqualTo("HTTP/1.1 200"); // the headers come once the watch is registered
        return s;
    }

    private static boolean within(long seconds, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // the server's threads do the work
        }
        return true;
    }

    @Test
    void aWatchWhoseClientLeftIsLetGoThoughNoEventCame() throws IOException {
        Socket client = watch();
        assertThat(store.watcherCount()).isEqualTo(1);
        client.close();
        assertThat(within(10, () -> store.watcherCount() == 0)).as("the watch noticed its client left and unregistered").isTrue();
    }

    @Test
    void closingTheServerEndsItsWatches() throws IOException {
        try (Socket first = watch(); Socket second = watch()) {
            assertThat(store.watcherCount()).isEqualTo(2);
            server.close();
            assertThat(within(10, () -> store.watcherCount() == 0)).as("both watches ended with the server").isTrue();
            first.setSoTimeout(10_000);
            InputStream in = first.getInputStream();
            assertThat(drain(in)).as("the stream ended").isTrue();
        }
    }

    /** Reads a stream to its end; false if it is still open after the socket's timeout. */
    private static boolean drain(InputStream in) {
        try {
            while (in.read() >= 0) {
                // the rest of the headers, spaces between events, the last chunk
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }
}
