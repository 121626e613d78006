-- Addon instances of a project's environment (template, operator or external), the environment's
-- provider policy per addon type, and explicit bindings of an app's alias to an instance.
-- Passwords are encrypted like cluster credentials; host, port, user and database are not secret.
CREATE TABLE addon_instances (
    id              VARCHAR(36)   NOT NULL PRIMARY KEY,
    project_id      VARCHAR(36)   NOT NULL,
    environment_id  VARCHAR(36)   NOT NULL,
    name            VARCHAR(63)   NOT NULL,
    addon_type      VARCHAR(40)   NOT NULL,
    addon_version   VARCHAR(32),
    plan            VARCHAR(63),
    provider        VARCHAR(20)   NOT NULL,
    shared          BOOLEAN       NOT NULL,
    app_id          VARCHAR(36),
    host            VARCHAR(253)  NOT NULL,
    port            INT           NOT NULL,
    username        VARCHAR(200),
    db_name         VARCHAR(200),
    tls             BOOLEAN       NOT NULL,
    secrets         ${text}       NOT NULL,
    created_at      BIGINT        NOT NULL,
    CONSTRAINT fk_addon_instances_environment FOREIGN KEY (environment_id) REFERENCES environments (id),
    CONSTRAINT uq_addon_instances_name UNIQUE (environment_id, name)
);

CREATE TABLE addon_policies (
    environment_id  VARCHAR(36)   NOT NULL,
    addon_type      VARCHAR(40)   NOT NULL,
    provider        VARCHAR(20)   NOT NULL,
    PRIMARY KEY (environment_id, addon_type),
    CONSTRAINT fk_addon_policies_environment FOREIGN KEY (environment_id) REFERENCES environments (id)
);

CREATE TABLE addon_bindings (
    environment_id  VARCHAR(36)   NOT NULL,
    app_id          VARCHAR(36)   NOT NULL,
    alias           VARCHAR(63)   NOT NULL,
    instance_id     VARCHAR(36)   NOT NULL,
    PRIMARY KEY (environment_id, app_id, alias),
    CONSTRAINT fk_addon_bindings_instance FOREIGN KEY (instance_id) REFERENCES addon_instances (id)
);
