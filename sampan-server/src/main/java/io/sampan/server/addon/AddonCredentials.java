package io.sampan.server.addon;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.sampan.release.ClusterDriver;
import io.sampan.release.ObjectRef;
import io.sampan.release.ObservedState;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Fills addon Secrets in as they are applied: a release carries them empty, marked with the
 * instance and role; the data (host, port, username, password...) is decrypted from the store only
 * here, on its way into the cluster. So no credential is in a release, an API answer or a log.
 */
@Component
public class AddonCredentials {
    private final AddonStore store;
    private final AddonCatalog catalog;

    public AddonCredentials(AddonStore store, AddonCatalog catalog) {
        this.store = store;
        this.catalog = catalog;
    }

    /** The driver, with addon Secrets filled in on every apply. */
    public ClusterDriver filling(ClusterDriver driver) {
        return new Filling(driver);
    }

    /** The object as it must be applied: a marked Secret with its data, anything else as it is. */
    HasMetadata fill(HasMetadata o) {
        String mark = o instanceof Secret && o.getMetadata().getAnnotations() != null
                ? o.getMetadata().getAnnotations().get(AddonObjects.CREDENTIALS) : null;
        if (mark == null || mark.indexOf('/') < 0) {
            return o;
        }
        String id = mark.substring(0, mark.indexOf('/'));
        AddonInstance i = store.byId(id).orElseThrow(() -> new IllegalStateException("addon instance " + id + " of Secret "
                + o.getMetadata().getName() + " no longer exists"));
        Map<String, String> keys = Connection.keys(i, catalog.get("type", i.type()), store.secrets(id), mark.endsWith("/server"));
        Map<String, String> data = new LinkedHashMap<>();
        keys.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        return new SecretBuilder((Secret) o).withData(data).build();
    }

    private final class Filling implements ClusterDriver {
        private final ClusterDriver driver;

        Filling(ClusterDriver driver) {
            this.driver = driver;
        }

        @Override
        public void apply(List<HasMetadata> objects) {
            driver.apply(objects.stream().map(AddonCredentials.this::fill).toList());
        }

        @Override
        public List<ObjectRef> list(String namespace, Map<String, String> labels) {
            return driver.list(namespace, labels);
        }

        @Override
        public Optional<HasMetadata> get(ObjectRef ref) {
            return driver.get(ref);
        }

        @Override
        public void delete(ObjectRef ref) {
            driver.delete(ref);
        }

        @Override
        public ObservedState observe(String namespace, Map<String, String> labels) {
            return driver.observe(namespace, labels);
        }

        @Override
        public ObservedState observeWorkloads(String namespace, Map<String, String> labels) {
            return driver.observeWorkloads(namespace, labels);
        }

        @Override
        public boolean serves(String apiVersion, String kind) {
            return driver.serves(apiVersion, kind);
        }
    }
}
