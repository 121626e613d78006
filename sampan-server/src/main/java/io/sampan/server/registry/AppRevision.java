package io.sampan.server.registry;

import java.time.Instant;

/** One immutable version of an app's app.yaml, numbered from 1 per app. */
public record AppRevision(String id, String appId, int number, String contentHash, String spec, String createdBy, String message,
        Instant createdAt) {
}
