package io.sampan.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI document the server serves must equal the one checked in at docs/openapi.json, so an
 * API change is always a reviewed change. After an intended change regenerate it with
 * {@code ./mvnw -pl sampan-server verify -Dopenapi.update=true}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:openapi;DB_CLOSE_DELAY=-1",
        "sampan.secret-key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=", "sampan.bootstrap-token=spn_0a1b2c3d4e5f_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa7", "sampan.data=target/test-data", "sampan.release.runner=false"})
class OpenApiDocumentTest {
    static final Path CHECKED_IN = Path.of("..", "docs", "openapi.json");

    @LocalServerPort
    int port;

    @Test
    void theServedDocumentIsTheCheckedInOne() throws Exception {
        ApiClient.Response served = new ApiClient(port).get("/v3/api-docs");
        assertThat(served.status()).isEqualTo(200);
        JsonMapper mapper = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
                .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED).build();
        JsonNode doc = mapper.readTree(served.body());
        ((tools.jackson.databind.node.ObjectNode) doc).remove("servers");
        String pretty = mapper.writeValueAsString(doc) + "\n";
        assertThat(doc.get("paths").has("/api/v1/orgs/{org}/projects/{project}/apps/{app}/environments/{env}/releases")).isTrue();
        if (Boolean.getBoolean("openapi.update")) {
            Files.createDirectories(CHECKED_IN.getParent());
            Files.writeString(CHECKED_IN, pretty);
        }
        assertThat(CHECKED_IN).as("docs/openapi.json (regenerate with -Dopenapi.update=true)").exists();
        assertThat(pretty).as("the API changed: review and regenerate docs/openapi.json with -Dopenapi.update=true")
                .isEqualTo(Files.readString(CHECKED_IN));
    }
}
