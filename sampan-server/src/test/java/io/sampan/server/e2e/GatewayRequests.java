package io.sampan.server.e2e;

import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requests through a sandbox cluster's traffic gateway, over a plain socket (the JDK client does not
 * let a test set Host): which version of an app answered.
 */
final class GatewayRequests {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private GatewayRequests() {
    }

    /**
     * The version (the pod's image tag) that answered a GET of {@code /} on {@code host} with these
     * headers (name, value, ...); for an answer other than 200, its status line.
     */
    static String version(String gatewayUrl, String host, String... headers) throws Exception {
        try (Socket s = new Socket("127.0.0.1", URI.create(gatewayUrl).getPort())) {
            s.setSoTimeout(30_000);
            StringBuilder extra = new StringBuilder();
            for (int i = 0; i + 1 < headers.length; i += 2) {
                extra.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            }
            s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + host + "\r\n" + extra + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!answer.startsWith("HTTP/1.1 200")) {
                return answer.lines().findFirst().orElse("no answer");
            }
            return JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4)).path("version").asString();
        }
    }

    /** How many of {@code n} requests to {@code host} without headers {@code version} answered, 8 at a time. */
    static int onVersion(String gatewayUrl, String host, int n, String version) throws Exception {
        AtomicInteger hits = new AtomicInteger();
        Map<String, Integer> others = new ConcurrentSkipListMap<>();
        Semaphore inFlight = new Semaphore(8);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                inFlight.acquire();
                all.add(threads.submit(() -> {
                    try {
                        String answer = version(gatewayUrl, host);
                        if (answer.equals(version)) {
                            hits.incrementAndGet();
                        } else {
                            others.merge(answer, 1, Integer::sum);
                        }
                    } finally {
                        inFlight.release();
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
        }
        if (!others.isEmpty()) {
            System.out.println("of " + n + " requests to " + host + ", not " + version + ": " + others);
        }
        return hits.get();
    }
}
