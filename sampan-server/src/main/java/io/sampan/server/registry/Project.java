package io.sampan.server.registry;

import java.time.Instant;

public record Project(String id, String orgId, String name, String description, Instant createdAt, long version) {
}
