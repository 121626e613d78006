package io.sampan.server.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.sampan.compiler.AppCompiler;
import io.sampan.compiler.StandardLabels;
import io.sampan.release.Release;
import io.sampan.release.ReleasePlan;
import io.sampan.spec.ReleasePolicy;
import io.sampan.release.ReleaseProgress;
import io.sampan.server.registry.App;
import io.sampan.server.registry.AppRevision;
import io.sampan.server.registry.AppStore;
import io.sampan.server.quota.NamespaceGuards;
import io.sampan.server.quota.Quota;
import io.sampan.server.quota.QuotaCheck;
import io.sampan.server.quota.QuotaStore;
import io.sampan.server.webhook.Webhooks;
import io.sampan.server.quota.Resources;
import io.sampan.server.registry.ClusterBinding;
import io.sampan.server.registry.Organisation;
import io.sampan.server.registry.Project;
import io.sampan.server.registry.Environment;
import io.sampan.server.registry.RegistryException;
import io.sampan.spec.AppSpec;
import io.sampan.spec.read.AppReader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Service;

/**
 * Starts releases: compiles an app revision for each cluster of an environment into an immutable
 * release, or copies an earlier release's exact objects for a rollback. The runner moves them on.
 */
@Service
public class ReleaseService {
    static final Duration PROGRESS_DEADLINE = Duration.ofMinutes(10);
    private final AppStore apps;
    private final ReleaseStore releases;
    private final Clock clock;
    private final AppCompiler compiler = new AppCompiler();
    private final QuotaCheck quotas;
    private final Webhooks webhooks;
    private final QuotaStore quotaStore;
    private final io.sampan.server.addon.Addons addons;

    public ReleaseService(AppStore apps, ReleaseStore releases, Clock clock, QuotaCheck quotas, Webhooks webhooks, QuotaStore quotaStore,
            io.sampan.server.addon.Addons addons) {
        this.quotaStore = quotaStore;
        this.addons = addons;
        this.apps = apps;
        this.releases = releases;
        this.clock = clock;
        this.quotas = quotas;
        this.webhooks = webhooks;
    }

    /** Where a release goes: the app, its environment, and the project and organisation above (for quotas). */
    public record Place(Organisation org, Project project, App app, Environment env) {
    }

    /** Deploys revision {@code revisionNumber} (the latest when null) of the app to the environment. */
    public ReleaseRecord deploy(Place place, Integer revisionNumber, String user, String message, boolean supersede) {
        return deploy(place, revisionNumber, null, user, message, supersede);
    }

    /** As above, with {@code releaseOverride} (JSON or YAML release fields) over the app's release policy for this deploy. */
    public ReleaseRecord deploy(Place place, Integer revisionNumber, String releaseOverride, String user, String message, boolean supersede) {
        Rendered rendered = render(place.app(), place.env(), revisionNumber, releases.nextNumber(place.app().id(), place.env().id()),
                releaseOverride);
        return start(place, new ReleaseRecord.Inputs(place.env().profile(), place.env().clusters()), rendered.release(), rendered.revision(),
                null, user, message, supersede);
    }

    /** What deploying a revision would release, without releasing it. */
    public record Rendered(int revision, Release release) {
    }

    /** What deploying a revision would release, for a diff: nothing is stored (no addon is provisioned or bound). */
    public Rendered preview(App app, Environment env, Integer revisionNumber) {
        return render(app, env, revisionNumber, 0, null, true);
    }

    public Rendered render(App app, Environment env, Integer revisionNumber, int number, String releaseOverride) {
        return render(app, env, revisionNumber, number, releaseOverride, false);
    }

    private Rendered render(App app, Environment env, Integer revisionNumber, int number, String releaseOverride, boolean preview) {
        if (env.clusters().isEmpty()) {
            throw new RegistryException.Invalid("environment", "environment \"" + env.name() + "\" is bound to no cluster; bind one first");
        }
        AppRevision revision = revisionNumber == null ? apps.latest(app) : apps.revision(app, revisionNumber);
        io.sampan.spec.read.AppDocument document = AppReader.read(revision.spec(), "revision " + revision.number());
        AppSpec spec = document.resolve(env.name());
        ReleasePlan plan = plan(document.releasePolicy(env.name(), releaseOverride), spec, env);
        Map<String, Release.ClusterTarget> targets = new LinkedHashMap<>();
        List<Integer> weights = env.clusters().stream().map(ClusterBinding::weight).toList();
        Map<String, Quota> envQuotas = quotaStore.of("environment", env.id());
        for (int i = 0; i < env.clusters().size(); i++) {
            ClusterBinding b = env.clusters().get(i);
            var profile = env.profile().toClusterProfile(b.namespace(), null, Set.of());
            List<HasMetadata> objects = new java.util.ArrayList<>(compiler.compile(spec, profile).objects());
            if (env.clusters().size() > 1) {
                shareInstances(objects, weights, i);
            }
            objects.addAll(addons.objectsFor(app, env, spec, b, preview)); // prerequisites, labelled by addon: never pruned with the app
            objects.addAll(NamespaceGuards.of(envQuotas.getOrDefault(b.cluster(), envQuotas.get(QuotaStore.ALL_CLUSTERS)), b.namespace(), env.name(),
                    profile.overcommit()));
            targets.put(b.cluster(), new Release.ClusterTarget(b.namespace(), objects));
        }
        Map<String, Release.ClusterTarget> previous = releases.lastSucceeded(app.id(), env.id()).map(r -> r.content().clusters()).orElse(Map.of());
        return new Rendered(revision.number(), new Release(app.name(), env.name(), number, targets, ownerLabels(app, env), PROGRESS_DEADLINE)
                .with(plan, previous));
    }

    /** The app's release policy over the environment's clusters and zones, its match rules as the environment can route them. */
    private static ReleasePlan plan(ReleasePolicy policy, AppSpec spec, Environment env) {
        Map<String, String> zones = new LinkedHashMap<>();
        env.clusters().forEach(b -> zones.put(b.cluster(), b.zone()));
        try {
            io.sampan.release.CanaryRouting.check(policy, env.profile().gateway() != null);
            return ReleasePlan.of(policy, spec, zones);
        } catch (ReleasePlan.Unresolvable e) {
            throw new RegistryException.Invalid(e.field(), e.getMessage());
        }
    }

    /** A new release with exactly the objects of release {@code toNumber}. History is never rewritten. */
    public ReleaseRecord rollback(Place place, int toNumber, String user, String message, boolean supersede) {
        ReleaseRecord target = releases.get(place.app().id(), place.env().id(), toNumber);
        int number = releases.nextNumber(place.app().id(), place.env().id());
        Release release = ReleaseCodec.renumbered(target.content(), number,
                releases.lastSucceeded(place.app().id(), place.env().id()).map(r -> r.content().clusters()).orElse(Map.of()));
        return start(place, target.inputs(), release, target.revision(), toNumber, user,
                message == null ? "rollback to release " + toNumber : message, supersede);
    }

    /**
     * Approves a release that waits for it; it starts now (its deadline counts from now). Refused when
     * the caller's role is too small, or when the environment wants another approver than the requester.
     */
    public ReleaseRecord approve(Place place, ReleaseRecord r, io.sampan.server.access.Caller caller, boolean approve,
            io.sampan.server.access.AccessControl access) {
        var rule = place.env().approval();
        io.sampan.server.access.Role needed = rule != null ? rule.role()
                : place.env().deployRole() != null ? place.env().deployRole() : io.sampan.server.access.Role.DEVELOPER;
        access.require(caller, place.org(), place.project(), needed, (approve ? "approving" : "rejecting") + " a release in " + place.env().name());
        if (!r.awaitingApproval()) {
            throw new RegistryException.Conflict("release " + r.number() + " is not waiting for approval");
        }
        if (approve && rule.separateApprover() && caller.name().equals(r.requestedBy())) {
            throw new io.sampan.server.access.AccessControl.Forbidden("in " + place.env().name()
                    + " a release must be approved by someone other than the one who asked for it (" + r.requestedBy() + ")");
        }
        releases.decide(r, approve, caller.name(), clock.instant());
        return releases.byId(r.id());
    }

    /** What a person may do to a release while it runs (or, for retry, once it failed). */
    public enum Action {
        PROMOTE("promote"), PROMOTE_FULL("promote --full"), PAUSE("pause"), RESUME("resume"), ABORT("abort"), RETRY("retry");

        private final String text;

        Action(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /**
     * Promote (the paused steps go on), promote --full (every remaining pause and batch skipped), pause,
     * resume, abort (return to the previous release) or retry (a failed release goes back to the steps
     * that failed). Needs the role that may deploy to the environment; recorded as a release event.
     */
    public ReleaseRecord act(Place place, ReleaseRecord r, io.sampan.server.access.Caller caller, Action action, String reason,
            io.sampan.server.access.AccessControl access) {
        access.requireDeploy(caller, place.org(), place.project(), place.env());
        Instant now = clock.instant();
        String by = caller.name();
        ReleaseRecord after;
        if (action == Action.RETRY) {
            after = releases.restart(r, ReleaseActions.retry(r, now));
        } else {
            if (r.awaitingApproval()) {
                throw new RegistryException.Conflict("release " + r.number() + " waits for approval; approve or reject it first");
            }
            after = releases.change(r.id(), p -> ReleaseActions.apply(r.number(), p, action, by));
        }
        String message = by + ": " + action.text() + (reason == null || reason.isBlank() ? "" : " (" + reason + ")");
        releases.recordEvents(r.id(), by, now, List.of(new ReleaseProgress.Transition(null, action.text(), message)));
        return after;
    }

    /** What a release asks for at most on each of its clusters. */
    public static Map<String, Resources> needs(Release release) {
        Map<String, Resources> needs = new LinkedHashMap<>();
        release.clusters().forEach((cluster, target) -> needs.put(cluster, Resources.of(target.objects())));
        return needs;
    }

    private ReleaseRecord start(Place place, ReleaseRecord.Inputs inputs, Release release, int revision, Integer rollbackOf,
            String user, String message, boolean supersede) {
        App app = place.app();
        Environment env = place.env();
        try {
            quotas.admit(place.org(), place.project(), env, app.id(), needs(release));
        } catch (QuotaCheck.Exceeded e) {
            webhooks.emit(place.project().id(), "quota.rejected", Map.of("app", app.name(), "environment", env.name(), "reason", e.getMessage()));
            throw e;
        }
        Instant now = clock.instant();
        ReleaseRecord r = new ReleaseRecord(ReleaseStore.newId(), app.id(), env.id(), release.number(), revision, rollbackOf, user, message,
                inputs, release, ReleaseProgress.start(release, now), now, 1, env.approval() == null ? ReleaseRecord.Approval.NONE
                        : new ReleaseRecord.Approval(ReleaseRecord.ApprovalState.PENDING, null));
        ReleaseRecord started = releases.start(r, supersede, now);
        releases.recordEvents(started.id(), user, now, started.progress().transitionsFrom(null));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("app", app.name());
        details.put("environment", env.name());
        details.put("release", started.number());
        details.put("revision", revision);
        details.put("rollbackOf", rollbackOf);
        details.put("requestedBy", user);
        webhooks.emit(place.project().id(), "release.started", details);
        return started;
    }

    static Map<String, String> ownerLabels(App app, Environment env) {
        return Map.of(StandardLabels.APP, app.name(), StandardLabels.ENVIRONMENT, env.name(), "app.kubernetes.io/managed-by",
                StandardLabels.MANAGED_BY_VALUE);
    }

    private static void shareInstances(List<HasMetadata> objects, List<Integer> weights, int index) {
        for (HasMetadata o : objects) {
            if (o instanceof Deployment d && d.getSpec().getReplicas() != null) {
                d.getSpec().setReplicas(ReplicaSplit.split(d.getSpec().getReplicas(), weights).get(index));
            } else if (o instanceof StatefulSet s && s.getSpec().getReplicas() != null) {
                s.getSpec().setReplicas(ReplicaSplit.split(s.getSpec().getReplicas(), weights).get(index));
            }
        }
    }
}
