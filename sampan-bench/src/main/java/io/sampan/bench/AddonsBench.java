package io.sampan.bench;

import io.sampan.sandbox.sim.Simulation;
import io.sampan.server.Up;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * Issue 8's figure: a template addon (a MySQL StatefulSet with its Services, claim and credentials)
 * ready in the sandbox, readiness delays zero, measured from the deploy call of an app that declares
 * it to the addon's status {@code ready} through the API; N runs (default 5), each a new app.
 * Run with {@code bench/addons [RUNS]}.
 */
public final class AddonsBench {
    private AddonsBench() {
    }

    public static void main(String[] args) {
        try {
            run(args.length > 0 ? Integer.parseInt(args[0]) : 5);
            System.exit(0);
        } catch (Exception | Error e) {
            e.printStackTrace();
            System.exit(1); // the server's threads would keep a failed benchmark alive
        }
    }

    private static void run(int runs) throws Exception {
        Up up = Up.start(0, Files.createTempDirectory("sampan-bench-addons-"), null, Simulation.Options.defaults().withProbeDelays(false));
        HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        String base = up.url() + "/api/v1/orgs/default/projects/demo";
        List<Double> seconds = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            String app = "orders" + i;
            ControlPlane.send(http, up, "POST", base + "/apps", "application/yaml", """
                    apiVersion: sampan.io/v1
                    kind: App
                    metadata: {name: %s}
                    spec:
                      services:
                        api: {image: registry.local/orders/api:1.0, port: 8080, resources: {cpu: 100m, memory: 128Mi}, addons: [db]}
                      addons:
                        db: {type: mysql, version: "8.0", plan: small}
                    """.formatted(app));
            long t0 = System.nanoTime();
            ControlPlane.send(http, up, "POST", base + "/apps/" + app + "/environments/dev/releases", "application/json", "{}");
            String addon = base + "/environments/dev/addons/" + app + "-db";
            while (true) {
                String body = System.nanoTime() - t0 < 60_000_000_000L ? ControlPlane.send(http, up, "GET", addon, null, null) : null;
                if (body == null) {
                    throw new IllegalStateException("addon " + app + "-db not ready 60 s after the deploy");
                }
                if (body.contains("\"status\":\"ready\"")) {
                    break;
                }
                if (body.contains("\"status\":\"failed\"")) {
                    throw new IllegalStateException("addon failed: " + body);
                }
                Thread.sleep(20);
            }
            double s = (System.nanoTime() - t0) / 1e9;
            seconds.add(s);
            System.out.printf("run %d: template MySQL ready %.2f s after the deploy started%n", i + 1, s);
        }
        Collections.sort(seconds);
        System.out.printf("template addon ready in the sandbox (zero delays) after deploy: median %.2f s, max %.2f s over %d runs (target ≤ 5 s)%n",
                seconds.get(seconds.size() / 2), seconds.get(seconds.size() - 1), runs);
        up.close();
    }
}
