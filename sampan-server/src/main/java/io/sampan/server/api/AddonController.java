package io.sampan.server.api;

import io.sampan.server.access.AccessControl;
import io.sampan.server.access.Caller;
import io.sampan.server.access.Role;
import io.sampan.server.addon.AddonCatalog;
import io.sampan.server.addon.AddonInstance;
import io.sampan.server.addon.AddonStore;
import io.sampan.server.addon.Addons;
import io.sampan.server.addon.Provider;
import io.sampan.server.registry.AppStore;
import io.sampan.server.registry.Environment;
import io.sampan.server.registry.EnvironmentStore;
import io.sampan.server.registry.Organisation;
import io.sampan.server.registry.OrganisationStore;
import io.sampan.server.registry.Project;
import io.sampan.server.registry.RegistryException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Addons: the catalog, an environment's instances with their status, the provider policy, external
 * instances registered once, shared ones created ahead, bindings and deletion. Credentials go in and
 * never come out: a view names the Secret that holds them.
 */
@RestController
public class AddonController {
    private static final String ENV = "/api/v1/orgs/{org}/projects/{project}/environments/{env}";
    private final OrganisationStore orgs;
    private final EnvironmentStore environments;
    private final AppStore apps;
    private final AddonStore store;
    private final AddonCatalog catalog;
    private final Addons addons;
    private final AccessControl access;

    public AddonController(OrganisationStore orgs, EnvironmentStore environments, AppStore apps, AddonStore store, AddonCatalog catalog,
            Addons addons, AccessControl access) {
        this.orgs = orgs;
        this.environments = environments;
        this.apps = apps;
        this.store = store;
        this.catalog = catalog;
        this.addons = addons;
        this.access = access;
    }

    public record CatalogView(String type, int port, String defaultVersion, List<String> versions, Map<String, AddonCatalog.Plan> plans,
            List<String> providers) {
    }

    /** The addons the platform offers: versions, plans and providers of each type. */
    @GetMapping("/api/v1/addon-catalog")
    List<CatalogView> catalog() {
        return catalog.entries().values().stream().map(e -> new CatalogView(e.type(), e.port(), e.defaultVersion(),
                List.copyOf(new TreeMap<>(e.versions()).keySet()), new TreeMap<>(e.plans()),
                e.operator() == null ? List.of("template", "external") : List.of("template", "operator", "external"))).toList();
    }

    /**
     * @param secret the instance's own Secret in the environment's namespaces (provisioned instances)
     * @param boundTo {@code app:alias} of the apps bound to it; each reads the Secret {@code <app>-addon-<alias>}
     * @param status provisioning, ready or failed
     */
    public record AddonView(String name, String type, String version, String plan, String provider, boolean shared, String host, int port,
            boolean tls, String secret, List<String> boundTo, String status, String reason, Instant createdAt) {
    }

    /** What to create: a shared instance (template or operator) or, with {@code external}, a registered existing one. */
    public record NewAddon(String name, String type, String version, String plan, String provider, External external) {
    }

    /** An existing instance's connection; the password is stored encrypted and never returned. */
    public record External(String host, Integer port, String username, String password, String database, Boolean tls) {
    }

    public record Binding(String app, String alias) {
    }

    record Target(Organisation org, Project project, Environment env) {
    }

    private Target target(Caller caller, String org, String project, String env, Role role, String doing) {
        Organisation o = orgs.get(org);
        Project p = access.project(caller, o, project, role, doing);
        return new Target(o, p, environments.get(p, env));
    }

    private Target changing(Caller caller, String org, String project, String env, String doing) {
        Target t = target(caller, org, project, env, Role.VIEWER, doing);
        access.requireDeploy(caller, t.org(), t.project(), t.env());
        return t;
    }

    private AddonView view(Environment env, AddonInstance i) {
        Addons.Status s = addons.status(env, i);
        return new AddonView(i.name(), i.type(), i.version(), i.plan(), i.provider().id(), i.shared(), i.host(), i.port(), i.tls(),
                i.provider() == Provider.EXTERNAL ? null : i.secretName(), store.bindings(i), s.state(), s.reason(), i.createdAt());
    }

    @GetMapping(ENV + "/addons")
    List<AddonView> list(Caller caller, @PathVariable String org, @PathVariable String project, @PathVariable String env) {
        Target t = target(caller, org, project, env, Role.VIEWER, "reading addons");
        return store.of(t.env().id()).stream().map(i -> view(t.env(), i)).toList();
    }

    @GetMapping(ENV + "/addons/{name}")
    AddonView show(Caller caller, @PathVariable String org, @PathVariable String project, @PathVariable String env, @PathVariable String name) {
        Target t = target(caller, org, project, env, Role.VIEWER, "reading addons");
        return view(t.env(), store.get(t.env().id(), name));
    }

    @PostMapping(ENV + "/addons")
    @ResponseStatus(HttpStatus.CREATED)
    AddonView create(Caller caller, @PathVariable String org, @PathVariable String project, @PathVariable String env, @RequestBody NewAddon body) {
        Target t = changing(caller, org, project, env, "creating addons");
        if (body.type() == null) {
            throw new RegistryException.Invalid("type", "\"type\" is required: one of " + String.join(", ", catalog.entries().keySet()));
        }
        AddonInstance i;
        if (body.external() != null || "external".equals(body.provider())) {
            External x = body.external() == null ? new External(null, null, null, null, null, null) : body.external();
            i = addons.register(t.env(), new Addons.ExternalDraft(body.name(), body.type(), x.host(), x.port(), x.username(), x.password(),
                    x.database(), Boolean.TRUE.equals(x.tls())));
        } else {
            i = addons.create(t.env(), new Addons.Draft(body.name(), body.type(), body.version(), body.plan(),
                    body.provider() == null ? null : Provider.of("provider", body.provider()), true));
        }
        return view(t.env(), i);
    }

    /** Deletes the instance; one holding data only with {@code deleteData=true}. */
    @DeleteMapping(ENV + "/addons/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(Caller caller, @PathVariable String org, @PathVariable String project, @PathVariable String env, @PathVariable String name,
            @RequestParam(defaultValue = "false") boolean deleteData) {
        Target t = changing(caller, org, project, env, "deleting addons");
        addons.delete(t.env(), store.get(t.env().id(), name), deleteData);
    }

    /** Binds an app's alias ({@code spec.addons.<alias>}) to this instance from its next release on. */
    @PostMapping(ENV + "/addons/{name}/bindings")
    AddonView bind(Caller caller, @PathVariable String org, @PathVariable String project, @PathVariable String env, @PathVariable String name,
            @RequestBody Binding body) {
        Target t = changing(caller, org, project, env, "binding addons");
        AddonInstance i = store.get(t.env().id(), name);
        if (body.app() == null) {
            throw new RegistryException.Invalid("app", "\"app\" is required");
        }
        addons.bind(t.env(), apps.get(t.project(), body.app()), body.alias() == null ? name : body.alias(), i);
        return view(t.env(), i);
    }

    /** The environment's provider per addon type ({@code "*"}: every other type; absent: template). */
    @GetMapping(ENV + "/addon-policy")
    Map<String, String> policy(Caller caller, @PathVariable String org, @PathVariable String project, @PathVariable String env) {
        Target t = target(caller, org, project, env, Role.VIEWER, "reading addon policies");
        Map<String, String> out = new LinkedHashMap<>();
        store.policy(t.env().id()).forEach((type, p) -> out.put(type, p.id()));
        return out;
    }

    /** Replaces the policy, e.g. {@code {"*": "template"}} for dev and {@code {"mysql": "external", "redis": "operator"}} for prod. */
    @PutMapping(ENV + "/addon-policy")
    Map<String, String> setPolicy(Caller caller, @PathVariable String org, @PathVariable String project, @PathVariable String env,
            @RequestBody Map<String, String> body) {
        Target t = target(caller, org, project, env, Role.MAINTAINER, "setting addon policies");
        Map<String, Provider> policy = new LinkedHashMap<>();
        body.forEach((type, provider) -> {
            if (!type.equals(AddonStore.ANY_TYPE)) {
                AddonCatalog.Entry e = catalog.get(type, type);
                if ("operator".equals(provider) && e.operator() == null) {
                    throw new RegistryException.Invalid(type, "no operator is known for " + type + "; use template or external");
                }
            }
            policy.put(type, Provider.of(type, provider));
        });
        store.setPolicy(t.env().id(), policy);
        return policy(caller, org, project, env);
    }
}
