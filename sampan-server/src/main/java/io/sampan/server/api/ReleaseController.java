package io.sampan.server.api;

import io.sampan.release.ReleaseProgress;
import io.sampan.release.ClusterDriver;
import io.sampan.server.access.AccessControl;
import io.sampan.server.access.Caller;
import io.sampan.server.access.Role;
import io.sampan.server.registry.Organisation;
import io.sampan.release.ReleaseDiff;
import io.sampan.server.deploy.ClusterDrivers;
import io.sampan.server.deploy.ReleaseRecord;
import io.sampan.server.deploy.Topology;
import io.sampan.server.deploy.ReleaseService;
import io.sampan.server.deploy.ReleaseStore;
import io.sampan.server.registry.App;
import io.sampan.server.registry.AppStore;
import io.sampan.server.registry.Environment;
import io.sampan.server.registry.EnvironmentStore;
import io.sampan.server.registry.OrganisationStore;
import io.sampan.server.registry.Page;
import io.sampan.server.registry.Project;
import io.sampan.server.registry.RegistryException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Releases of an app in an environment: deploy, roll back to any earlier release, history and progress. */
@RestController
@RequestMapping("/api/v1/orgs/{org}/projects/{project}/apps/{app}/environments/{env}")
public class ReleaseController {
    private final OrganisationStore orgs;
    private final AppStore apps;
    private final EnvironmentStore environments;
    private final ReleaseService service;
    private final ReleaseStore releases;
    private final ClusterDrivers drivers;
    private final java.time.Clock clock;
    private final AccessControl access;
    private final io.sampan.server.deploy.ObservationCache observations;

    public ReleaseController(OrganisationStore orgs, AppStore apps, EnvironmentStore environments, ReleaseService service,
            ReleaseStore releases, ClusterDrivers drivers, java.time.Clock clock, AccessControl access,
            io.sampan.server.deploy.ObservationCache observations) {
        this.access = access;
        this.observations = observations;
        this.drivers = drivers;
        this.clock = clock;
        this.orgs = orgs;
        this.apps = apps;
        this.environments = environments;
        this.service = service;
        this.releases = releases;
    }

    /**
     * @param revision app revision to deploy (default: the latest)
     * @param rollbackTo release number whose exact objects to re-apply, instead of a revision
     * @param supersede stop a release that is still running instead of being refused
     */
    public record DeployRequest(Integer revision, Integer rollbackTo, String message, Boolean supersede) {
    }

    public record ClusterView(String cluster, String namespace, String step, String message, String reason, Instant since) {
    }

    public record ReleaseView(int number, String app, String environment, int revision, Integer rollbackOf, String phase, String reason,
            String requestedBy, String approvedBy, String message, Instant createdAt, Instant finishedAt, List<ClusterView> clusters,
            ReleaseRecord.Inputs inputs) {
        static ReleaseView of(ReleaseRecord r) {
            ReleaseProgress p = r.progress();
            List<ClusterView> clusters = p.clusters().entrySet().stream().map(e -> new ClusterView(e.getKey(),
                    r.content().clusters().get(e.getKey()).namespace(), e.getValue().step().name().toLowerCase().replace('_', '-'),
                    e.getValue().message(), e.getValue().reasonKind(), e.getValue().since())).toList();
            String phase = r.awaitingApproval() ? "awaiting-approval" : p.phase().name().toLowerCase();
            String reason = r.awaitingApproval() ? "waiting for approval" : p.failureReason();
            return new ReleaseView(r.number(), r.content().app(), r.content().environment(), r.revision(), r.rollbackOf(), phase, reason,
                    r.requestedBy(), r.approval().state() == ReleaseRecord.ApprovalState.APPROVED ? r.approval().by() : null, r.message(),
                    r.createdAt(), p.finishedAt(), clusters, r.inputs());
        }
    }

    record Target(Organisation org, Project project, App app, Environment env) {
        ReleaseService.Place place() {
            return new ReleaseService.Place(org, project, app, env);
        }
    }

    /** The app and environment, if the caller may see the project (404 otherwise). */
    private Target target(Caller caller, String org, String project, String app, String env) {
        Organisation o = orgs.get(org);
        Project p = access.project(caller, o, project, Role.VIEWER, "reading releases");
        return new Target(o, p, apps.get(p, app), environments.get(p, env));
    }

    @PostMapping("/releases")
    @ResponseStatus(HttpStatus.CREATED)
    ReleaseView deploy(Caller caller, @PathVariable String org, @PathVariable String project, @PathVariable String app, @PathVariable String env,
            @RequestBody(required = false) DeployRequest body) {
        Target t = target(caller, org, project, app, env);
        access.requireDeploy(caller, t.org(), t.project(), t.env());
        DeployRequest req = body == null ? new DeployRequest(null, null, null, false) : body;
        boolean supersede = Boolean.TRUE.equals(req.supersede());
        if (req.rollbackTo() != null && req.revision() != null) {
            throw new RegistryException.Invalid("rollbackTo", "give either revision or rollbackTo, not both");
        }
        ReleaseRecord r = req.rollbackTo() != null
                ? service.rollback(t.place(), req.rollbackTo(), caller.name(), req.message(), supersede)
                : service.deploy(t.place(), req.revision(), caller.name(), req.message(), supersede);
        return ReleaseView.of(r);
    }

    @GetMapping("/releases")
    Page<ReleaseView> list(Caller caller, @PathVariable String org, @PathVariable String project, @PathVariable String app, @PathVariable String env,
            @RequestParam(required = false) Integer before, @RequestParam(required = false) Integer limit) {
        Target t = target(caller, org, project, app, env);
        int n = limit == null ? Page.DEFAULT_LIMIT : Math.max(1, Math.min(Page.MAX_LIMIT, limit));
        List<ReleaseRecord> rows = releases.list(t.app().id(), t.env().id(), before == null ? Integer.MAX_VALUE : before, n + 1);
        List<ReleaseView> items = rows.stream().limit(n).map(ReleaseView::of).toList();
        return new Page<>(items, rows.size() > n ? Integer.toString(items.get(items.size() - 1).number()) : null);
    }

    /** Approves a release that waits for approval: it starts now. */
    @PostMapping("/releases/{number}/approve")
    ReleaseView approve(Caller caller, @PathVariable String org, @PathVariable String project, @PathVariable String app, @PathVariable String env,
            @PathVariable int number) {
        Target t = target(caller, org, project, app, env);
        return ReleaseView.of(service.approve(t.place(), releases.get(t.app().id(), t.env().id(), number), caller, true, access));
    }

    /** Rejects a release that waits for approval: it ends, failed, without touching any cluster. */
    @PostMapping("/releases/{number}/reject")
    ReleaseView reject(Caller caller, @PathVariable String org, @PathVariable String project, @PathVariable String app, @PathVariable String env,
            @PathVariable int number) {
        Target t = target(caller, org, project, app, env);
        return ReleaseView.of(service.approve(t.place(), releases.get(t.app().id(), t.env().id(), number), caller, false, access));
    }

    @GetMapping("/releases/{number}")
    ReleaseView get(Caller caller, @PathVariable String org, @PathVariable String project, @PathVariable String app, @PathVariable String env,
            @PathVariable int number) {
        Target t = target(caller, org, project, app, env);
        return ReleaseView.of(releases.get(t.app().id(), t.env().id(), number));
    }

    public record ClusterDiff(String cluster, String namespace, String error, List<ReleaseDiff.Change> changes) {
    }

    /** The exact objects a release applied to each cluster, as recorded. */
    @GetMapping("/releases/{number}/objects")
    Map<String, Object> objects(Caller caller, @PathVariable String org, @PathVariable String project, @PathVariable String app, @PathVariable String env,
            @PathVariable int number) {
        Target t = target(caller, org, project, app, env);
        ReleaseRecord r = releases.get(t.app().id(), t.env().id(), number);
        Map<String, Object> out = new LinkedHashMap<>();
        r.content().clusters().forEach((cluster, target) -> out.put(cluster, Map.of("namespace", target.namespace(),
                "yaml", io.sampan.compiler.Manifests.toYaml(target.objects()))));
        return out;
    }

    /** What deploying the revision (the latest by default) would change on each cluster, object by object. */
    @GetMapping("/diff")
    Map<String, Object> diff(Caller caller, @PathVariable String org, @PathVariable String project, @PathVariable String app, @PathVariable String env,
            @RequestParam(required = false) Integer revision) {
        Target t = target(caller, org, project, app, env);
        ReleaseService.Rendered rendered = service.render(t.app(), t.env(), revision, 0);
        List<ClusterDiff> clusters = new java.util.ArrayList<>();
        rendered.release().clusters().forEach((cluster, target) -> {
            try {
                clusters.add(new ClusterDiff(cluster, target.namespace(), null,
                        ReleaseDiff.of(target, rendered.release().ownerLabels(), drivers.forCluster(cluster))));
            } catch (ClusterDriver.Unreachable u) {
                clusters.add(new ClusterDiff(cluster, target.namespace(), u.getMessage(), List.of()));
            }
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("app", t.app().name());
        out.put("environment", t.env().name());
        out.put("revision", rendered.revision());
        out.put("clusters", clusters);
        return out;
    }

    /**
     * The app in the environment now: the latest release, where it stands on each cluster, and
     * what each cluster shows live (services' instances, pods with node, zone, restarts and age).
     */
    @GetMapping("/status")
    Map<String, Object> status(Caller caller, @PathVariable String org, @PathVariable String project, @PathVariable String app, @PathVariable String env) {
        Target t = target(caller, org, project, app, env);
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("app", t.app().name());
        status.put("environment", t.env().name());
        var latest = releases.latest(t.app().id(), t.env().id());
        status.put("release", latest.map(ReleaseView::of).orElse(null));
        List<Topology> clusters = new java.util.ArrayList<>();
        latest.ifPresent(r -> r.content().clusters().forEach((cluster, target) -> {
            try {
                var observed = observations.get(cluster, target.namespace(), r.content().ownerLabels(),
                        () -> drivers.forCluster(cluster).observe(target.namespace(), Map.of("app.kubernetes.io/managed-by", "sampan")));
                clusters.add(Topology.of(cluster, target.namespace(), target.objects(), observed, clock.instant()));
            } catch (ClusterDriver.Unreachable u) {
                clusters.add(Topology.unreachable(cluster, target.namespace(), u.getMessage()));
            }
        }));
        status.put("clusters", clusters);
        return status;
    }
}
