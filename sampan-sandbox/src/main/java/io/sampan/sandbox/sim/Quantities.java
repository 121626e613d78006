package io.sampan.sandbox.sim;

import java.math.BigDecimal;

/** Kubernetes resource quantities ({@code 100m}, {@code 0.5}, {@code 128Mi}, {@code 1G}, {@code 1e3}) as numbers. */
public final class Quantities {
    private Quantities() {
    }

    /** The quantity in its base unit (cores, bytes), rounded up. */
    public static BigDecimal value(String q) {
        String s = q.trim();
        String[][] suffixes = {{"Ki", "1024"}, {"Mi", "1048576"}, {"Gi", "1073741824"}, {"Ti", "1099511627776"}, {"Pi", "1125899906842624"},
            {"Ei", "1152921504606846976"}, {"n", "0.000000001"}, {"u", "0.000001"}, {"m", "0.001"}, {"k", "1000"}, {"M", "1000000"},
            {"G", "1000000000"}, {"T", "1000000000000"}, {"P", "1000000000000000"}, {"E", "1000000000000000000"}};
        for (String[] sfx : suffixes) {
            if (s.endsWith(sfx[0])) {
                return new BigDecimal(s.substring(0, s.length() - sfx[0].length())).multiply(new BigDecimal(sfx[1]));
            }
        }
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + q + "' is not a Kubernetes quantity (such as 100m, 0.5, 128Mi or 1G)");
        }
    }

    public static long bytes(String q) {
        return value(q).setScale(0, java.math.RoundingMode.CEILING).longValueExact();
    }

    public static long millis(String q) {
        return value(q).movePointRight(3).setScale(0, java.math.RoundingMode.CEILING).longValueExact();
    }
}
