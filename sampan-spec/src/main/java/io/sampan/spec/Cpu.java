package io.sampan.spec;

import java.math.BigDecimal;
import java.util.Optional;

/** A CPU amount in millicores, as Kubernetes writes it ({@code 2}, {@code 0.5}, {@code 500m}). */
public record Cpu(long millis) implements Comparable<Cpu> {

    public Cpu {
        if (millis < 0) {
            throw new IllegalArgumentException("negative CPU");
        }
    }

    /** Parses {@code "2"}, {@code "1.5"}, {@code "250m"}; empty when the text is not a CPU amount. */
    public static Optional<Cpu> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.trim();
        try {
            if (t.endsWith("m")) {
                String digits = t.substring(0, t.length() - 1);
                if (!digits.matches("\\d{1,9}")) {
                    return Optional.empty();
                }
                return Optional.of(new Cpu(Long.parseLong(digits)));
            }
            if (!t.matches("\\d{1,6}(\\.\\d{1,3})?")) {
                return Optional.empty();
            }
            return Optional.of(new Cpu(new BigDecimal(t).movePointRight(3).longValueExact()));
        } catch (ArithmeticException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public static Cpu ofMillis(long millis) {
        return new Cpu(millis);
    }

    /** Divides by an overcommit ratio, rounding up to a whole millicore (never below 1m). */
    public Cpu dividedBy(double ratio) {
        return new Cpu(Math.max(1, (long) Math.ceil(millis / ratio - 1e-9)));
    }

    /** The number of whole cores needed to hold this amount (at least 1). */
    public int wholeCores() {
        return (int) Math.max(1, (millis + 999) / 1000);
    }

    /** Canonical Kubernetes form: whole cores as {@code "2"}, otherwise millicores {@code "500m"}. */
    public String toKubernetes() {
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : millis + "m";
    }

    @Override
    public int compareTo(Cpu o) {
        return Long.compare(millis, o.millis);
    }

    @Override
    public String toString() {
        return toKubernetes();
    }
}
