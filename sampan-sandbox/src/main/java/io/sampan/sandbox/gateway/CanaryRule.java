package io.sampan.sandbox.gateway;

import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * When a request goes to the canary backend of a route, as ingress-nginx decides it from a canary
 * Ingress's annotations, in this order:
 * <ol>
 * <li>{@code canary-by-header}: with {@code canary-by-header-value}, a header equal to it goes to the
 * canary; else with {@code canary-by-header-pattern}, a header the regular expression finds goes to
 * the canary; else the value {@code always} goes to the canary and {@code never} does not. Any other
 * value (or no header) falls through;</li>
 * <li>{@code canary-by-cookie}: {@code always} or {@code never}, anything else falls through;</li>
 * <li>{@code canary-weight} out of {@code canary-weight-total} (100, or the total when larger):
 * at random.</li>
 * </ol>
 */
public record CanaryRule(String header, String headerValue, Pattern headerPattern, String cookie, int weight, int weightTotal) {
    public static final String PREFIX = "nginx.ingress.kubernetes.io/";
    public static final String CANARY = PREFIX + "canary";

    public CanaryRule {
        weight = Math.max(0, weight);
        weightTotal = weightTotal > 100 ? weightTotal : 100;
    }

    /** A rule sending {@code weight} percent at random, no header or cookie. */
    public static CanaryRule weighted(int weight) {
        return new CanaryRule(null, null, null, null, weight, 100);
    }

    /** Whether these annotations mark a canary Ingress. */
    public static boolean isCanary(Map<String, String> annotations) {
        return "true".equalsIgnoreCase(annotations.getOrDefault(CANARY, "").trim());
    }

    /** The rule of a canary Ingress's annotations (unparsable numbers count as 0, an invalid pattern as none). */
    public static CanaryRule fromAnnotations(Map<String, String> annotations) {
        Pattern pattern = null;
        String p = blankToNull(annotations.get(PREFIX + "canary-by-header-pattern"));
        if (p != null) {
            try {
                pattern = Pattern.compile(p);
            } catch (PatternSyntaxException e) {
                pattern = null;
            }
        }
        return new CanaryRule(blankToNull(annotations.get(PREFIX + "canary-by-header")),
                blankToNull(annotations.get(PREFIX + "canary-by-header-value")), pattern,
                blankToNull(annotations.get(PREFIX + "canary-by-cookie")),
                integer(annotations.get(PREFIX + "canary-weight")), integer(annotations.get(PREFIX + "canary-weight-total")));
    }

    /** Whether this request goes to the canary; {@code random} is drawn from only when the weight decides. */
    public boolean toCanary(GatewayRequest request, RandomGenerator random) {
        if (header != null) {
            String value = request.header(header);
            if (value != null) {
                if (headerValue != null) {
                    if (headerValue.equals(value)) {
                        return true;
                    }
                } else if (headerPattern != null) {
                    if (headerPattern.matcher(value).find()) {
                        return true;
                    }
                } else if (value.equals("always")) {
                    return true;
                } else if (value.equals("never")) {
                    return false;
                }
            }
        }
        if (cookie != null) {
            String value = request.cookie(cookie);
            if ("always".equals(value)) {
                return true;
            }
            if ("never".equals(value)) {
                return false;
            }
        }
        return weight > 0 && random.nextInt(weightTotal) < weight;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static int integer(String s) {
        try {
            return s == null ? 0 : Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
