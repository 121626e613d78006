package io.sampan.server.quota;

/** Limits on one scope; a null figure is no limit. Counted on limits (what users ask for), not requests. */
public record Quota(Long cpuMillis, Long memoryBytes, Integer instances, Long storageBytes) {
    public static final Quota NONE = new Quota(null, null, null, null);

    public boolean isNone() {
        return cpuMillis == null && memoryBytes == null && instances == null && storageBytes == null;
    }
}
