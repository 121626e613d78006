-- Quotas on an organisation, a project or an environment, for all its clusters ('*') or one.
-- Counted on limits (what users ask for). A missing figure means no limit on it.
CREATE TABLE quotas (
    scope_type     VARCHAR(12)  NOT NULL,
    scope_id       VARCHAR(36)  NOT NULL,
    cluster        VARCHAR(63)  NOT NULL,
    cpu_millis     BIGINT,
    memory_bytes   BIGINT,
    instances      INT,
    storage_bytes  BIGINT,
    CONSTRAINT pk_quotas PRIMARY KEY (scope_type, scope_id, cluster)
);

-- What each release asks for on each cluster at most (limits, requests, instances, storage), kept
-- with the release so quota checks need not re-read release contents.
ALTER TABLE releases ADD needs ${text};
