-- Sampan's registry: organisations, projects, clusters, environments, apps and their revisions.
-- One script for H2, PostgreSQL and MySQL/MariaDB: ${text} is the large-text type of each
-- (see DatabaseDialectPlaceholders). Ids are application-generated UUIDs; times are epoch
-- milliseconds; every mutable row has a version for optimistic locking.

CREATE TABLE organisations (
    id            VARCHAR(36)  NOT NULL PRIMARY KEY,
    name          VARCHAR(63)  NOT NULL,
    display_name  VARCHAR(200),
    created_at    BIGINT       NOT NULL,
    version       BIGINT       NOT NULL,
    CONSTRAINT uq_organisations_name UNIQUE (name)
);

CREATE TABLE projects (
    id            VARCHAR(36)  NOT NULL PRIMARY KEY,
    org_id        VARCHAR(36)  NOT NULL,
    name          VARCHAR(63)  NOT NULL,
    description   VARCHAR(500),
    created_at    BIGINT       NOT NULL,
    version       BIGINT       NOT NULL,
    CONSTRAINT uq_projects_name UNIQUE (org_id, name),
    CONSTRAINT fk_projects_org FOREIGN KEY (org_id) REFERENCES organisations (id)
);

CREATE TABLE clusters (
    id                  VARCHAR(36)   NOT NULL PRIMARY KEY,
    name                VARCHAR(63)   NOT NULL,
    server              VARCHAR(500)  NOT NULL,
    credentials         ${text}       NOT NULL,
    kubernetes_version  VARCHAR(64),
    health              VARCHAR(20)   NOT NULL,
    health_reason       VARCHAR(1000),
    checked_at          BIGINT,
    created_at          BIGINT        NOT NULL,
    version             BIGINT        NOT NULL,
    CONSTRAINT uq_clusters_name UNIQUE (name)
);

CREATE TABLE environments (
    id            VARCHAR(36)  NOT NULL PRIMARY KEY,
    project_id    VARCHAR(36)  NOT NULL,
    name          VARCHAR(30)  NOT NULL,
    profile       ${text}      NOT NULL,
    created_at    BIGINT       NOT NULL,
    version       BIGINT       NOT NULL,
    CONSTRAINT uq_environments_name UNIQUE (project_id, name),
    CONSTRAINT fk_environments_project FOREIGN KEY (project_id) REFERENCES projects (id)
);

CREATE TABLE environment_clusters (
    environment_id  VARCHAR(36)  NOT NULL,
    cluster_id      VARCHAR(36)  NOT NULL,
    namespace       VARCHAR(63)  NOT NULL,
    weight          INT          NOT NULL,
    zone            VARCHAR(63),
    position        INT          NOT NULL,
    CONSTRAINT pk_environment_clusters PRIMARY KEY (environment_id, cluster_id),
    CONSTRAINT fk_envcl_environment FOREIGN KEY (environment_id) REFERENCES environments (id),
    CONSTRAINT fk_envcl_cluster FOREIGN KEY (cluster_id) REFERENCES clusters (id)
);

CREATE TABLE apps (
    id            VARCHAR(36)  NOT NULL PRIMARY KEY,
    project_id    VARCHAR(36)  NOT NULL,
    name          VARCHAR(63)  NOT NULL,
    created_at    BIGINT       NOT NULL,
    version       BIGINT       NOT NULL,
    CONSTRAINT uq_apps_name UNIQUE (project_id, name),
    CONSTRAINT fk_apps_project FOREIGN KEY (project_id) REFERENCES projects (id)
);

CREATE TABLE app_revisions (
    id            VARCHAR(36)  NOT NULL PRIMARY KEY,
    app_id        VARCHAR(36)  NOT NULL,
    number        INT          NOT NULL,
    content_hash  VARCHAR(64)  NOT NULL,
    spec          ${text}      NOT NULL,
    created_by    VARCHAR(100) NOT NULL,
    message       VARCHAR(500),
    created_at    BIGINT       NOT NULL,
    CONSTRAINT uq_app_revisions_number UNIQUE (app_id, number),
    CONSTRAINT uq_app_revisions_hash UNIQUE (app_id, content_hash),
    CONSTRAINT fk_app_revisions_app FOREIGN KEY (app_id) REFERENCES apps (id)
);
