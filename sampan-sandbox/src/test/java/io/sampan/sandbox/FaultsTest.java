package io.sampan.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Injected faults as an HTTP client sees them. */
class FaultsTest {
    static SandboxCluster cluster;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        cluster = SandboxCluster.start("faults");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(cluster.url() + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void errorsForAGivenNumberOfMatchingRequestsThenNormal() throws Exception {
        cluster.faults().fail("GET", "/configmaps", 500, 2);
        assertThat(get("/api/v1/namespaces/default/configmaps").statusCode()).isEqualTo(500);
        assertThat(get("/api/v1/namespaces/default/pods").statusCode()).as("other paths unaffected").isEqualTo(200);
        HttpResponse<String> second = get("/api/v1/namespaces/default/configmaps");
        assertThat(second.statusCode()).isEqualTo(500);
        assertThat(second.body()).contains("\"kind\":\"Status\"").contains("injected fault");
        assertThat(get("/api/v1/namespaces/default/configmaps").statusCode()).isEqualTo(200);
    }

    @Test
    void downUntilClearedAndDroppedConnections() throws Exception {
        cluster.faults().down();
        assertThat(get("/version").statusCode()).isEqualTo(503);
        assertThat(get("/api/v1/nodes").statusCode()).isEqualTo(503);
        cluster.faults().clear();
        assertThat(get("/version").statusCode()).isEqualTo(200);
        cluster.faults().drop(null, "/api/v1/namespaces$", 2); // the JDK client retries an idempotent GET once
        assertThatThrownBy(() -> get("/api/v1/namespaces")).isInstanceOf(IOException.class);
        assertThat(get("/api/v1/namespaces").statusCode()).isEqualTo(200);
    }
}
