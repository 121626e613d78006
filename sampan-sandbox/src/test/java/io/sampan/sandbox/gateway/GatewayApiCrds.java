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
 * Test fixture: the Gateway API CRDs the sandbox gateway routes by, trimmed (HTTPRoute; GatewayClass
 * and Gateway; from {@code src/test/resources/gateway-api/}), and their installation over the
 * sandbox's HTTP API as {@code kubectl apply -f} would post them.
 */
final class GatewayApiCrds {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final String HTTP_ROUTES = "/gateway-api/httproutes-crd.yaml";
    static final String GATEWAYS = "/gateway-api/gateways-crd.yaml";

    private GatewayApiCrds() {
    }

    /** The HTTPRoute CRD as YAML. */
    static String httpRoutesYaml() {
        return resource(HTTP_ROUTES);
    }

    /** The GatewayClass and Gateway CRDs as YAML (two documents). */
    static String gatewaysYaml() {
        return resource(GATEWAYS);
    }

    private static String resource(String name) {
        try (InputStream in = GatewayApiCrds.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
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
        return post(http, apiUrl, httpRoutes());
    }

    /** Posts the GatewayClass and Gateway CRDs; the first status code that is not 201, or 201. */
    static int installGateways(HttpClient http, String apiUrl) {
        try {
            for (JsonNode crd : YAML.readValues(YAML.createParser(gatewaysYaml()), JsonNode.class).readAll()) {
                int code = post(http, apiUrl, crd);
                if (code != 201) {
                    return code;
                }
            }
            return 201;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int post(HttpClient http, String apiUrl, JsonNode crd) {
        HttpRequest post = HttpRequest.newBuilder(URI.create(apiUrl + "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(crd.toString())).build();
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
