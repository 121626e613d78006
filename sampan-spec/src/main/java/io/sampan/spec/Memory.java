package io.sampan.spec;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A memory or storage amount in bytes, as Kubernetes writes it ({@code 512Mi}, {@code 2Gi}, {@code 1G}). */
public record Memory(long bytes) implements Comparable<Memory> {
    private static final Pattern FORM = Pattern.compile("(\\d{1,12}(?:\\.\\d{1,6})?)(Ki|Mi|Gi|Ti|Pi|k|K|M|G|T|P)?");
    public static final long KI = 1024L;
    public static final long MI = KI * 1024;
    public static final long GI = MI * 1024;
    public static final long TI = GI * 1024;

    public Memory {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative memory");
        }
    }

    public static Optional<Memory> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        long unit = switch (m.group(2) == null ? "" : m.group(2)) {
            case "" -> 1;
            case "Ki" -> KI;
            case "Mi" -> MI;
            case "Gi" -> GI;
            case "Ti" -> TI;
            case "Pi" -> TI * 1024;
            case "k", "K" -> 1000;
            case "M" -> 1000_000;
            case "G" -> 1000_000_000L;
            case "T" -> 1000_000_000_000L;
            default -> 1000_000_000_000_000L;
        };
        try {
            BigDecimal value = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit));
            return Optional.of(new Memory(value.setScale(0, java.math.RoundingMode.CEILING).longValueExact()));
        } catch (ArithmeticException e) {
            return Optional.empty();
        }
    }

    public static Memory ofMebibytes(long mi) {
        return new Memory(mi * MI);
    }

    public long mebibytes() {
        return bytes / MI;
    }

    /** Divides by an overcommit ratio; the result is rounded up to a whole MiB. */
    public Memory dividedBy(double ratio) {
        if (ratio == 1.0) {
            return this;
        }
        long mi = (long) Math.ceil(bytes / ratio / MI - 1e-9);
        return new Memory(Math.max(1, mi) * MI);
    }

    /** Canonical Kubernetes form, largest exact binary unit: {@code 2Gi}, {@code 1536Mi}, {@code 100}. */
    public String toKubernetes() {
        if (bytes == 0) {
            return "0";
        }
        String[] units = {"Ti", "Gi", "Mi", "Ki"};
        long[] sizes = {TI, GI, MI, KI};
        for (int i = 0; i < units.length; i++) {
            if (bytes % sizes[i] == 0) {
                return (bytes / sizes[i]) + units[i];
            }
        }
        return Long.toString(bytes);
    }

    @Override
    public int compareTo(Memory o) {
        return Long.compare(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return toKubernetes();
    }
}
