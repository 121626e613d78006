-- Outbound webhooks of a project, and an outbox of deliveries (each retried with backoff until it
-- is delivered or gives up). The signing secret is encrypted like cluster credentials.
CREATE TABLE webhooks (
    id          VARCHAR(36)   NOT NULL PRIMARY KEY,
    project_id  VARCHAR(36)   NOT NULL,
    url         VARCHAR(1000) NOT NULL,
    secret      ${text}       NOT NULL,
    events      VARCHAR(500)  NOT NULL,
    created_at  BIGINT        NOT NULL,
    CONSTRAINT fk_webhooks_project FOREIGN KEY (project_id) REFERENCES projects (id)
);

CREATE TABLE webhook_deliveries (
    id            VARCHAR(36)   NOT NULL PRIMARY KEY,
    webhook_id    VARCHAR(36)   NOT NULL,
    event         VARCHAR(50)   NOT NULL,
    payload       ${text}       NOT NULL,
    attempts      INT           NOT NULL,
    status        VARCHAR(20)   NOT NULL,
    last_code     INT,
    last_error    VARCHAR(500),
    created_at    BIGINT        NOT NULL,
    next_attempt  BIGINT,
    CONSTRAINT fk_deliveries_webhook FOREIGN KEY (webhook_id) REFERENCES webhooks (id)
);

CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (status, next_attempt);
