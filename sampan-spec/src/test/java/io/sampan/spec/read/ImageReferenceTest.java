package io.sampan.spec.read;

import static io.sampan.spec.read.Docs.onlyError;
import static io.sampan.spec.read.Docs.web;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Images must be valid references pinned to a version tag or a digest, so every release can be rolled back. */
class ImageReferenceTest {
    private static final String HINT = "\n    hint: pin a version tag or a digest, e.g. `registry.local/shop/web:1.4.2`, "
            + "so that every release can be rolled back to exactly";

    private static String service(String image) {
        return Docs.app("services:\n  web:\n    image: \"" + image + "\"\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "nginx:1.27",
        "library/nginx:1.27.0-alpine",
        "registry.local/shop/web:1.4.2",
        "registry.local:5000/shop/web:v1",
        "ghcr.io/org/team/app:2024-01-01_3",
        "r/a:1",
        "my-registry.example.com/a__b/c.d:TAG_1",
        "nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "nginx:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "registry.local:5000/web:1.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"})
    void pinnedImagesAreAccepted(String image) {
        assertThat(Docs.errors(service(image))).isEmpty();
        assertThat(Docs.resolve(service(image)).services().get("web").image()).isEqualTo(image);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            nginx                               | image "nginx" has no tag
            registry.local:5000/shop/web        | image "registry.local:5000/shop/web" has no tag
            nginx:latest                        | image "nginx:latest" uses the moving tag "latest"
            registry.local/shop/web:latest      | image "registry.local/shop/web:latest" uses the moving tag "latest"
            Registry.local/Shop/Web:1.0         | "Registry.local/Shop/Web:1.0" is not a valid image reference
            shop/web:1.0:2                      | "shop/web:1.0:2" is not a valid image reference
            shop/web:-1                         | "shop/web:-1" is not a valid image reference
            shop//web:1                         | "shop//web:1" is not a valid image reference
            https://registry.local/web:1        | "https://registry.local/web:1" is not a valid image reference
            web@sha256:abc                      | "web@sha256:abc" is not a valid image reference
            shop web:1                          | "shop web:1" is not a valid image reference
            """)
    void otherImagesAreRejected(String image, String message) {
        assertThat(onlyError(service(image)).format()).isEqualTo("app.yaml:7:14: error: spec.services.web.image: " + message + HINT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"image: [nginx]", "image: {name: nginx}"})
    void theImageIsAString(String line) {
        String yaml = Docs.app("services:\n  web:\n    " + line + "\n");
        assertThat(onlyError(yaml).format()).startsWith("app.yaml:7:14: error: spec.services.web.image: expected a string, got a");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nginx", "nginx:latest"})
    void jobImagesFollowTheSameRules(String image) {
        String yaml = Docs.app("jobs:\n  j:\n    broadcast: true\n    image: " + image + "\n");
        assertThat(onlyError(yaml).format()).startsWith("app.yaml:8:14: error: spec.jobs.j.image: image \"" + image + "\"").endsWith(HINT);
    }

    @org.junit.jupiter.api.Test
    void theTemplateWorks() {
        assertThat(Docs.errors(web("port: 80"))).isEmpty();
    }
}
