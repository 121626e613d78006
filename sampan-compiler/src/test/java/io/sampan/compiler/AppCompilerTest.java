package io.sampan.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.sampan.spec.read.AppReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppCompilerTest {
    static final Path SHOP = Path.of("..", "examples", "shop", "app.yaml");

    private static CompiledApp shop(String env) {
        return new AppCompiler().compile(AppReader.read(SHOP).resolve(env), TestApps.PROFILE);
    }

    @Test
    void everyObjectAndPodTemplateCarriesTheStandardLabels() {
        CompiledApp app = shop("prod");
        assertThat(app.objects()).isNotEmpty();
        for (HasMetadata o : app.objects()) {
            assertLabels(o.getKind() + " " + o.getMetadata().getName(), o.getMetadata().getLabels());
            assertThat(o.getMetadata().getNamespace()).isEqualTo("shop-prod");
        }
        List<PodTemplateSpec> templates = new ArrayList<>();
        app.ofType(Deployment.class).forEach(d -> templates.add(d.getSpec().getTemplate()));
        app.ofType(StatefulSet.class).forEach(d -> templates.add(d.getSpec().getTemplate()));
        app.ofType(Job.class).forEach(d -> templates.add(d.getSpec().getTemplate()));
        app.ofType(CronJob.class).forEach(d -> templates.add(d.getSpec().getJobTemplate().getSpec().getTemplate()));
        assertThat(templates).hasSize(5);
        templates.forEach(t -> assertLabels("pod template", t.getMetadata().getLabels()));
    }

    private static void assertLabels(String what, Map<String, String> labels) {
        assertThat(labels).as(what).containsKeys("app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/component",
                "app.kubernetes.io/part-of", "app.kubernetes.io/version", "app.kubernetes.io/managed-by", "sampan.io/app",
                "sampan.io/service", "sampan.io/environment").containsEntry("sampan.io/environment", "prod")
                .containsEntry("app.kubernetes.io/managed-by", "sampan").containsEntry("team", "mall");
    }

    @Test
    void theSameInputGivesByteIdenticalOutput() {
        String first = Manifests.toYaml(shop("prod").objects());
        for (int i = 0; i < 5; i++) {
            assertThat(Manifests.toYaml(shop("prod").objects())).isEqualTo(first);
        }
        assertThat(Manifests.toJson(shop("prod").objects())).isEqualTo(Manifests.toJson(shop("prod").objects()));
    }

    @Test
    void theYamlReadsBackAsTheSameObjects() throws Exception {
        CompiledApp app = shop("prod");
        String yaml = Manifests.toYaml(app.objects());
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
        String[] docs = yaml.split("(?m)^---\n");
        List<HasMetadata> back = new ArrayList<>();
        for (String doc : docs) {
            if (doc.isBlank()) {
                continue;
            }
            HasMetadata original = app.objects().get(back.size());
            back.add(mapper.readValue(doc, original.getClass()));
        }
        assertThat(back).isEqualTo(app.objects());
        assertThat(yaml).doesNotContain("password:").doesNotContain("null");
    }

    @Test
    void objectsComeInAStableKindThenNameOrder() {
        List<String> kinds = shop(null).objects().stream().map(HasMetadata::getKind).distinct().toList();
        assertThat(kinds).containsExactly("ConfigMap", "Service", "Deployment", "Job", "CronJob", "Ingress", "HorizontalPodAutoscaler",
                "PodDisruptionBudget");
    }

    @Test
    void aRegistryMirrorReplacesTheRegistryOfEveryImage() {
        assertThat(Images.mirror("registry.local/shop/web:1.4.2", "mirror.dc2:5000")).isEqualTo("mirror.dc2:5000/shop/web:1.4.2");
        assertThat(Images.mirror("nginx:1.27", "mirror.dc2")).isEqualTo("mirror.dc2/library/nginx:1.27");
        assertThat(Images.mirror("bitnami/redis:7", "mirror.dc2")).isEqualTo("mirror.dc2/bitnami/redis:7");
        assertThat(Images.mirror("localhost/x:1", "m.local")).isEqualTo("m.local/x:1");
        assertThat(Images.mirror("nginx:1.27", null)).isEqualTo("nginx:1.27");
        ClusterProfile mirrored = new ClusterProfile("ns", OvercommitPolicy.NONE, null, "apps.example.com", "mirror.dc2", 3, java.util.Set.of());
        CompiledApp app = new AppCompiler().compile(AppReader.read(SHOP).resolve(null), mirrored);
        assertThat(app.get(Deployment.class, "shop-web").getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("mirror.dc2/shop/web:1.4.2");
    }
}
