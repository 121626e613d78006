package io.sampan.server.quota;

import io.sampan.spec.Memory;

/** Amounts as people read them: CPU in cores ({@code 46}, {@code 2.5}), memory in the largest binary unit. */
final class Units {
    private Units() {
    }

    static String cpu(long millis) {
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : java.math.BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
    }

    static String memory(long bytes) {
        return new Memory(Math.max(0, bytes)).toKubernetes();
    }

}
