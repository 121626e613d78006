package io.sampan.server.registry;

import java.time.Instant;

public record Organisation(String id, String name, String displayName, Instant createdAt, long version) {
}
