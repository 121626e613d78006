package io.sampan.spec.read;

import io.sampan.spec.DurationText;
import io.sampan.spec.ReleasePolicy;
import io.sampan.spec.ReleasePolicy.Batch;
import io.sampan.spec.ReleasePolicy.CanaryStep;
import io.sampan.spec.ReleasePolicy.Gate;
import io.sampan.spec.ReleasePolicy.Match;
import io.sampan.spec.ReleasePolicy.NoData;
import io.sampan.spec.ReleasePolicy.Pause;
import io.sampan.spec.ReleasePolicy.Strategy;
import io.sampan.spec.yaml.YamlNode;
import io.sampan.spec.yaml.YamlNode.ListNode;
import io.sampan.spec.yaml.YamlNode.Scalar;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads a {@code release} block ({@code spec.release} or {@code spec.environments.<env>.release}) into a {@link ReleasePolicy}. */
final class ReleasePolicyReader {
    static final Set<String> FIELDS = Set.of("strategy", "batches", "pause", "order", "waves", "gates", "autoRollback", "progressDeadline",
            "steps", "match", "switchBackDelay", "previewHost");
    static final Set<String> GATE_FIELDS = Set.of("name", "prometheus", "webhook", "max", "min", "for", "noData", "minSamples", "failureLimit");
    static final Set<String> MATCH_FIELDS = Set.of("header", "cookie", "values");
    static final Set<String> STEP_FIELDS = Set.of("weight", "pause");
    /** An HTTP header or cookie name (an RFC 9110 token). */
    static final java.util.regex.Pattern TOKEN = java.util.regex.Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,256}");

    private ReleasePolicyReader() {
    }

    /** The policy, or {@code null} after reporting problems. */
    static ReleasePolicy read(YamlNode node, String path, Diagnostics d) {
        Fields f = Fields.of(node, path, d, "a release policy", FIELDS);
        if (f == null) {
            return null;
        }
        Strategy strategy = Strategy.ROLLING;
        String strategyText = f.string("strategy");
        if (strategyText != null) {
            strategy = Strategy.of(strategyText);
            if (strategy == null) {
                d.error(f.path("strategy"), f.at("strategy"), "unknown strategy \"" + strategyText + "\"",
                        "one of rolling, batch, canary, blue-green");
            }
        }
        List<Batch> batches = new ArrayList<>();
        List<String> batchTexts = f.strings("batches");
        for (int i = 0; i < batchTexts.size(); i++) {
            Batch b = Batch.parse(batchTexts.get(i));
            if (b == null) {
                d.error(f.path("batches") + "[" + i + "]", f.at("batches"), "expected a number of instances (at least 1) or a percentage "
                        + "(1% to 100%), got \"" + batchTexts.get(i) + "\"", "for example `batches: [1, 25%, 100%]`");
            } else {
                batches.add(b);
            }
        }
        if (strategy == Strategy.BATCH && batches.isEmpty() && !f.has("batches")) {
            d.error(f.path("batches"), f.at("batches"), "a batch release needs \"batches\"", "for example `batches: [1, 25%, 100%]`");
        }
        List<Pause> pauses = pauses(f, d);
        Duration deadline = duration(f, "progressDeadline", ReleasePolicy.DEFAULT_DEADLINE, d);
        Duration switchBack = switchBackDelay(f, d);
        String previewHost = previewHost(f, d);
        List<CanaryStep> steps = f.objects("steps", n -> step(n, d));
        if (strategy == Strategy.CANARY && steps.isEmpty() && !f.has("steps")) {
            d.error(f.path("steps"), f.at("steps"), "a canary release needs \"steps\"",
                    "for example `steps: [{weight: 5}, {pause: manual}, {weight: 100}]`");
        }
        List<Match> match = new ArrayList<>();
        YamlNode m = f.raw("match");
        if (m instanceof ListNode) {
            match.addAll(f.objects("match", n -> match(n, d)));
        } else if (m != null && !(m instanceof Scalar s && s.isNull())) {
            Match one = match(new Fields.Named("match", m, f.path("match")), d);
            if (one != null) {
                match.add(one);
            }
        }
        List<Gate> gates = f.objects("gates", n -> gate(n, d));
        return new ReleasePolicy(strategy == null ? Strategy.ROLLING : strategy, batches, pauses, f.strings("order"), f.strings("waves"),
                gates, f.bool("autoRollback", false), deadline, steps, match, switchBack, previewHost);
    }

    /** Blue-green: how long the old version is kept after the switch; {@code 0} removes it at once. */
    private static Duration switchBackDelay(Fields f, Diagnostics d) {
        String text = f.string("switchBackDelay");
        if (text != null && text.trim().matches("0+[hms]?")) {
            return Duration.ZERO;
        }
        return duration(f, "switchBackDelay", ReleasePolicy.DEFAULT_SWITCH_BACK, d);
    }

    private static final java.util.regex.Pattern HOST_PATTERN = java.util.regex.Pattern.compile(
            "([a-z0-9]([-a-z0-9]*[a-z0-9])?|\\{host})([.-]([a-z0-9]([-a-z0-9]*[a-z0-9])?|\\{host}))*");

    /** Blue-green: the preview host pattern, {@code {host}} standing for each exposed host. */
    private static String previewHost(Fields f, Diagnostics d) {
        String text = f.string("previewHost");
        if (text == null) {
            return null;
        }
        String t = text.trim();
        if (!t.contains("{host}") || t.indexOf("{host}") != t.lastIndexOf("{host}") || !HOST_PATTERN.matcher(t).matches()) {
            d.error(f.path("previewHost"), f.at("previewHost"), "expected a host name containing {host} once (lower-case letters, digits, "
                    + "dots and dashes), got \"" + text + "\"", "for example `previewHost: \"{host}.preview.example.com\"` or `preview-{host}`");
            return null;
        }
        return t;
    }

    private static List<Pause> pauses(Fields f, Diagnostics d) {
        YamlNode n = f.raw("pause");
        List<String> texts = n instanceof ListNode ? f.strings("pause") : f.string("pause") == null ? List.of() : List.of(f.string("pause"));
        List<Pause> out = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            Pause p = Pause.parse(texts.get(i));
            if (p == null) {
                d.error(f.path("pause") + (n instanceof ListNode ? "[" + i + "]" : ""), f.at("pause"), "expected manual, none or a duration "
                        + "such as 10m, got \"" + texts.get(i) + "\"", "for example `pause: manual` or `pause: [manual, 10m, none]`");
            } else {
                out.add(p);
            }
        }
        return out;
    }

    private static Duration duration(Fields f, String key, Duration fallback, Diagnostics d) {
        String text = f.string(key);
        if (text == null) {
            return fallback;
        }
        Duration parsed = DurationText.parse(text).filter(x -> !x.isZero()).orElse(null);
        if (parsed == null) {
            d.error(f.path(key), f.at(key), "expected a duration such as 30s, 10m or 1h, got \"" + text + "\"", null);
            return fallback;
        }
        return parsed;
    }

    private static CanaryStep step(Fields.Named n, Diagnostics d) {
        Fields f = Fields.of(n.node(), n.path(), d, "a canary step", STEP_FIELDS);
        if (f == null) {
            return null;
        }
        if (f.has("weight") == f.has("pause")) {
            d.error(n.path(), n.node(), "a canary step has either \"weight\" or \"pause\"", "for example `{weight: 20}` or `{pause: 10m}`");
            return null;
        }
        if (f.has("weight")) {
            Integer w = f.integer("weight", 0, 100);
            return w == null ? null : new CanaryStep.Weight(w);
        }
        String text = f.string("pause");
        Pause p = text == null ? null : Pause.parse(text);
        if (p == null) {
            d.error(f.path("pause"), f.at("pause"), "expected manual, none or a duration such as 10m, got " + Fields.describe(f.raw("pause")), null);
            return null;
        }
        return new CanaryStep.Wait(p);
    }

    private static Match match(Fields.Named n, Diagnostics d) {
        Fields f = Fields.of(n.node(), n.path(), d, "a routing rule", MATCH_FIELDS);
        if (f == null) {
            return null;
        }
        String header = f.matching("header", TOKEN, "an HTTP header name such as X-User-Id", "X-User-Id");
        String cookie = f.matching("cookie", TOKEN, "a cookie name such as canary", "canary");
        if (f.has("header") != (header != null) || f.has("cookie") != (cookie != null)) {
            return null; // reported
        }
        if ((header == null) == (cookie == null)) {
            d.error(n.path(), n.node(), "a routing rule names either a \"header\" or a \"cookie\"",
                    "for example `match: {header: X-User-Id, values: [u1, u2]}`, or a list of them: "
                            + "`match: [{header: X-User-Id, values: [u1, u2]}, {cookie: canary}]`");
            return null;
        }
        return new Match(header, cookie, f.strings("values"));
    }

    private static Gate gate(Fields.Named n, Diagnostics d) {
        Fields f = Fields.of(n.node(), n.path(), d, "a gate", GATE_FIELDS);
        if (f == null) {
            return null;
        }
        String query = f.string("prometheus");
        String url = f.string("webhook");
        if ((query == null) == (url == null)) {
            d.error(n.path(), n.node(), "a gate is either a \"prometheus\" query or a \"webhook\" URL",
                    "for example `{prometheus: 'sum(rate(errors[1m]))', max: 0.01, for: 2m}`");
            return null;
        }
        Integer limit = f.integer("failureLimit", 1, 100);
        String name = f.string("name") != null ? f.string("name") : "gate-" + n.name();
        if (url != null) {
            if (!url.startsWith("http://") && !url.startsWith("https://")) {
                d.error(f.path("webhook"), f.at("webhook"), "expected an http:// or https:// URL, got \"" + url + "\"", null);
                return null;
            }
            return new Gate.Webhook(name, url, limit == null ? 1 : limit);
        }
        Double max = number(f, "max", d);
        Double min = number(f, "min", d);
        if (max == null && min == null) {
            d.error(f.path("max"), n.node(), "a prometheus gate needs \"max\" or \"min\"", "for example `max: 0.01`");
        }
        NoData noData = NoData.FAIL;
        String noDataText = f.string("noData");
        if (noDataText != null) {
            try {
                noData = NoData.valueOf(noDataText.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                d.error(f.path("noData"), f.at("noData"), "expected fail, pause or pass, got \"" + noDataText + "\"", null);
            }
        }
        Integer samples = f.integer("minSamples", 1, 10_000);
        return new Gate.Prometheus(name, query, max, min, duration(f, "for", Duration.ZERO.plusSeconds(60), d), noData,
                samples == null ? 1 : samples, limit == null ? 1 : limit);
    }

    private static Double number(Fields f, String key, Diagnostics d) {
        String text = f.string(key);
        if (text == null) {
            return null;
        }
        try {
            return Double.valueOf(text.trim());
        } catch (NumberFormatException e) {
            d.error(f.path(key), f.at(key), "expected a number, got \"" + text + "\"", null);
            return null;
        }
    }
}
