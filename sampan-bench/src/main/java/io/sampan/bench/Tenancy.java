package io.sampan.bench;

import io.sampan.server.SampanServer;
import io.sampan.server.access.AccessControl;
import io.sampan.server.access.Role;
import io.sampan.server.access.Tokens;
import io.sampan.server.quota.QuotaCheck;
import io.sampan.server.quota.Resources;
import io.sampan.server.registry.AppStore;
import io.sampan.server.registry.EnvironmentStore;
import io.sampan.server.registry.Organisation;
import io.sampan.server.registry.OrganisationStore;
import io.sampan.server.registry.Project;
import io.sampan.server.registry.ProjectStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Issue 7's figures, server and client in one process on an in-memory H2 database:
 * <ul>
 * <li>what authorisation costs a request: in process, authenticating a developer's token and checking
 * their role on the project; over HTTP, GET of a project as that developer through the API versus
 * the same lookup at an unauthenticated bench-only endpoint ({@code /bench/...}, outside {@code /api/},
 * so none of the API's filters run);</li>
 * <li>the quota check of a release in a project with N apps (default 1,000), each with a release,
 * and quotas set on the organisation, the project and the environment.</li>
 * </ul>
 * Run with {@code bench/tenancy [APPS]}.
 */
public final class Tenancy {
    static final String ADMIN = "spn_0a1b2c3d4e5f_" + "c".repeat(64);

    private Tenancy() {
    }

    /** The same lookup as GET /api/v1/orgs/{org}/projects/{project}, with no authentication or authorisation. */
    @RestController
    static class Unguarded {
        private final OrganisationStore orgs;
        private final ProjectStore projects;

        Unguarded(OrganisationStore orgs, ProjectStore projects) {
            this.orgs = orgs;
            this.projects = projects;
        }

        @GetMapping("/bench/orgs/{org}/projects/{project}")
        Map<String, Object> project(@PathVariable String org, @PathVariable String project) {
            Organisation o = orgs.get(org);
            Project p = projects.get(o, project);
            return Map.of("org", o.name(), "name", p.name(), "description", String.valueOf(p.description()), "createdAt", p.createdAt());
        }
    }

    public static void main(String[] args) {
        try {
            run(args);
            System.exit(0);
        } catch (Exception | Error e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        int apps = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        ConfigurableApplicationContext server = new SpringApplicationBuilder(SampanServer.class, Unguarded.class).run("--server.port=0",
                "--spring.datasource.url=jdbc:h2:mem:tenancy-bench;DB_CLOSE_DELAY=-1", "--sampan.data=" + Files.createTempDirectory("sampan-tenancy"),
                "--sampan.secret-key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=", "--sampan.bootstrap-token=" + ADMIN,
                "--sampan.release.runner=false", "--sampan.webhooks.sender=false", "--sampan.api.rate=1000000000", "--sampan.api.burst=1000000000",
                "--spring.main.banner-mode=off", "--logging.level.root=WARN");
        String base = "http://127.0.0.1:" + ((WebServerApplicationContext) server).getWebServer().getPort();
        HttpClient http = HttpClient.newHttpClient();
        String shop = "/api/v1/orgs/default/projects/bench";
        call(http, base, ADMIN, "POST", "/api/v1/orgs/default/projects", "{\"name\":\"bench\"}");
        call(http, base, ADMIN, "POST", "/api/v1/clusters", "{\"name\":\"b1\",\"kubeconfig\":\"apiVersion: v1\\nkind: Config\\nclusters: [{name: c, "
                + "cluster: {server: 'http://127.0.0.1:1'}}]\\nusers: [{name: u, user: {token: t}}]\\ncontexts: [{name: x, context: {cluster: c, "
                + "user: u}}]\\ncurrent-context: x\\n\"}");
        call(http, base, ADMIN, "POST", shop + "/environments", "{\"name\":\"prod\",\"profile\":{\"cpuOvercommit\":2},\"clusters\":[{\"cluster\":\"b1\"}]}");
        call(http, base, ADMIN, "POST", "/api/v1/users", "{\"name\":\"dev\"}");
        call(http, base, ADMIN, "PUT", shop + "/members/dev", "{\"role\":\"developer\"}");
        String dev = call(http, base, ADMIN, "POST", "/api/v1/tokens", "{\"user\":\"dev\"}").replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
        for (String scope : List.of("/api/v1/orgs/default", shop, shop + "/environments/prod")) {
            call(http, base, ADMIN, "PUT", scope + "/quota", "{\"cpu\":\"100000\",\"memory\":\"100000Gi\"}");
        }

        long t0 = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < apps; i++) {
                String name = "app" + i;
                work.add(pool.submit(() -> {
                    call(http, base, dev, "POST", shop + "/apps", "apiVersion: sampan.io/v1\nkind: App\nmetadata: {name: " + name + "}\nspec:\n"
                            + "  services:\n    web: {image: r.local/" + name + ":1, port: 8080, replicas: 2, resources: {cpu: 500m, memory: 512Mi}}\n");
                    call(http, base, dev, "POST", shop + "/apps/" + name + "/environments/prod/releases", "{}");
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        }
        System.out.printf("%d apps applied and released through the API: %.1f s%n", apps, (System.nanoTime() - t0) / 1e9);

        Tokens tokens = server.getBean(Tokens.class);
        AccessControl access = server.getBean(AccessControl.class);
        Organisation org = server.getBean(OrganisationStore.class).get("default");
        Project project = server.getBean(ProjectStore.class).get(org, "bench");
        long[] authz = time(20_000, 5_000, () -> {
            access.require(tokens.caller(dev).orElseThrow(), org, project, Role.VIEWER, "reading the project");
        });

        long[][] pair = interleaved(10_000, 2_000, () -> call(http, base, dev, "GET", shop, null),
                () -> call(http, base, null, "GET", "/bench/orgs/default/projects/bench", null));
        long[] guarded = pair[0];
        long[] unguarded = pair[1];

        QuotaCheck quotas = server.getBean(QuotaCheck.class);
        var env = server.getBean(EnvironmentStore.class).get(project, "prod");
        var app = server.getBean(AppStore.class).get(project, "app0");
        Map<String, Resources> needs = Map.of("b1", new Resources(1000, 1L << 30, 500, 1L << 30, 2, 0));
        long[] quota = time(1_000, 100, () -> quotas.admit(org, project, env, app.id(), needs));

        System.out.printf("authorisation in process (token + role on the project):  p50 %.3f ms, p99 %.3f ms   [target: adds ≤ 1 ms p99]%n",
                ms(authz, 50), ms(authz, 99));
        System.out.printf("GET a project over HTTP, as a developer through the API:  p50 %.3f ms, p99 %.3f ms%n", ms(guarded, 50), ms(guarded, 99));
        System.out.printf("the same lookup with no authentication or authorisation:  p50 %.3f ms, p99 %.3f ms%n", ms(unguarded, 50), ms(unguarded, 99));
        System.out.printf("  difference (API filters: rate limit, authentication, authorisation):  p50 %+.3f ms, p99 %+.3f ms%n",
                ms(guarded, 50) - ms(unguarded, 50), ms(guarded, 99) - ms(unguarded, 99));
        System.out.printf("quota check of a release, project with %d apps, quotas on 3 levels:  p50 %.2f ms, p99 %.2f ms   [target ≤ 20 ms]%n",
                apps, ms(quota, 50), ms(quota, 99));
        server.close();
    }

    interface Step {
        void run() throws Exception;
    }

    /** Nanoseconds of each of {@code n} runs after {@code warmup} untimed ones, sorted. */
    static long[] time(int n, int warmup, Step step) throws Exception {
        for (int i = 0; i < warmup; i++) {
            step.run();
        }
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            step.run();
            out[i] = System.nanoTime() - s;
        }
        Arrays.sort(out);
        return out;
    }

    /** Like {@link #time} for two steps run in turn (which first alternates), so both see the same machine load. */
    static long[][] interleaved(int n, int warmup, Step a, Step b) throws Exception {
        for (int i = 0; i < warmup; i++) {
            a.run();
            b.run();
        }
        long[][] out = new long[2][n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 2; k++) {
                int which = (i + k) % 2;
                long s = System.nanoTime();
                (which == 0 ? a : b).run();
                out[which][i] = System.nanoTime() - s;
            }
        }
        Arrays.sort(out[0]);
        Arrays.sort(out[1]);
        return out;
    }

    static double ms(long[] sorted, int percentile) {
        return sorted[Math.min(sorted.length - 1, (int) ((long) sorted.length * percentile / 100))] / 1e6;
    }

    static String call(HttpClient http, String base, String token, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", body.startsWith("{") ? "application/json" : "application/yaml");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " → " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }
}
