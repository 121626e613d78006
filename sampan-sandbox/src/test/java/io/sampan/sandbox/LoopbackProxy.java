package io.sampan.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on 127.0.0.1 between a client and a sandbox's API server that can cut every open
 * connection at once ({@link #dropAll}): what a client sees when the server (or the network) drops
 * its long-running watches. It also notes the request lines it relays, so a test can tell a list
 * from a watch.
 */
final class LoopbackProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();

    LoopbackProxy(int targetPort) throws IOException {
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::acceptLoop);
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Connections accepted so far (a client reconnecting makes new ones). */
    int accepted() {
        return accepted.get();
    }

    /** The request lines relayed so far ({@code GET /api/v1/...?watch=true HTTP/1.1}). */
    List<String> requests() {
        return List.copyOf(requests);
    }

    /** Closes every open connection, both sides: streams in progress end abruptly. */
    void dropAll() {
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                accepted.incrementAndGet();
                Socket upstream = new Socket(target.getAddress(), target.getPort());
                open.add(client);
                open.add(upstream);
                Thread.ofVirtual().start(() -> pump(client, upstream, true));
                Thread.ofVirtual().start(() -> pump(upstream, client, false));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromClient) {
        byte[] buf = new byte[16384];
        StringBuilder line = new StringBuilder();
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (fromClient) {
                    noteRequestLines(buf, n, line);
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // dropped or closed by either side
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private void noteRequestLines(byte[] buf, int n, StringBuilder line) {
        String chunk = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
        for (int i = 0; i < chunk.length(); i++) {
            char c = chunk.charAt(i);
            if (c == '\n') {
                String l = line.toString().trim();
                if (l.matches("^(GET|POST|PUT|PATCH|DELETE) /.* HTTP/1\\.[01]$")) {
                    requests.add(l);
                }
                line.setLength(0);
            } else if (line.length() < 4096) {
                line.append(c);
            }
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        dropAll();
    }
}
