package io.sampan.spec;

/** What a container may use at most (its limits). Requests are derived by the overcommit policy. */
public record Resources(Cpu cpu, Memory memory) {
    public static final Resources DEFAULT = new Resources(Cpu.ofMillis(500), Memory.ofMebibytes(512));
}
