-- Users, their API tokens (only a SHA-256 of the secret is kept) and their roles. A role is held on
-- an organisation (then it applies to all its projects) or on one project.
CREATE TABLE users (
    id            VARCHAR(36)  NOT NULL PRIMARY KEY,
    name          VARCHAR(63)  NOT NULL,
    display_name  VARCHAR(200),
    admin         BOOLEAN      NOT NULL,
    created_at    BIGINT       NOT NULL,
    CONSTRAINT uq_users_name UNIQUE (name)
);

CREATE TABLE tokens (
    id            VARCHAR(16)  NOT NULL PRIMARY KEY,
    user_id       VARCHAR(36)  NOT NULL,
    name          VARCHAR(100) NOT NULL,
    secret_hash   VARCHAR(64)  NOT NULL,
    created_at    BIGINT       NOT NULL,
    expires_at    BIGINT,
    revoked_at    BIGINT,
    CONSTRAINT fk_tokens_user FOREIGN KEY (user_id) REFERENCES users (id)
);

CREATE TABLE memberships (
    user_id     VARCHAR(36)  NOT NULL,
    scope_type  VARCHAR(10)  NOT NULL,
    scope_id    VARCHAR(36)  NOT NULL,
    role        VARCHAR(20)  NOT NULL,
    CONSTRAINT pk_memberships PRIMARY KEY (user_id, scope_type, scope_id),
    CONSTRAINT fk_memberships_user FOREIGN KEY (user_id) REFERENCES users (id)
);

-- The least role that may deploy to an environment (developer by default; e.g. maintainer for prod).
ALTER TABLE environments ADD deploy_role VARCHAR(20);
