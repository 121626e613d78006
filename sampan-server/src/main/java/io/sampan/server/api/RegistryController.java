package io.sampan.server.api;

import io.fabric8.kubernetes.client.Config;
import io.sampan.server.cluster.ClusterCheck;
import io.sampan.server.cluster.Kubeconfigs;
import io.sampan.server.registry.App;
import io.sampan.server.registry.AppRevision;
import io.sampan.server.registry.AppStore;
import io.sampan.server.registry.Cluster;
import io.sampan.server.registry.ClusterBinding;
import io.sampan.server.registry.ClusterStore;
import io.sampan.server.registry.Environment;
import io.sampan.server.registry.EnvironmentProfile;
import io.sampan.server.registry.EnvironmentStore;
import io.sampan.server.registry.Organisation;
import io.sampan.server.registry.OrganisationStore;
import io.sampan.server.registry.Page;
import io.sampan.server.registry.Project;
import io.sampan.server.registry.ProjectStore;
import io.sampan.server.registry.RegistryException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The registry API: organisations → projects → environments and apps; clusters. Names, not ids,
 * address everything. Lists are paginated by name ({@code ?after=&limit=}).
 */
@RestController
@RequestMapping("/api/v1")
public class RegistryController {
    private final OrganisationStore orgs;
    private final ProjectStore projects;
    private final EnvironmentStore environments;
    private final ClusterStore clusters;
    private final ClusterCheck clusterCheck;
    private final AppStore apps;

    public RegistryController(OrganisationStore orgs, ProjectStore projects, EnvironmentStore environments, ClusterStore clusters,
            ClusterCheck clusterCheck, AppStore apps) {
        this.orgs = orgs;
        this.projects = projects;
        this.environments = environments;
        this.clusters = clusters;
        this.clusterCheck = clusterCheck;
        this.apps = apps;
    }

    // ---- organisations and projects

    public record NewOrganisation(String name, String displayName) {
    }

    public record OrganisationView(String name, String displayName, Instant createdAt) {
        static OrganisationView of(Organisation o) {
            return new OrganisationView(o.name(), o.displayName(), o.createdAt());
        }
    }

    @PostMapping("/orgs")
    @ResponseStatus(HttpStatus.CREATED)
    OrganisationView createOrg(@RequestBody NewOrganisation body) {
        return OrganisationView.of(orgs.create(required(body, "name", body == null ? null : body.name()), body.displayName()));
    }

    @GetMapping("/orgs")
    Page<OrganisationView> listOrgs(@RequestParam(required = false) String after, @RequestParam(required = false) Integer limit) {
        Page<Organisation> page = orgs.list(after, limit);
        return new Page<>(page.items().stream().map(OrganisationView::of).toList(), page.next());
    }

    @GetMapping("/orgs/{org}")
    OrganisationView getOrg(@PathVariable String org) {
        return OrganisationView.of(orgs.get(org));
    }

    public record NewProject(String name, String description) {
    }

    public record ProjectView(String org, String name, String description, Instant createdAt) {
    }

    @PostMapping("/orgs/{org}/projects")
    @ResponseStatus(HttpStatus.CREATED)
    ProjectView createProject(@PathVariable String org, @RequestBody NewProject body) {
        Organisation o = orgs.get(org);
        Project p = projects.create(o, required(body, "name", body == null ? null : body.name()), body.description());
        return new ProjectView(o.name(), p.name(), p.description(), p.createdAt());
    }

    @GetMapping("/orgs/{org}/projects")
    Page<ProjectView> listProjects(@PathVariable String org, @RequestParam(required = false) String after,
            @RequestParam(required = false) Integer limit) {
        Organisation o = orgs.get(org);
        Page<Project> page = projects.list(o, after, limit);
        return new Page<>(page.items().stream().map(p -> new ProjectView(o.name(), p.name(), p.description(), p.createdAt())).toList(),
                page.next());
    }

    @GetMapping("/orgs/{org}/projects/{project}")
    ProjectView getProject(@PathVariable String org, @PathVariable String project) {
        Organisation o = orgs.get(org);
        Project p = projects.get(o, project);
        return new ProjectView(o.name(), p.name(), p.description(), p.createdAt());
    }

    // ---- environments

    public record EnvironmentBody(String name, EnvironmentProfile profile, List<ClusterBinding> clusters, Long version) {
    }

    public record EnvironmentView(String name, EnvironmentProfile profile, List<ClusterBinding> clusters, long version, Instant createdAt) {
        static EnvironmentView of(Environment e) {
            return new EnvironmentView(e.name(), e.profile(), e.clusters(), e.version(), e.createdAt());
        }
    }

    @PostMapping("/orgs/{org}/projects/{project}/environments")
    @ResponseStatus(HttpStatus.CREATED)
    EnvironmentView createEnvironment(@PathVariable String org, @PathVariable String project, @RequestBody EnvironmentBody body) {
        Project p = projects.get(orgs.get(org), project);
        return EnvironmentView.of(environments.create(p, required(body, "name", body == null ? null : body.name()), body.profile(),
                body.clusters()));
    }

    @PutMapping("/orgs/{org}/projects/{project}/environments/{env}")
    EnvironmentView updateEnvironment(@PathVariable String org, @PathVariable String project, @PathVariable String env,
            @RequestBody EnvironmentBody body) {
        Project p = projects.get(orgs.get(org), project);
        if (body == null || body.version() == null) {
            throw new RegistryException.Invalid("version", "\"version\" is required: send the version you read, so no one's change is lost");
        }
        return EnvironmentView.of(environments.update(p, env, body.version(), body.profile() == null ? EnvironmentProfile.DEFAULT : body.profile(),
                body.clusters()));
    }

    @GetMapping("/orgs/{org}/projects/{project}/environments")
    Page<EnvironmentView> listEnvironments(@PathVariable String org, @PathVariable String project,
            @RequestParam(required = false) String after, @RequestParam(required = false) Integer limit) {
        Page<Environment> page = environments.list(projects.get(orgs.get(org), project), after, limit);
        return new Page<>(page.items().stream().map(EnvironmentView::of).toList(), page.next());
    }

    @GetMapping("/orgs/{org}/projects/{project}/environments/{env}")
    EnvironmentView getEnvironment(@PathVariable String org, @PathVariable String project, @PathVariable String env) {
        return EnvironmentView.of(environments.get(projects.get(orgs.get(org), project), env));
    }

    // ---- clusters

    /** A cluster is registered by a kubeconfig (pasted), optionally naming the context to use. */
    public record NewCluster(String name, String kubeconfig, String context) {
    }

    public record ClusterView(String name, String server, String kubernetesVersion, String health, String healthReason, Instant checkedAt,
            Instant createdAt) {
        static ClusterView of(Cluster c) {
            return new ClusterView(c.name(), c.server(), c.kubernetesVersion(), c.health().name().toLowerCase(), c.healthReason(),
                    c.checkedAt(), c.createdAt());
        }
    }

    @PostMapping("/clusters")
    @ResponseStatus(HttpStatus.CREATED)
    ClusterView createCluster(@RequestBody NewCluster body) {
        String name = required(body, "name", body == null ? null : body.name());
        Config config = Kubeconfigs.config(body.kubeconfig(), body.context());
        return ClusterView.of(clusters.create(name, config.getMasterUrl(), body.kubeconfig()));
    }

    @GetMapping("/clusters")
    Page<ClusterView> listClusters(@RequestParam(required = false) String after, @RequestParam(required = false) Integer limit) {
        Page<Cluster> page = clusters.list(after, limit);
        return new Page<>(page.items().stream().map(ClusterView::of).toList(), page.next());
    }

    @GetMapping("/clusters/{name}")
    ClusterView getCluster(@PathVariable String name) {
        return ClusterView.of(clusters.get(name));
    }

    @PostMapping("/clusters/{name}/check")
    ClusterView checkCluster(@PathVariable String name) {
        return ClusterView.of(clusterCheck.check(clusters.get(name)));
    }

    // ---- apps and revisions

    public record AppView(String project, String name, Integer latestRevision, Instant createdAt) {
    }

    public record RevisionView(String app, int number, String contentHash, String createdBy, String message, Instant createdAt, String spec) {
        static RevisionView of(App app, AppRevision r, boolean withSpec) {
            return new RevisionView(app.name(), r.number(), r.contentHash(), r.createdBy(), r.message(), r.createdAt(), withSpec ? r.spec() : null);
        }
    }

    public record ApplyView(RevisionView revision, boolean created, List<Map<String, Object>> warnings) {
    }

    /** Applies an app.yaml (the request body, as YAML text): a new revision when the content changed. */
    @PostMapping(path = "/orgs/{org}/projects/{project}/apps", consumes = {"application/yaml", "application/x-yaml", "text/yaml", "text/plain"})
    ResponseEntity<ApplyView> apply(@PathVariable String org, @PathVariable String project, @RequestBody String yaml,
            @RequestHeader(name = "X-Sampan-Message", required = false) String message) {
        Project p = projects.get(orgs.get(org), project);
        AppStore.Applied applied = apps.apply(p, yaml, "local", message);
        ApplyView view = new ApplyView(RevisionView.of(applied.app(), applied.revision(), false), applied.created(),
                applied.warnings().stream().map(ApiErrors::field).toList());
        return ResponseEntity.status(applied.created() ? HttpStatus.CREATED : HttpStatus.OK).body(view);
    }

    @GetMapping("/orgs/{org}/projects/{project}/apps")
    Page<AppView> listApps(@PathVariable String org, @PathVariable String project, @RequestParam(required = false) String after,
            @RequestParam(required = false) Integer limit) {
        Project p = projects.get(orgs.get(org), project);
        Page<App> page = apps.list(p, after, limit);
        return new Page<>(page.items().stream().map(a -> new AppView(p.name(), a.name(), apps.latest(a).number(), a.createdAt())).toList(),
                page.next());
    }

    @GetMapping("/orgs/{org}/projects/{project}/apps/{app}")
    AppView getApp(@PathVariable String org, @PathVariable String project, @PathVariable String app) {
        Project p = projects.get(orgs.get(org), project);
        App a = apps.get(p, app);
        return new AppView(p.name(), a.name(), apps.latest(a).number(), a.createdAt());
    }

    @GetMapping("/orgs/{org}/projects/{project}/apps/{app}/revisions")
    Page<RevisionView> listRevisions(@PathVariable String org, @PathVariable String project, @PathVariable String app,
            @RequestParam(required = false) Integer before, @RequestParam(required = false) Integer limit) {
        App a = apps.get(projects.get(orgs.get(org), project), app);
        Page<AppRevision> page = apps.revisions(a, before, limit);
        return new Page<>(page.items().stream().map(r -> RevisionView.of(a, r, false)).toList(), page.next());
    }

    @GetMapping("/orgs/{org}/projects/{project}/apps/{app}/revisions/{number}")
    RevisionView getRevision(@PathVariable String org, @PathVariable String project, @PathVariable String app, @PathVariable int number) {
        App a = apps.get(projects.get(orgs.get(org), project), app);
        return RevisionView.of(a, apps.revision(a, number), true);
    }

    private static String required(Object body, String field, String value) {
        if (body == null) {
            throw new RegistryException.Invalid(field, "a JSON body with \"" + field + "\" is required");
        }
        if (value == null || value.isBlank()) {
            throw new RegistryException.Invalid(field, "\"" + field + "\" is required");
        }
        return value;
    }
}
