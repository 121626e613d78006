package io.sampan.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * N closed-loop HTTP/1.1 clients, each on its own kept-alive connection, driven by one thread
 * through a selector as load generators such as wrk drive theirs: a client sends a GET, waits for
 * the whole response, records the latency and sends the next, until it has made its share. One
 * thread instead of N keeps the load generator from competing with the server for the 2 cores
 * through N threads of its own; latency is taken from the request's first byte written to the
 * response's last byte read.
 */
final class EventLoopClients {
    /** One request's latency and when it started, both in nanoseconds (start relative to the run). */
    record Sample(long startNanos, long latencyNanos, int client) {
    }

    private EventLoopClients() {
    }

    /**
     * Runs {@code clients} connections to host:port, each making {@code perClient} GETs of the path
     * {@code paths} gives for the request's overall number; the samples in completion order.
     */
    static List<Sample> run(String host, int port, String token, int clients, int perClient, IntFunction<String> paths) throws IOException {
        List<Sample> samples = new ArrayList<>(clients * perClient);
        long t0 = System.nanoTime();
        int[] issued = {0};
        try (Selector selector = Selector.open()) {
            List<Connection> connections = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                Connection conn = new Connection(c, host, port, token);
                conn.open(selector);
                conn.send(paths.apply(issued[0]++));
                connections.add(conn);
            }
            int done = 0;
            while (done < clients) {
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) {
                    Connection conn = (Connection) key.attachment();
                    if (key.isValid() && key.isWritable()) {
                        conn.write();
                    }
                    if (key.isValid() && key.isReadable() && conn.read()) {
                        long end = System.nanoTime();
                        samples.add(new Sample(conn.started - t0, end - conn.started, conn.id));
                        if (++conn.made == perClient) {
                            done++;
                            conn.channel.close();
                        } else {
                            if (conn.closing) {
                                conn.open(selector);
                            }
                            conn.send(paths.apply(issued[0]++));
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
        }
        return samples;
    }

    private static final class Connection {
        final int id;
        final String host;
        final int port;
        final String token;
        SocketChannel channel;
        SelectionKey key;
        ByteBuffer out;
        byte[] in = new byte[32768];
        int length;
        long started;
        int made;
        boolean closing;

        Connection(int id, String host, int port, String token) {
            this.id = id;
            this.host = host;
            this.port = port;
            this.token = token;
        }

        void open(Selector selector) throws IOException {
            if (channel != null) {
                channel.close();
            }
            channel = SocketChannel.open(new InetSocketAddress(host, port));
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.configureBlocking(false);
            key = channel.register(selector, SelectionKey.OP_READ, this);
            closing = false;
        }

        void send(String path) throws IOException {
            out = ByteBuffer.wrap(("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nAuthorization: Bearer " + token
                    + "\r\nAccept: application/json\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            length = 0;
            started = System.nanoTime();
            write();
        }

        void write() throws IOException {
            channel.write(out);
            key.interestOps(out.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }

        /** Reads what has arrived; true once the whole response is in. */
        boolean read() throws IOException {
            if (length == in.length) {
                in = Arrays.copyOf(in, in.length * 2);
            }
            int n = channel.read(ByteBuffer.wrap(in, length, in.length - length));
            if (n < 0) {
                throw new IOException("client " + id + ": the server closed the connection within a response");
            }
            length += n;
            return complete();
        }

        private boolean complete() throws IOException {
            int headersEnd = indexOf(in, length, 0, "\r\n\r\n");
            if (headersEnd < 0) {
                return false;
            }
            String head = new String(in, 0, headersEnd, StandardCharsets.ISO_8859_1);
            int status = Integer.parseInt(head.substring(9, 12));
            if (status >= 400) {
                throw new IOException("client " + id + ": " + head.lines().findFirst().orElse(""));
            }
            long contentLength = -1;
            boolean chunked = false;
            closing = false;
            for (String line : head.split("\r\n")) {
                String lower = line.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    contentLength = Long.parseLong(line.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    closing = true;
                }
            }
            int body = headersEnd + 4;
            if (!chunked) {
                return contentLength >= 0 && length >= body + contentLength;
            }
            int at = body;
            while (true) {
                int lineEnd = indexOf(in, length, at, "\r\n");
                if (lineEnd < 0) {
                    return false;
                }
                String sizeField = new String(in, at, lineEnd - at, StandardCharsets.ISO_8859_1);
                int size = Integer.parseInt(sizeField.split(";")[0].trim(), 16);
                if (size == 0) {
                    return indexOf(in, length, lineEnd + 2, "\r\n") >= 0; // the (empty) trailer's end
                }
                at = lineEnd + 2 + size + 2;
                if (at > length) {
                    return false;
                }
            }
        }

        private static int indexOf(byte[] b, int length, int from, String what) {
            byte[] w = what.getBytes(StandardCharsets.ISO_8859_1);
            outer:
            for (int i = from; i <= length - w.length; i++) {
                for (int j = 0; j < w.length; j++) {
                    if (b[i + j] != w[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }
}
