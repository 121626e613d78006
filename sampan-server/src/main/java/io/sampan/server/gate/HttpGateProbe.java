package io.sampan.server.gate;

import io.sampan.release.GateProbe;
import io.sampan.release.GateReading;
import io.sampan.release.Release;
import io.sampan.spec.ReleasePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads release gates over HTTP: a Prometheus gate is an instant query
 * ({@code GET <url>/api/v1/query?query=...}) to the environment's Prometheus
 * ({@code sampan.gates.prometheus.<environment>}, else {@code sampan.gates.prometheus}); its value is
 * the sum over the returned series, its samples their number. A webhook gate is a POST of the
 * release (app, environment, number, gate) as JSON; a 2xx answer passes.
 */
@Component
public class HttpGateProbe implements GateProbe {
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final Environment config;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    public HttpGateProbe(Environment config) {
        this.config = config;
    }

    @Override
    public GateReading read(Release release, ReleasePolicy.Gate gate) {
        return read(release, gate, null);
    }

    /** The probe of an environment whose profile names its Prometheus ({@code null}: the server's setting). */
    @Override
    public io.sampan.release.GateProbe withPrometheus(String url) {
        return url == null ? this : (release, gate) -> read(release, gate, url);
    }

    private GateReading read(Release release, ReleasePolicy.Gate gate, String prometheusUrl) {
        try {
            return switch (gate) {
                case ReleasePolicy.Gate.Prometheus q -> prometheus(release, q, prometheusUrl);
                case ReleasePolicy.Gate.Webhook w -> webhook(release, w);
            };
        } catch (java.io.IOException e) {
            return new GateReading.Error(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new GateReading.Error("interrupted");
        } catch (RuntimeException e) {
            return new GateReading.Error(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    private GateReading prometheus(Release release, ReleasePolicy.Gate.Prometheus q, String prometheusUrl)
            throws java.io.IOException, InterruptedException {
        String base = prometheusUrl != null ? prometheusUrl
                : config.getProperty("sampan.gates.prometheus." + release.environment(), config.getProperty("sampan.gates.prometheus", ""));
        if (base.isBlank()) {
            return new GateReading.Error("no Prometheus is configured for environment " + release.environment()
                    + " (the environment's profile.prometheus, or sampan.gates.prometheus." + release.environment() + ")");
        }
        URI uri = URI.create(base.replaceAll("/+$", "") + "/api/v1/query?query=" + URLEncoder.encode(q.query(), StandardCharsets.UTF_8));
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() / 100 != 2) {
            return new GateReading.Error("Prometheus answered " + answer.statusCode());
        }
        JsonNode result = JSON.readTree(answer.body()).path("data").path("result");
        if (!result.isArray() || result.isEmpty()) {
            return new GateReading.NoData("the query returned no series");
        }
        double sum = 0;
        int samples = 0;
        for (JsonNode series : result) {
            String value = series.path("value").path(1).asString("");
            if (value.isEmpty() || value.equals("NaN")) {
                continue;
            }
            sum += Double.parseDouble(value);
            samples++;
        }
        return samples == 0 ? new GateReading.NoData("every series is NaN") : new GateReading.Value(sum, samples);
    }

    private GateReading webhook(Release release, ReleasePolicy.Gate.Webhook w) throws java.io.IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("app", release.app());
        body.put("environment", release.environment());
        body.put("release", release.number());
        body.put("gate", w.name());
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(w.url())).timeout(TIMEOUT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        return answer.statusCode() / 100 == 2 ? new GateReading.Passed("HTTP " + answer.statusCode())
                : new GateReading.Refused("HTTP " + answer.statusCode());
    }
}
