package io.sampan.server.api;

import io.fabric8.kubernetes.client.Config;
import io.sampan.server.access.AccessControl;
import io.sampan.server.access.Caller;
import io.sampan.server.access.Role;
import io.sampan.server.cluster.ClusterCheck;
import io.sampan.server.cluster.Kubeconfigs;
import io.sampan.server.registry.App;
import io.sampan.server.registry.Approval;
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
    private final AccessControl access;

    public RegistryController(OrganisationStore orgs, ProjectStore projects, EnvironmentStore environments, ClusterStore clusters,
            ClusterCheck clusterCheck, AppStore apps, AccessControl access) {
        this.access = access;
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
    OrganisationView createOrg(Caller caller, @RequestBody NewOrganisation body) {
        access.requireAdmin(caller, "creating an organisation");
        return OrganisationView.of(orgs.create(required(body, "name", body == null ? null : body.name()), body.displayName()));
    }

    @GetMapping("/orgs")
    Page<OrganisationView> listOrgs(Caller caller, @RequestParam(required = false) String after, @RequestParam(required = false) Integer limit) {
        Page<Organisation> page = orgs.list(after, limit);
        return new Page<>(page.items().stream().filter(o -> visible(caller, o)).map(OrganisationView::of).toList(), page.next());
    }

    @GetMapping("/orgs/{org}")
    OrganisationView getOrg(Caller caller, @PathVariable String org) {
        Organisation o = orgs.get(org);
        access.seeOrganisation(caller, o);
        return OrganisationView.of(o);
    }

    public record NewProject(String name, String description) {
    }

    public record ProjectView(String org, String name, String description, Instant createdAt) {
    }

    @PostMapping("/orgs/{org}/projects")
    @ResponseStatus(HttpStatus.CREATED)
    ProjectView createProject(Caller caller, @PathVariable String org, @RequestBody NewProject body) {
        Organisation o = orgs.get(org);
        access.require(caller, o, null, Role.OWNER, "creating a project");
        Project p = projects.create(o, required(body, "name", body == null ? null : body.name()), body.description());
        return new ProjectView(o.name(), p.name(), p.description(), p.createdAt());
    }

    @GetMapping("/orgs/{org}/projects")
    Page<ProjectView> listProjects(Caller caller, @PathVariable String org, @RequestParam(required = false) String after,
            @RequestParam(required = false) Integer limit) {
        Organisation o = orgs.get(org);
        access.seeOrganisation(caller, o);
        Page<Project> page = projects.list(o, after, limit);
        return new Page<>(page.items().stream().filter(p -> access.role(caller, o, p).isPresent())
                .map(p -> new ProjectView(o.name(), p.name(), p.description(), p.createdAt())).toList(), page.next());
    }

    @GetMapping("/orgs/{org}/projects/{project}")
    ProjectView getProject(Caller caller, @PathVariable String org, @PathVariable String project) {
        Organisation o = orgs.get(org);
        Project p = project(caller, o, project, Role.VIEWER, "reading the project");
        return new ProjectView(o.name(), p.name(), p.description(), p.createdAt());
    }

    // ---- environments

    /** An environment's approval rule as sent and shown: the least role that approves, and whether the requester may not. */
    public record ApprovalBody(String role, Boolean separateApprover) {
        Approval toApproval() {
            return new Approval(Role.parse("approval.role", role), Boolean.TRUE.equals(separateApprover));
        }

        static ApprovalBody of(Approval a) {
            return a == null ? null : new ApprovalBody(a.role().id(), a.separateApprover());
        }
    }

    /**
     * @param deployRole the least role that may deploy to the environment (default developer)
     * @param approval when set, releases wait for approval before they start
     */
    public record EnvironmentBody(String name, EnvironmentProfile profile, List<ClusterBinding> clusters, String deployRole, ApprovalBody approval,
            Long version) {
    }

    public record EnvironmentView(String name, EnvironmentProfile profile, List<ClusterBinding> clusters, String deployRole, ApprovalBody approval,
            long version, Instant createdAt) {
        static EnvironmentView of(Environment e) {
            return new EnvironmentView(e.name(), e.profile(), e.clusters(), e.deployRole() == null ? Role.DEVELOPER.id() : e.deployRole().id(),
                    ApprovalBody.of(e.approval()), e.version(), e.createdAt());
        }
    }

    @PostMapping("/orgs/{org}/projects/{project}/environments")
    @ResponseStatus(HttpStatus.CREATED)
    EnvironmentView createEnvironment(Caller caller, @PathVariable String org, @PathVariable String project, @RequestBody EnvironmentBody body) {
        Organisation o = orgs.get(org);
        Project p = project(caller, o, project, Role.MAINTAINER, "creating an environment");
        String name = required(body, "name", body == null ? null : body.name());
        Role deployRole = body.deployRole() == null ? null : Role.parse("deployRole", body.deployRole());
        Approval approval = body.approval() == null ? null : body.approval().toApproval();
        if (deployRole != null && deployRole != Role.DEVELOPER || approval != null) {
            access.require(caller, o, p, Role.OWNER, "setting who may deploy or approve");
        }
        return EnvironmentView.of(environments.create(p, name, body.profile(), body.clusters(), deployRole, approval));
    }

    @PutMapping("/orgs/{org}/projects/{project}/environments/{env}")
    EnvironmentView updateEnvironment(Caller caller, @PathVariable String org, @PathVariable String project, @PathVariable String env,
            @RequestBody EnvironmentBody body) {
        Organisation o = orgs.get(org);
        Project p = project(caller, o, project, Role.MAINTAINER, "changing an environment");
        if (body == null || body.version() == null) {
            throw new RegistryException.Invalid("version", "\"version\" is required: send the version you read, so no one's change is lost");
        }
        Environment current = environments.get(p, env);
        Role deployRole = body.deployRole() == null ? null : Role.parse("deployRole", body.deployRole());
        Approval approval = body.approval() == null ? null : body.approval().toApproval();
        boolean sameDeployRole = deployRole == current.deployRole() || deployRole == null && current.deployRole() == Role.DEVELOPER;
        if (!sameDeployRole || !java.util.Objects.equals(approval, current.approval())) {
            access.require(caller, o, p, Role.OWNER, "changing who may deploy or approve");
        }
        return EnvironmentView.of(environments.update(p, env, body.version(), body.profile() == null ? EnvironmentProfile.DEFAULT : body.profile(),
                body.clusters(), deployRole, approval));
    }

    @GetMapping("/orgs/{org}/projects/{project}/environments")
    Page<EnvironmentView> listEnvironments(Caller caller, @PathVariable String org, @PathVariable String project,
            @RequestParam(required = false) String after, @RequestParam(required = false) Integer limit) {
        Page<Environment> page = environments.list(project(caller, orgs.get(org), project, Role.VIEWER, "reading environments"), after, limit);
        return new Page<>(page.items().stream().map(EnvironmentView::of).toList(), page.next());
    }

    @GetMapping("/orgs/{org}/projects/{project}/environments/{env}")
    EnvironmentView getEnvironment(Caller caller, @PathVariable String org, @PathVariable String project, @PathVariable String env) {
        return EnvironmentView.of(environments.get(project(caller, orgs.get(org), project, Role.VIEWER, "reading environments"), env));
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
    ClusterView createCluster(Caller caller, @RequestBody NewCluster body) {
        access.requireAdmin(caller, "registering a cluster");
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
    ClusterView checkCluster(Caller caller, @PathVariable String name) {
        access.requireAdmin(caller, "checking a cluster");
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
    ResponseEntity<ApplyView> apply(Caller caller, @PathVariable String org, @PathVariable String project, @RequestBody String yaml,
            @RequestHeader(name = "X-Sampan-Message", required = false) String message) {
        Project p = project(caller, orgs.get(org), project, Role.DEVELOPER, "applying an app");
        AppStore.Applied applied = apps.apply(p, yaml, caller.name(), message);
        ApplyView view = new ApplyView(RevisionView.of(applied.app(), applied.revision(), false), applied.created(),
                applied.warnings().stream().map(ApiErrors::field).toList());
        return ResponseEntity.status(applied.created() ? HttpStatus.CREATED : HttpStatus.OK).body(view);
    }

    @GetMapping("/orgs/{org}/projects/{project}/apps")
    Page<AppView> listApps(Caller caller, @PathVariable String org, @PathVariable String project, @RequestParam(required = false) String after,
            @RequestParam(required = false) Integer limit) {
        Project p = project(caller, orgs.get(org), project, Role.VIEWER, "reading apps");
        Page<App> page = apps.list(p, after, limit);
        return new Page<>(page.items().stream().map(a -> new AppView(p.name(), a.name(), apps.latest(a).number(), a.createdAt())).toList(),
                page.next());
    }

    @GetMapping("/orgs/{org}/projects/{project}/apps/{app}")
    AppView getApp(Caller caller, @PathVariable String org, @PathVariable String project, @PathVariable String app) {
        Project p = project(caller, orgs.get(org), project, Role.VIEWER, "reading apps");
        App a = apps.get(p, app);
        return new AppView(p.name(), a.name(), apps.latest(a).number(), a.createdAt());
    }

    @GetMapping("/orgs/{org}/projects/{project}/apps/{app}/revisions")
    Page<RevisionView> listRevisions(Caller caller, @PathVariable String org, @PathVariable String project, @PathVariable String app,
            @RequestParam(required = false) Integer before, @RequestParam(required = false) Integer limit) {
        App a = apps.get(project(caller, orgs.get(org), project, Role.VIEWER, "reading apps"), app);
        Page<AppRevision> page = apps.revisions(a, before, limit);
        return new Page<>(page.items().stream().map(r -> RevisionView.of(a, r, false)).toList(), page.next());
    }

    @GetMapping("/orgs/{org}/projects/{project}/apps/{app}/revisions/{number}")
    RevisionView getRevision(Caller caller, @PathVariable String org, @PathVariable String project, @PathVariable String app,
            @PathVariable int number) {
        App a = apps.get(project(caller, orgs.get(org), project, Role.VIEWER, "reading apps"), app);
        return RevisionView.of(a, apps.revision(a, number), true);
    }

    private Project project(Caller caller, Organisation org, String name, Role needed, String doing) {
        return access.project(caller, org, name, needed, doing);
    }

    private boolean visible(Caller caller, Organisation org) {
        try {
            access.seeOrganisation(caller, org);
            return true;
        } catch (RegistryException.NotFound hidden) {
            return false;
        }
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
