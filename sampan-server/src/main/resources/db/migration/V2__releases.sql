-- Releases: immutable content (the exact rendered objects per cluster) plus the persisted progress
-- of the state machine. running_releases holds one row per app and environment while a release
-- runs: its primary key is what serialises releases.

CREATE TABLE releases (
    id              VARCHAR(36)  NOT NULL PRIMARY KEY,
    app_id          VARCHAR(36)  NOT NULL,
    environment_id  VARCHAR(36)  NOT NULL,
    number          INT          NOT NULL,
    revision        INT          NOT NULL,
    rollback_of     INT,
    requested_by    VARCHAR(100) NOT NULL,
    message         VARCHAR(500),
    content         ${text}      NOT NULL,
    progress        ${text}      NOT NULL,
    phase           VARCHAR(20)  NOT NULL,
    created_at      BIGINT       NOT NULL,
    finished_at     BIGINT,
    version         BIGINT       NOT NULL,
    CONSTRAINT uq_releases_number UNIQUE (app_id, environment_id, number),
    CONSTRAINT fk_releases_app FOREIGN KEY (app_id) REFERENCES apps (id),
    CONSTRAINT fk_releases_environment FOREIGN KEY (environment_id) REFERENCES environments (id)
);

CREATE INDEX ix_releases_phase ON releases (phase);

CREATE TABLE running_releases (
    app_id          VARCHAR(36)  NOT NULL,
    environment_id  VARCHAR(36)  NOT NULL,
    release_id      VARCHAR(36)  NOT NULL,
    CONSTRAINT pk_running_releases PRIMARY KEY (app_id, environment_id)
);
