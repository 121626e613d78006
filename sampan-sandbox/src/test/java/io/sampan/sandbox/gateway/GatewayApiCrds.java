package io.sampan.sandbox.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * Test fixture: the Gateway API CRDs the sandbox gateway routes by, trimmed (HTTPRoute, from
 * {@code src/test/resources/gateway-api/}), and their installation over the sandbox's HTTP API as
 * {@code kubectl apply -f} would post them.
 */
final class GatewayApiCrds {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final String HTTP_ROUTES = "/gateway-api/httproutes-crd.yaml";

    private GatewayApiCrds() {
    }

    /** The HTTPRoute CRD as YAML. */
    static String httpRoutesYaml() {
        try (InputStream in = GatewayApiCrds.class.getResourceAsStream(HTTP_ROUTES)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + HTTP_ROUTES);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode httpRoutes() {
        try {
            return YAML.readTree(httpRoutesYaml());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Posts the HTTPRoute CRD to the API server at {@code apiUrl}; the answer's status code (201 when created). */
    static int install(HttpClient http, String apiUrl) {
        HttpRequest post = HttpRequest.newBuilder(URI.create(apiUrl + "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(httpRoutes().toString())).build();
        try {
            return http.send(post, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
