package io.sampan.spec;

/** A persistent volume of a stateful service: one claim per instance. */
public record VolumeSpec(String name, String path, Memory size, String storageClass) {
}
