package io.sampan.spec.read;

import io.sampan.spec.Cpu;
import io.sampan.spec.DurationText;
import io.sampan.spec.JobSpec;
import io.sampan.spec.Memory;
import io.sampan.spec.Resources;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Set;

/** Reads {@code spec.jobs.<name>}. */
final class JobReader {
    static final Set<String> FIELDS = Set.of("image", "command", "args", "resources", "env", "dependsOn", "addons",
            "trigger", "schedule", "timezone", "concurrency", "broadcast", "retries", "deadline", "placement");
    static final Resources DEFAULT_RESOURCES = new Resources(Cpu.ofMillis(500), Memory.ofMebibytes(512));

    private JobReader() {
    }

    static JobSpec read(Fields.Named named, Diagnostics d) {
        Fields f = Fields.of(named.node(), named.path(), d, "a job", FIELDS);
        if (f == null) {
            return null;
        }
        String image = ContainerReader.image(f);
        JobSpec.Trigger trigger = null;
        String triggerText = f.string("trigger");
        if (triggerText != null) {
            for (JobSpec.Trigger t : JobSpec.Trigger.values()) {
                if (t.id().equals(triggerText)) {
                    trigger = t;
                }
            }
            if (trigger == null) {
                d.error(f.path("trigger"), f.at("trigger"), "unknown trigger \"" + triggerText + "\"", "one of pre-release, post-release");
            }
        }
        String schedule = f.string("schedule");
        if (schedule != null) {
            String problem = CronSchedule.problem(schedule);
            if (problem != null) {
                d.error(f.path("schedule"), f.at("schedule"), problem, "for example `schedule: \"0 2 * * *\"` (every day at 02:00)");
                schedule = null;
            }
        }
        String timezone = f.string("timezone");
        if (timezone != null) {
            // Kubernetes loads CronJob time zones from the IANA database: offsets such as "+08:00" or
            // "GMT+8", which java.time would accept, are rejected by the API server.
            if (!ZoneId.getAvailableZoneIds().contains(timezone)) {
                d.error(f.path("timezone"), f.at("timezone"), "unknown time zone \"" + timezone + "\"", "use an IANA name such as `Asia/Shanghai` or `UTC`");
            }
            if (!f.has("schedule")) {
                d.error(f.path("timezone"), f.at("timezone"), "a time zone only applies to a scheduled job", "add `schedule:` or remove `timezone`");
            }
        }
        JobSpec.Concurrency concurrency = JobSpec.Concurrency.FORBID;
        String concurrencyText = f.string("concurrency");
        if (concurrencyText != null) {
            concurrency = null;
            for (JobSpec.Concurrency c : JobSpec.Concurrency.values()) {
                if (c.id().equals(concurrencyText)) {
                    concurrency = c;
                }
            }
            if (concurrency == null) {
                d.error(f.path("concurrency"), f.at("concurrency"), "unknown concurrency \"" + concurrencyText + "\"", "one of forbid, allow, replace");
            } else if (!f.has("schedule")) {
                d.error(f.path("concurrency"), f.at("concurrency"), "concurrency only applies to a scheduled job", "add `schedule:` or remove it");
            }
        }
        boolean broadcast = f.bool("broadcast", false);
        int kinds = (f.has("trigger") ? 1 : 0) + (f.has("schedule") ? 1 : 0) + (broadcast ? 1 : 0);
        if (kinds != 1) {
            d.error(named.path(), named.node(), kinds == 0 ? "a job needs one of trigger, schedule or broadcast"
                    : "a job takes only one of trigger, schedule or broadcast",
                    "`trigger: pre-release` runs it before each release, `schedule: \"0 2 * * *\"` on a timetable, `broadcast: true` once on every node");
        }
        Integer retries = f.integer("retries", 0, 100);
        Duration deadline = null;
        String deadlineText = f.string("deadline");
        if (deadlineText != null) {
            deadline = DurationText.parse(deadlineText).filter(x -> x.toSeconds() > 0).orElse(null);
            if (deadline == null) {
                d.error(f.path("deadline"), f.at("deadline"), "expected a duration such as \"10m\" or \"1h\", got \"" + deadlineText + "\"", null);
            }
        }
        return new JobSpec(named.name(), image, f.strings("command"), f.strings("args"),
                ContainerReader.resources(f, DEFAULT_RESOURCES), ContainerReader.env(f), f.strings("dependsOn"), f.strings("addons"),
                trigger, schedule, timezone, concurrency == null ? JobSpec.Concurrency.FORBID : concurrency, broadcast,
                retries == null ? 3 : retries, deadline, ContainerReader.placement(f));
    }
}
