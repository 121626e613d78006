package io.sampan.sandbox.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Locale;

/**
 * How a simulated container behaves, chosen by the pod annotation {@value #ANNOTATION} (a comma
 * separated list) or by its image reference:
 * <ul>
 * <li>{@code image-pull-error}, or an image whose reference contains {@code does-not-exist},
 * {@code notfound} or {@code missing}: the image cannot be pulled (ErrImagePull, ImagePullBackOff);
 * <li>{@code crash-loop}, or an image tag starting with {@code crash}: exits with {@code exit-code}
 * (default 1) {@code crash-after} (default 2 s) after each start, never ready (CrashLoopBackOff);
 * <li>{@code fail-after=30s}: ready, then exits after that long, and again after each restart;
 * <li>{@code never-ready}, or a tag {@code never-ready}: runs, but its readiness probe fails;
 * <li>{@code oom}, a tag {@code oom}, or {@code memory-usage=600Mi} above the memory limit: OOMKilled;
 * <li>{@code ready-after=10s}: readiness takes that long (otherwise the readiness probe's
 * {@code initialDelaySeconds});
 * <li>{@code run-seconds=5}: for pods that run to completion (restartPolicy Never/OnFailure),
 * how long they run (default 1 s) before exiting with {@code exit-code} (default 0).
 * </ul>
 */
public record Behavior(boolean pullFails, Duration crashAfter, int exitCode, boolean neverReady, boolean oom, Duration readyAfter,
        Duration runFor, boolean readyBeforeFailing) {
    public static final String ANNOTATION = "sandbox.sampan.io/behavior";

    /** The behaviour of {@code container} in {@code pod}; {@code memoryLimit} in bytes or -1. */
    public static Behavior of(JsonNode pod, JsonNode container) {
        String image = container.path("image").asText("").toLowerCase(Locale.ROOT);
        String tag = tag(image);
        boolean pullFails = image.contains("does-not-exist") || image.contains("notfound") || image.contains("missing");
        Duration crashAfter = tag.startsWith("crash") ? Duration.ofSeconds(2) : null;
        boolean neverReady = tag.equals("never-ready");
        boolean oom = tag.equals("oom");
        Duration readyAfter = null;
        Duration runFor = Duration.ofSeconds(1);
        int exitCode = -1;
        boolean readyBeforeFailing = false;
        String spec = Meta.annotation(pod, ANNOTATION);
        if (spec != null) {
            for (String part : spec.split(",")) {
                String p = part.trim();
                String value = p.contains("=") ? p.substring(p.indexOf('=') + 1).trim() : "";
                String key = p.contains("=") ? p.substring(0, p.indexOf('=')).trim() : p;
                switch (key) {
                    case "image-pull-error" -> pullFails = true;
                    case "crash-loop" -> crashAfter = crashAfter == null ? Duration.ofSeconds(2) : crashAfter;
                    case "crash-after" -> crashAfter = duration(value, p);
                    case "fail-after" -> {
                        crashAfter = duration(value, p);
                        readyBeforeFailing = true;
                    }
                    case "exit-code" -> exitCode = Integer.parseInt(value);
                    case "never-ready" -> neverReady = true;
                    case "oom" -> oom = true;
                    case "memory-usage" -> oom |= exceedsLimit(value, container);
                    case "ready-after" -> readyAfter = duration(value, p);
                    case "run-seconds" -> runFor = Duration.ofMillis((long) (Double.parseDouble(value) * 1000));
                    case "" -> { }
                    default -> throw new IllegalArgumentException("unknown sandbox behaviour '" + p + "' in annotation " + ANNOTATION);
                }
            }
        }
        if (oom && crashAfter == null) {
            crashAfter = Duration.ofSeconds(1);
        }
        return new Behavior(pullFails, crashAfter, exitCode, neverReady || crashAfter != null && !readyBeforeFailing, oom, readyAfter, runFor,
                readyBeforeFailing);
    }

    /** The exit code of a failed run: OOMKilled is 137, a crash the configured code (default 1). */
    public int failureExitCode() {
        return oom ? 137 : exitCode > 0 ? exitCode : 1;
    }

    public int completionExitCode() {
        return exitCode >= 0 ? exitCode : 0;
    }

    /** The tag of an image reference ({@code latest} when none; the digest for a digest reference). */
    public static String tag(String image) {
        int at = image.indexOf('@');
        if (at >= 0) {
            return image.substring(at + 1);
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        return colon > slash ? image.substring(colon + 1) : "latest";
    }

    private static boolean exceedsLimit(String usage, JsonNode container) {
        JsonNode limit = container.path("resources").path("limits").path("memory");
        return !limit.isMissingNode() && Quantities.bytes(usage) > Quantities.bytes(limit.asText());
    }

    private static Duration duration(String v, String whole) {
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            String n = v.endsWith("s") ? v.substring(0, v.length() - 1) : v;
            return Duration.ofMillis((long) (Double.parseDouble(n) * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("sandbox behaviour '" + whole + "': expected a duration such as 30s, 500ms or 2m");
        }
    }
}
