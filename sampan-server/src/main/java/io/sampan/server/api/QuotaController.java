package io.sampan.server.api;

import io.sampan.server.access.AccessControl;
import io.sampan.server.access.Caller;
import io.sampan.server.access.Role;
import io.sampan.server.quota.Quota;
import io.sampan.server.quota.QuotaCheck;
import io.sampan.server.quota.QuotaStore;
import io.sampan.server.registry.Environment;
import io.sampan.server.registry.EnvironmentStore;
import io.sampan.server.registry.Organisation;
import io.sampan.server.registry.OrganisationStore;
import io.sampan.server.registry.Page;
import io.sampan.server.registry.Project;
import io.sampan.server.registry.RegistryException;
import io.sampan.spec.Cpu;
import io.sampan.spec.Memory;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Quotas and usage: an organisation's are set by platform administrators, a project's by its
 * organisation's owners, an environment's by the project's owners. Usage shows limits, requests and
 * what overcommit saves.
 */
@RestController
@RequestMapping("/api/v1/orgs/{org}")
public class QuotaController {
    private final OrganisationStore orgs;
    private final EnvironmentStore environments;
    private final QuotaStore quotas;
    private final QuotaCheck check;
    private final AccessControl access;

    public QuotaController(OrganisationStore orgs, EnvironmentStore environments, QuotaStore quotas, QuotaCheck check,
            AccessControl access) {
        this.orgs = orgs;
        this.environments = environments;
        this.quotas = quotas;
        this.check = check;
        this.access = access;
    }

    /** @param cluster one cluster, or absent for all of the scope's clusters together */
    public record QuotaBody(String cpu, String memory, Integer instances, String storage, String cluster) {
    }

    /** A scope's quota next to its usage: limits (what quotas count), the effective requests, and what overcommit saves. */
    public record UsageView(String scope, String cluster, String cpuQuota, String memoryQuota, Integer instancesQuota, String storageQuota,
            String cpuLimits, String cpuRequests, String memoryLimits, String memoryRequests, int instances, String storage,
            String cpuSavedByOvercommit, String memorySavedByOvercommit) {
        static UsageView of(QuotaCheck.Report r) {
            var q = r.quota();
            var u = r.used();
            return new UsageView(r.scope(), r.cluster(), q.cpuMillis() == null ? null : cpu(q.cpuMillis()),
                    q.memoryBytes() == null ? null : mem(q.memoryBytes()), q.instances(), q.storageBytes() == null ? null : mem(q.storageBytes()),
                    cpu(u.cpuMillis()), cpu(u.cpuRequestMillis()), mem(u.memoryBytes()), mem(u.memoryRequestBytes()), u.instances(),
                    mem(u.storageBytes()), cpu(u.cpuMillis() - u.cpuRequestMillis()), mem(u.memoryBytes() - u.memoryRequestBytes()));
        }
    }

    /** What one app asks for in one environment on one cluster: limits, effective requests, the overcommit saving. */
    public record AppUsageView(String app, String environment, String cluster, String cpuLimits, String cpuRequests, String cpuSavedByOvercommit,
            String memoryLimits, String memoryRequests, String memorySavedByOvercommit, int instances, String storage) {
        static AppUsageView of(QuotaCheck.AppUsage a) {
            var u = a.used();
            return new AppUsageView(a.app(), a.environment(), a.cluster(), cpu(u.cpuMillis()), cpu(u.cpuRequestMillis()),
                    cpu(u.cpuMillis() - u.cpuRequestMillis()), mem(u.memoryBytes()), mem(u.memoryRequestBytes()),
                    mem(u.memoryBytes() - u.memoryRequestBytes()), u.instances(), mem(u.storageBytes()));
        }
    }

    /** @param warnings environments whose memory overcommit risks OOM kills */
    public record ProjectUsageView(String project, List<AppUsageView> apps, List<String> warnings) {
    }

    private static String cpu(long millis) {
        return Cpu.ofMillis(Math.max(0, millis)).toKubernetes();
    }

    private static String mem(long bytes) {
        return new Memory(Math.max(0, bytes)).toKubernetes();
    }

    /** A project's usage app by app (each app's latest release in each environment, per cluster). */
    @GetMapping("/projects/{project}/usage")
    ProjectUsageView projectUsage(Caller caller, @PathVariable String org, @PathVariable String project) {
        Organisation o = orgs.get(org);
        Project p = project(caller, o, project);
        List<String> warnings = environments.list(p, null, Page.MAX_LIMIT).items().stream()
                .filter(e -> e.profile().memoryOvercommit() > 1)
                .map(e -> "environment " + e.name() + " overcommits memory " + e.profile().memoryOvercommit() + "x (requests are limits / "
                        + e.profile().memoryOvercommit() + "): pods may be OOM-killed when its nodes fill up")
                .toList();
        return new ProjectUsageView(p.name(), check.byApp(p.id()).stream().map(AppUsageView::of).toList(), warnings);
    }

    @PutMapping("/quota")
    List<UsageView> setOrg(Caller caller, @PathVariable String org, @RequestBody QuotaBody body) {
        Organisation o = orgs.get(org);
        access.seeOrganisation(caller, o);
        access.requireAdmin(caller, "setting an organisation's quota");
        quotas.set("org", o.id(), cluster(body), quota(body));
        return report("org", o.id(), "organisation " + o.name());
    }

    @GetMapping("/quota")
    List<UsageView> getOrg(Caller caller, @PathVariable String org) {
        Organisation o = orgs.get(org);
        access.seeOrganisation(caller, o);
        return report("org", o.id(), "organisation " + o.name());
    }

    @PutMapping("/projects/{project}/quota")
    List<UsageView> setProject(Caller caller, @PathVariable String org, @PathVariable String project, @RequestBody QuotaBody body) {
        Organisation o = orgs.get(org);
        Project p = project(caller, o, project);
        access.require(caller, o, null, Role.OWNER, "setting a project's quota");
        quotas.set("project", p.id(), cluster(body), quota(body));
        return report("project", p.id(), "project " + o.name() + "/" + p.name());
    }

    @GetMapping("/projects/{project}/quota")
    List<UsageView> getProject(Caller caller, @PathVariable String org, @PathVariable String project) {
        Organisation o = orgs.get(org);
        Project p = project(caller, o, project);
        return report("project", p.id(), "project " + o.name() + "/" + p.name());
    }

    @PutMapping("/projects/{project}/environments/{env}/quota")
    List<UsageView> setEnvironment(Caller caller, @PathVariable String org, @PathVariable String project, @PathVariable String env,
            @RequestBody QuotaBody body) {
        Organisation o = orgs.get(org);
        Project p = project(caller, o, project);
        access.require(caller, o, p, Role.OWNER, "setting an environment's quota");
        Environment e = environments.get(p, env);
        quotas.set("environment", e.id(), cluster(body), quota(body));
        return report("environment", e.id(), "environment " + p.name() + "/" + e.name());
    }

    @GetMapping("/projects/{project}/environments/{env}/quota")
    List<UsageView> getEnvironment(Caller caller, @PathVariable String org, @PathVariable String project, @PathVariable String env) {
        Organisation o = orgs.get(org);
        Project p = project(caller, o, project);
        Environment e = environments.get(p, env);
        return report("environment", e.id(), "environment " + p.name() + "/" + e.name());
    }

    private List<UsageView> report(String type, String id, String name) {
        return check.report(type, id, name).stream().map(UsageView::of).toList();
    }

    private Project project(Caller caller, Organisation o, String name) {
        return access.project(caller, o, name, Role.VIEWER, "reading quotas");
    }

    private static String cluster(QuotaBody body) {
        return body == null || body.cluster() == null ? QuotaStore.ALL_CLUSTERS : body.cluster();
    }

    private static Quota quota(QuotaBody body) {
        if (body == null) {
            return Quota.NONE;
        }
        Long cpu = body.cpu() == null ? null : Cpu.parse(body.cpu()).map(Cpu::millis).orElseThrow(() -> new RegistryException.Invalid("cpu",
                "expected a CPU amount such as \"48\" or \"500m\", got \"" + body.cpu() + "\""));
        Long memory = body.memory() == null ? null : Memory.parse(body.memory()).map(Memory::bytes).orElseThrow(() ->
                new RegistryException.Invalid("memory", "expected a memory amount such as \"96Gi\", got \"" + body.memory() + "\""));
        Long storage = body.storage() == null ? null : Memory.parse(body.storage()).map(Memory::bytes).orElseThrow(() ->
                new RegistryException.Invalid("storage", "expected a storage amount such as \"1Ti\", got \"" + body.storage() + "\""));
        if (body.instances() != null && body.instances() < 0) {
            throw new RegistryException.Invalid("instances", "instances must not be negative");
        }
        return new Quota(cpu, memory, body.instances(), storage);
    }
}
