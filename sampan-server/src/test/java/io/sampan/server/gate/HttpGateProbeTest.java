package io.sampan.server.gate;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.sampan.release.GateReading;
import io.sampan.release.Release;
import io.sampan.spec.ReleasePolicy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** Gates read over real HTTP from a tiny in-process Prometheus and webhook receiver. */
class HttpGateProbeTest {
    HttpServer server;
    final AtomicReference<String> answer = new AtomicReference<>();
    final AtomicReference<String> asked = new AtomicReference<>();
    final AtomicReference<Integer> webhookStatus = new AtomicReference<>(200);
    HttpGateProbe probe;
    final Release release = new Release("shop", "prod", 7, Map.of(), Map.of(), Duration.ofMinutes(10));
    final ReleasePolicy.Gate.Prometheus errors = new ReleasePolicy.Gate.Prometheus("error-rate", "sum(rate(http_requests_total{code=~\"5..\"}[1m]))",
            0.01, null, Duration.ofMinutes(2), ReleasePolicy.NoData.FAIL, 1, 1);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/query", ex -> {
            asked.set(URLDecoder.decode(ex.getRequestURI().getRawQuery(), StandardCharsets.UTF_8));
            byte[] body = answer.get().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.createContext("/hook", ex -> {
            asked.set(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(webhookStatus.get(), -1);
            ex.close();
        });
        server.start();
        probe = new HttpGateProbe(new MockEnvironment().withProperty("sampan.gates.prometheus.prod", "http://127.0.0.1:" + server.getAddress().getPort()));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aPrometheusGateSumsTheSeriesOfAnInstantQuery() {
        answer.set("""
                {"status":"success","data":{"resultType":"vector","result":[
                  {"metric":{"pod":"a"},"value":[1733130000.1,"0.002"]},{"metric":{"pod":"b"},"value":[1733130000.1,"0.003"]}]}}""");
        assertThat(probe.read(release, errors)).isEqualTo(new GateReading.Value(0.005, 2));
        assertThat(asked.get()).isEqualTo("query=" + errors.query());
        answer.set("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
        assertThat(probe.read(release, errors)).isEqualTo(new GateReading.NoData("the query returned no series"));
    }

    @Test
    void anEnvironmentWithoutPrometheusIsAnErrorNamingTheSetting() {
        Release test = new Release("shop", "test", 7, Map.of(), Map.of(), Duration.ofMinutes(10));
        assertThat(probe.read(test, errors)).isEqualTo(new GateReading.Error(
                "no Prometheus is configured for environment test (the environment's profile.prometheus, or sampan.gates.prometheus.test)"));
    }

    @Test
    void theEnvironmentsOwnPrometheusIsPreferredOverTheServerSetting() {
        answer.set("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1,\"0.5\"]}]}}");
        Release test = new Release("shop", "test", 7, Map.of(), Map.of(), Duration.ofMinutes(10));
        String own = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        assertThat(probe.withPrometheus(own).read(test, errors)).isEqualTo(new GateReading.Value(0.5, 1));
        assertThat(probe.withPrometheus("http://127.0.0.1:1").read(release, errors)).as("preferred over sampan.gates.prometheus.prod")
                .isInstanceOf(GateReading.Error.class);
        assertThat(probe.withPrometheus(null).read(release, errors)).isEqualTo(new GateReading.Value(0.5, 1));
    }

    @Test
    void aWebhookGatePassesOn2xx() {
        var hook = new ReleasePolicy.Gate.Webhook("smoke", "http://127.0.0.1:" + server.getAddress().getPort() + "/hook", 1);
        assertThat(probe.read(release, hook)).isEqualTo(new GateReading.Passed("HTTP 200"));
        assertThat(asked.get()).isEqualTo("{\"app\":\"shop\",\"environment\":\"prod\",\"release\":7,\"gate\":\"smoke\"}");
        webhookStatus.set(503);
        assertThat(probe.read(release, hook)).isEqualTo(new GateReading.Refused("HTTP 503"));
        assertThat(List.of(probe.read(release, new ReleasePolicy.Gate.Webhook("down", "http://127.0.0.1:1/hook", 1))))
                .singleElement().isInstanceOf(GateReading.Error.class);
    }
}
