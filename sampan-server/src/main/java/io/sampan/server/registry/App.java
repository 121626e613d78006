package io.sampan.server.registry;

import java.time.Instant;

public record App(String id, String projectId, String name, Instant createdAt, long version) {
}
