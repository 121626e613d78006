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
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
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
    private final io.sampan.server.registry.Places places;
    private final StatusViews statusViews;

    public ReleaseController(OrganisationStore orgs, AppStore apps, EnvironmentStore environments, ReleaseService service,
            ReleaseStore releases, ClusterDrivers drivers, java.time.Clock clock, AccessControl access,
            io.sampan.server.deploy.ObservationCache observations, io.sampan.server.registry.Places places, StatusViews statusViews) {
        this.places = places;
        this.statusViews = statusViews;
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
    /**
     * @param release release fields over the app's release policy for this deploy only, e.g. {@code {"strategy": "rolling"}}
     */
    public record DeployRequest(Integer revision, Integer rollbackTo, String message, Boolean supersede, Map<String, Object> release) {
        public DeployRequest(Integer revision, Integer rollbackTo, String message, Boolean supersede) {
            this(revision, rollbackTo, message, supersede, null);
        }
    }

    /** @param wave the cluster's wave (1 first); @param step e.g. wait-ready; @param position stage and batch the step is about */
    public record ClusterView(String cluster, String namespace, int wave, String step, String position, String message, String reason,
            Instant since) {
    }

    /** The plan a release follows: strategy, batches, pauses, waves of clusters and stages of services. */
    /**
     * @param batches instances at the new version after each batch; for blue-green the steps of each stage
     * @param switchBackDelay blue-green only: how long the old version is kept after the switch
     * @param previewHost blue-green only: the preview host pattern ({@code {host}} is each exposed host)
     */
    public record PlanView(String strategy, List<String> batches, List<String> pauses, List<List<String>> waves, List<List<String>> stages,
            boolean autoRollback, String progressDeadline, String switchBackDelay, String previewHost) {
        static PlanView of(io.sampan.release.ReleasePlan plan) {
            var p = plan.policy();
            boolean blueGreen = p.strategy() == io.sampan.spec.ReleasePolicy.Strategy.BLUE_GREEN;
            return new PlanView(p.strategy().text(), blueGreen ? io.sampan.release.ReleasePlan.BLUE_GREEN_STEPS
                    : plan.batches().stream().map(b -> b.text()).toList(), p.pauses().stream().map(x -> x.text()).toList(),
                    plan.waves(), plan.stages(), p.autoRollback(), p.progressDeadline().toSeconds() + "s",
                    blueGreen ? p.switchBackDelay().toSeconds() + "s" : null, blueGreen ? p.previewHostOf("{host}") : null);
        }
    }

    public record ReleaseView(int number, String app, String environment, int revision, Integer rollbackOf, String phase, String reason,
            String requestedBy, String approvedBy, String message, Instant createdAt, Instant finishedAt, List<ClusterView> clusters,
            ReleaseRecord.Inputs inputs, PlanView plan, String pausedBy, String abortedBy) {
        static ReleaseView of(ReleaseRecord r) {
            ReleaseProgress p = r.progress();
            List<ClusterView> clusters = p.clusters().entrySet().stream().map(e -> new ClusterView(e.getKey(),
                    r.content().clusters().get(e.getKey()).namespace(), r.content().plan().waveOf(e.getKey()) + 1, e.getValue().step().label(),
                    position(e.getValue().step(), r.content().plan()), e.getValue().message(), e.getValue().reasonKind(), e.getValue().since()))
                    .toList();
            String phase = r.awaitingApproval() ? "awaiting-approval" : p.shownPhase();
            String reason = r.awaitingApproval() ? "waiting for approval" : p.failureReason();
            return new ReleaseView(r.number(), r.content().app(), r.content().environment(), r.revision(), r.rollbackOf(), phase, reason,
                    r.requestedBy(), r.approval().state() == ReleaseRecord.ApprovalState.APPROVED ? r.approval().by() : null, r.message(),
                    r.createdAt(), p.finishedAt(), clusters, r.inputs(), PlanView.of(r.content().plan()), p.control().paused() ? "paused" : null,
                    p.control().abortedBy());
        }

        private static String position(ReleaseProgress.Step step, io.sampan.release.ReleasePlan plan) {
            int stages = plan.stageCount();
            return switch (step) {
                case ReleaseProgress.Step.Apply a -> "stage " + (a.stage() + 1) + "/" + stages + ", " + plan.batchName(a.batch());
                case ReleaseProgress.Step.WaitReady w -> "stage " + (w.stage() + 1) + "/" + stages + ", " + plan.batchName(w.batch());
                case ReleaseProgress.Step.Paused w -> "stage " + (w.stage() + 1) + "/" + stages + ", " + plan.batchName(w.batch());
                case ReleaseProgress.Step.Gating w -> "stage " + (w.stage() + 1) + "/" + stages + ", " + plan.batchName(w.batch());
                case ReleaseProgress.Step.Draining d -> "stage " + (d.stage() + 1) + "/" + stages + ", draining the canary";
                default -> null;
            };
        }
    }

    record Target(Organisation org, Project project, App app, Environment env) {
        ReleaseService.Place place() {
            return new ReleaseService.Place(org, project, app, env);
        }
    }

    /** The app and environment, if the caller may see the project (404 otherwise). */
    private Target target(Caller caller, String org, String project, String app, String env) {
        var found = places.find(org, project, app, env);
        if (found.isPresent()) {
            var place = found.get();
            access.require(caller, place.org(), place.project(), Role.VIEWER, "reading releases");
            return new Target(place.org(), place.project(), place.app(), place.env());
        }
        // some name matches nothing: the lookups one by one say which (and do not tell a caller without access)
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
        if (req.rollbackTo() != null && req.release() != null) {
            throw new RegistryException.Invalid("release", "a rollback re-applies an earlier release at once; give no release fields with rollbackTo");
        }
        ReleaseRecord r = req.rollbackTo() != null
                ? service.rollback(t.place(), req.rollbackTo(), caller.name(), req.message(), supersede)
                : service.deploy(t.place(), req.revision(), req.release() == null ? null : JSON.writeValueAsString(req.release()), caller.name(),
                        req.message(), supersede);
        return ReleaseView.of(r);
    }

    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();

    /**
     * @param full promote: skip every pause and batch still to come
     * @param reason why, recorded with the release's events
     */
    public record ActionRequest(Boolean full, String reason) {
    }

    /** Promote a release paused at a step (after a batch); with {@code full}, every remaining pause and batch is skipped. */
    @PostMapping("/releases/{number}/promote")
    ReleaseView promote(Caller caller, @PathVariable String org, @PathVariable String project, @PathVariable String app, @PathVariable String env,
            @PathVariable int number, @RequestBody(required = false) ActionRequest body) {
        boolean full = body != null && Boolean.TRUE.equals(body.full());
        return act(caller, org, project, app, env, number, full ? ReleaseService.Action.PROMOTE_FULL : ReleaseService.Action.PROMOTE, body);
    }

    /** Pause a running release: no step moves on until it is resumed. */
    @PostMapping("/releases/{number}/pause")
    ReleaseView pause(Caller caller, @PathVariable String org, @PathVariable String project, @PathVariable String app, @PathVariable String env,
            @PathVariable int number, @RequestBody(required = false) ActionRequest body) {
        return act(caller, org, project, app, env, number, ReleaseService.Action.PAUSE, body);
    }

    @PostMapping("/releases/{number}/resume")
    ReleaseView resume(Caller caller, @PathVariable String org, @PathVariable String project, @PathVariable String app, @PathVariable String env,
            @PathVariable int number, @RequestBody(required = false) ActionRequest body) {
        return act(caller, org, project, app, env, number, ReleaseService.Action.RESUME, body);
    }

    /** Abort a running release: every cluster it touched returns to the previous release; canary objects are removed. */
    @PostMapping("/releases/{number}/abort")
    ReleaseView abort(Caller caller, @PathVariable String org, @PathVariable String project, @PathVariable String app, @PathVariable String env,
            @PathVariable int number, @RequestBody(required = false) ActionRequest body) {
        return act(caller, org, project, app, env, number, ReleaseService.Action.ABORT, body);
    }

    /** Retry a failed release from the steps that failed. */
    @PostMapping("/releases/{number}/retry")
    ReleaseView retry(Caller caller, @PathVariable String org, @PathVariable String project, @PathVariable String app, @PathVariable String env,
            @PathVariable int number, @RequestBody(required = false) ActionRequest body) {
        return act(caller, org, project, app, env, number, ReleaseService.Action.RETRY, body);
    }

    private ReleaseView act(Caller caller, String org, String project, String app, String env, int number, ReleaseService.Action action,
            ActionRequest body) {
        Target t = target(caller, org, project, app, env);
        ReleaseRecord r = releases.get(t.app().id(), t.env().id(), number);
        return ReleaseView.of(service.act(t.place(), r, caller, action, body == null ? null : body.reason(), access));
    }

    public record EventView(long seq, Instant at, String actor, String cluster, String step, String message) {
    }

    /** Every transition of the release, oldest first; {@code after} (a seq) returns only newer ones, for following it live. */
    @GetMapping("/releases/{number}/events")
    List<EventView> events(Caller caller, @PathVariable String org, @PathVariable String project, @PathVariable String app, @PathVariable String env,
            @PathVariable int number, @RequestParam(required = false) Long after) {
        Target t = target(caller, org, project, app, env);
        ReleaseRecord r = releases.get(t.app().id(), t.env().id(), number);
        return releases.events(r.id(), after == null ? 0 : after).stream()
                .map(e -> new EventView(e.seq(), e.at(), e.actor(), e.cluster(), e.step(), e.message())).toList();
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

    /** Approves a release that waits for approval (it starts now), or one paused at a step for approval (it goes on: a promote). */
    @PostMapping("/releases/{number}/approve")
    ReleaseView approve(Caller caller, @PathVariable String org, @PathVariable String project, @PathVariable String app, @PathVariable String env,
            @PathVariable int number) {
        Target t = target(caller, org, project, app, env);
        ReleaseRecord r = releases.get(t.app().id(), t.env().id(), number);
        boolean waitsAtAStep = r.progress().clusters().values().stream()
                .anyMatch(c -> c.step() instanceof ReleaseProgress.Step.Paused || c.step() instanceof ReleaseProgress.Step.Gating);
        if (!r.awaitingApproval() && waitsAtAStep) {
            return ReleaseView.of(service.act(t.place(), r, caller, ReleaseService.Action.PROMOTE, null, access));
        }
        return ReleaseView.of(service.approve(t.place(), r, caller, true, access));
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
        ReleaseService.Rendered rendered = service.preview(t.app(), t.env(), revision);
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
     * Written once per change ({@link StatusViews}): the same release and the same mirrored objects
     * answer with the same bytes until a pod's shown age changes.
     */
    @GetMapping(path = "/status", produces = MediaType.APPLICATION_JSON_VALUE)
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "OK", content = @io.swagger.v3.oas.annotations.media.Content(
            schema = @io.swagger.v3.oas.annotations.media.Schema(type = "object")))
    ResponseEntity<byte[]> status(Caller caller, @PathVariable String org, @PathVariable String project, @PathVariable String app,
            @PathVariable String env) {
        Target t = target(caller, org, project, app, env);
        var latest = releases.latest(t.app().id(), t.env().id());
        Instant now = clock.instant();
        byte[] body = statusViews.get(t.app().id() + "/" + t.env().id(), latest.map(this::statusFrom).orElse(null), now, () -> {
            Map<String, Object> status = new LinkedHashMap<>();
            status.put("app", t.app().name());
            status.put("environment", t.env().name());
            status.put("release", latest.map(ReleaseView::of).orElse(null));
            List<Topology> clusters = new java.util.ArrayList<>();
            Instant[] until = {Instant.MAX};
            latest.ifPresent(r -> r.content().clusters().forEach((cluster, target) -> {
                try {
                    var observed = observations.get(cluster, target.namespace(), r.content().ownerLabels(),
                            () -> drivers.forCluster(cluster).observe(target.namespace(), Map.of("app.kubernetes.io/managed-by", "sampan")));
                    clusters.add(Topology.of(cluster, target.namespace(), target.objects(), observed, now));
                    Instant agesChange = Topology.agesChange(observed.pods(), now);
                    until[0] = agesChange.isBefore(until[0]) ? agesChange : until[0];
                } catch (ClusterDriver.Unreachable u) {
                    clusters.add(Topology.unreachable(cluster, target.namespace(), u.getMessage()));
                }
            }));
            status.put("clusters", clusters);
            return new StatusViews.Built(status, until[0]);
        });
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
    }

    /**
     * What the status of this release is made from: the release as it stands (version, approval)
     * and each cluster's mirrored objects of the app; null when a cluster is read directly (no
     * mirror, or not current) or cannot be reached, so that status is built afresh.
     */
    private Object statusFrom(ReleaseRecord r) {
        List<Object> from = new java.util.ArrayList<>(List.of(r.id(), r.version(), r.approval()));
        for (var cluster : r.content().clusters().entrySet()) {
            try {
                var version = observations.version(cluster.getKey(), cluster.getValue().namespace(), r.content().ownerLabels());
                if (version.isEmpty()) {
                    return null;
                }
                from.add(version.get());
            } catch (ClusterDriver.Unreachable u) {
                return null;
            }
        }
        return from;
    }
}
