package io.sampan.server.addon;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.sampan.release.ClusterDriver;
import io.sampan.release.ObjectRef;
import io.sampan.release.RolloutStatus;
import io.sampan.server.deploy.ClusterDrivers;
import io.sampan.server.registry.App;
import io.sampan.server.registry.ClusterBinding;
import io.sampan.server.registry.Environment;
import io.sampan.server.registry.RegistryException;
import io.sampan.spec.AddonSpec;
import io.sampan.spec.AppSpec;
import io.sampan.spec.ObjectNames;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Addons of apps: which instance an app's alias resolves to in an environment (an explicit binding,
 * else by the environment's provider policy: a registered external instance, or one Sampan
 * provisions — shared by name in the project and environment when declared so), the objects each
 * release carries for them, and their lifecycle and status.
 */
@Service
public class Addons {
    private static final Logger LOG = LoggerFactory.getLogger(Addons.class);
    private static final Pattern NAME = Pattern.compile("[a-z]([-a-z0-9]{0,55}[a-z0-9])?");
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private final AddonStore store;
    private final AddonCatalog catalog;
    private final ClusterDrivers drivers;
    private final SecureRandom random = new SecureRandom();

    public Addons(AddonStore store, AddonCatalog catalog, ClusterDrivers drivers) {
        this.store = store;
        this.catalog = catalog;
        this.drivers = drivers;
    }

    /**
     * The objects a release of {@code spec} carries on one cluster for its addons: each instance's
     * own (StatefulSet and Services, or the operator's custom resource, and its Secret) and the
     * connection Secret {@code <app>-addon-<alias>} the services read. Addons naming their own Secret
     * ({@code external.secret}) need nothing.
     */
    /**
     * The objects a release of the app carries for its addons on one cluster.
     *
     * @param preview for a diff: an instance not yet there is shown as it would be, but neither provisioned nor bound
     */
    public List<HasMetadata> objectsFor(App app, Environment env, AppSpec spec, ClusterBinding cluster, boolean preview) {
        List<HasMetadata> out = new ArrayList<>();
        for (AddonSpec addon : spec.addons().values()) {
            if (addon.isExternal()) {
                continue;
            }
            AddonInstance i = resolve(app, env, addon, preview);
            AddonCatalog.Entry e = catalog.get("spec.addons." + addon.name() + ".type", i.type());
            if (i.provider() == Provider.OPERATOR) {
                requireCrd(addon.name(), e, cluster.cluster());
            }
            for (HasMetadata o : AddonObjects.of(i, e, cluster.namespace(), env.name())) {
                if (out.stream().noneMatch(x -> x.getKind().equals(o.getKind()) && x.getMetadata().getName().equals(o.getMetadata().getName()))) {
                    out.add(o);
                }
            }
            out.add(AddonObjects.binding(i, ObjectNames.addonSecret(app.name(), addon), cluster.namespace(), env.name()));
        }
        return out;
    }

    /** The instance the app's alias is bound to in the environment; bound now (and provisioned if needed) when it is not yet. */
    AddonInstance resolve(App app, Environment env, AddonSpec addon, boolean preview) {
        String field = "spec.addons." + addon.name();
        Optional<AddonInstance> bound = store.bound(env.id(), app.id(), addon.name());
        if (bound.isPresent()) {
            if (!bound.get().type().equals(addon.type())) {
                throw new RegistryException.Conflict("addon " + addon.name() + " is a " + addon.type() + " but is bound to " + bound.get().name()
                        + ", a " + bound.get().type() + "; bind it to a " + addon.type() + " with sampan addons bind");
            }
            return bound.get();
        }
        AddonCatalog.Entry e = catalog.get(field + ".type", addon.type());
        Provider provider = providerFor(env, addon.type());
        AddonInstance i;
        if (provider == Provider.EXTERNAL) {
            i = external(env, addon);
        } else {
            String name = addon.shared() ? addon.name() : app.name() + "-" + addon.name();
            String version = AddonCatalog.version(e, field + ".version", addon.version());
            AddonCatalog.plan(e, field + ".plan", addon.plan());
            i = store.find(env.id(), name).orElse(null);
            if (i == null && preview) {
                return unsaved(new Draft(name, addon.type(), version, addon.plan(), provider, addon.shared()), env, addon.shared() ? null : app.id(), e);
            }
            if (i == null) {
                i = provision(new Draft(name, addon.type(), version, addon.plan(), provider, addon.shared()), env, addon.shared() ? null : app.id(), e);
                LOG.info("addon {} ({} {} {}, {}) provisioned in environment {}", i.name(), i.type(), i.version(), i.plan(), provider.id(), env.name());
            } else if (!i.type().equals(addon.type())) {
                throw new RegistryException.Conflict("addon " + addon.name() + " is a " + addon.type() + " but the instance " + name
                        + " in " + env.name() + " is a " + i.type());
            }
        }
        if (!preview) {
            store.bind(env.id(), app.id(), addon.name(), i);
        }
        return i;
    }

    private AddonInstance external(Environment env, AddonSpec addon) {
        List<AddonInstance> registered = store.of(env.id()).stream()
                .filter(x -> x.provider() == Provider.EXTERNAL && x.type().equals(addon.type())).toList();
        return registered.stream().filter(x -> x.name().equals(addon.name())).findFirst()
                .or(() -> registered.size() == 1 ? Optional.of(registered.get(0)) : Optional.empty())
                .orElseThrow(() -> new RegistryException.Conflict("addon " + addon.name() + ": environment " + env.name()
                        + " takes " + addon.type() + " from external instances, and " + (registered.isEmpty() ? "none is registered"
                                : registered.size() + " are registered (" + String.join(", ", registered.stream().map(AddonInstance::name).toList())
                                        + ") and none is named " + addon.name())
                        + "; register one with `sampan addons create " + addon.name() + " --type " + addon.type()
                        + " --external ...` or bind one with `sampan addons bind`"));
    }

    /** The provider the environment's policy gives {@code type}: its own entry, else the {@value AddonStore#ANY_TYPE} entry, else template. */
    Provider providerFor(Environment env, String type) {
        Map<String, Provider> policy = store.policy(env.id());
        return policy.getOrDefault(type, policy.getOrDefault(AddonStore.ANY_TYPE, Provider.TEMPLATE));
    }

    private void requireCrd(String alias, AddonCatalog.Entry e, String cluster) {
        ClusterDriver driver = drivers.forCluster(cluster);
        try {
            if (driver.get(new ObjectRef("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, e.operator().crd())).isEmpty()) {
                throw new RegistryException.Conflict("addon " + alias + ": the operator provider of " + e.type() + " needs the CRD "
                        + e.operator().crd() + " in cluster " + cluster + "; install the operator there, or set the environment's addon policy for "
                        + e.type() + " to template or external");
            }
        } catch (ClusterDriver.Unreachable u) {
            throw new RegistryException.Conflict("addon " + alias + ": cannot check cluster " + cluster + " for the CRD " + e.operator().crd()
                    + ": " + u.getMessage());
        }
    }

    // ---- lifecycle

    /** What to create: a provisioned instance ({@code provider} template or operator). */
    public record Draft(String name, String type, String version, String plan, Provider provider, boolean shared) {
    }

    /** An existing instance's connection details (the password is kept encrypted and never shown again). */
    public record ExternalDraft(String name, String type, String host, Integer port, String username, String password, String database,
            boolean tls) {
    }

    /** Creates a shared instance ahead of any app (provisioned on the first release that binds it). */
    public AddonInstance create(Environment env, Draft d) {
        check("name", d.name());
        AddonCatalog.Entry e = catalog.get("type", d.type());
        Provider provider = d.provider() == null ? providerFor(env, d.type()) : d.provider();
        if (provider == Provider.EXTERNAL) {
            throw new RegistryException.Invalid("provider", "an external instance needs its connection details: host, port, username, password");
        }
        String version = AddonCatalog.version(e, "version", d.version());
        String plan = d.plan() == null ? "small" : d.plan();
        AddonCatalog.plan(e, "plan", plan);
        requireUnused(env, d.name());
        return provision(new Draft(d.name(), d.type(), version, plan, provider, true), env, null, e);
    }

    /** Registers an existing instance of the environment (a managed cloud database). */
    public AddonInstance register(Environment env, ExternalDraft d) {
        check("name", d.name());
        AddonCatalog.Entry e = catalog.get("type", d.type());
        if (d.host() == null || d.host().isBlank()) {
            throw new RegistryException.Invalid("host", "\"host\" is required for an external instance");
        }
        int port = d.port() == null ? e.port() : d.port();
        if (port < 1 || port > 65535) {
            throw new RegistryException.Invalid("port", "port must be from 1 to 65535");
        }
        requireUnused(env, d.name());
        AddonInstance draft = new AddonInstance(null, env.projectId(), env.id(), d.name(), d.type(), null, null, Provider.EXTERNAL, true, null,
                d.host(), port, d.username(), d.database(), d.tls(), null);
        return store.create(draft, Map.of("password", d.password() == null ? "" : d.password()));
    }

    private AddonInstance provision(Draft d, Environment env, String appId, AddonCatalog.Entry e) {
        if (d.provider() == Provider.OPERATOR && e.operator() == null) {
            throw new RegistryException.Invalid("provider", "no operator is known for " + e.type() + "; use template or external");
        }
        AddonInstance draft = unsaved(d, env, appId, e);
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("password", password());
        secrets.put(Connection.ADMIN_PASSWORD, password());
        return store.create(draft, secrets);
    }

    /** The instance a draft makes, before it is stored (no id, no credentials). */
    private static AddonInstance unsaved(Draft d, Environment env, String appId, AddonCatalog.Entry e) {
        String resource = "addon-" + d.name();
        String host = d.provider() == Provider.OPERATOR ? Connection.fill(e.operator().host(), Map.of("name", resource)) : resource;
        return new AddonInstance(null, env.projectId(), env.id(), d.name(), d.type(), d.version(), d.plan(), d.provider(),
                d.shared(), appId, host, e.port(), e.username(), e.database(), false, null);
    }

    private void requireUnused(Environment env, String name) {
        if (store.find(env.id(), name).isPresent()) {
            throw new RegistryException.AlreadyExists("addon", name);
        }
    }

    /** Binds the app's alias to the instance from the next release on. */
    public void bind(Environment env, App app, String alias, AddonInstance i) {
        check("alias", alias);
        store.bind(env.id(), app.id(), alias, i);
    }

    /**
     * Deletes the instance: its objects in every cluster of the environment and its record. A
     * provisioned one holds data: refused unless {@code deleteData}, which deletes its volumes too.
     */
    public void delete(Environment env, AddonInstance i, boolean deleteData) {
        if (i.stateful() && !deleteData) {
            throw new RegistryException.Conflict("addon " + i.name() + " holds data (its volumes); deleting it loses that data: "
                    + "say so with --delete-data (API: ?deleteData=true)");
        }
        AddonCatalog.Entry e = catalog.get("type", i.type());
        for (ClusterBinding b : env.clusters()) {
            ClusterDriver driver = drivers.forCluster(b.cluster());
            List<HasMetadata> objects = new ArrayList<>(AddonObjects.of(i, e, b.namespace(), env.name()));
            for (String binding : store.bindings(i)) {
                String app = binding.substring(0, binding.indexOf(':'));
                String alias = binding.substring(binding.indexOf(':') + 1);
                objects.add(AddonObjects.binding(i, app + "-addon-" + alias, b.namespace(), env.name()));
            }
            objects.forEach(o -> driver.delete(ObjectRef.of(o)));
            if (i.provider() == Provider.TEMPLATE) {
                int replicas = e.plans().get(i.plan()).replicas();
                for (int n = 0; n < replicas; n++) {
                    driver.delete(new ObjectRef("v1", "PersistentVolumeClaim", b.namespace(), "data-" + i.resourceName() + "-" + n));
                }
            }
        }
        store.delete(i);
    }

    /** Where an instance stands: provisioning, ready or failed (with the reason), from what its clusters show. */
    public record Status(String state, String reason) {
    }

    public Status status(Environment env, AddonInstance i) {
        if (i.provider() == Provider.EXTERNAL) {
            return new Status("ready", null);
        }
        AddonCatalog.Entry e = catalog.get("type", i.type());
        List<HasMetadata> objects = AddonObjects.of(i, e, null, env.name());
        HasMetadata main = objects.get(objects.size() - 1);
        String waiting = null;
        for (ClusterBinding b : env.clusters()) {
            RolloutStatus s;
            try {
                s = drivers.forCluster(b.cluster()).get(new ObjectRef(main.getApiVersion(), main.getKind(), b.namespace(), main.getMetadata().getName()))
                        .map(RolloutStatus::of).orElse(new RolloutStatus.InProgress("not created yet: a release that uses it creates it"));
            } catch (ClusterDriver.Unreachable u) {
                s = new RolloutStatus.InProgress("cluster " + b.cluster() + " unreachable: " + u.getMessage());
            }
            if (s instanceof RolloutStatus.Failed f) {
                return new Status("failed", b.cluster() + ": " + f.message());
            }
            if (!(s instanceof RolloutStatus.Done)) {
                waiting = waiting == null ? b.cluster() + ": " + s.message() : waiting;
            }
        }
        return waiting == null ? new Status("ready", null) : new Status("provisioning", waiting);
    }

    private String password() {
        StringBuilder p = new StringBuilder(24);
        for (int n = 0; n < 24; n++) {
            p.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return p.toString();
    }

    private static void check(String field, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new RegistryException.Invalid(field, "\"" + field + "\" must be at most 57 lower-case letters, digits and '-', starting with a letter"
                    + (name == null ? "" : ", not \"" + name + "\""));
        }
    }
}
