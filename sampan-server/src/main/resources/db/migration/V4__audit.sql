-- Every mutation through the API: who, what, on which resource, with what outcome. Request bodies
-- are never stored (they can hold credentials).
CREATE TABLE audit_events (
    id          VARCHAR(36)   NOT NULL PRIMARY KEY,
    at          BIGINT        NOT NULL,
    actor       VARCHAR(100)  NOT NULL,
    action      VARCHAR(10)   NOT NULL,
    target      VARCHAR(500)  NOT NULL,
    status      INT           NOT NULL,
    detail      VARCHAR(1000)
);

CREATE INDEX ix_audit_events_at ON audit_events (at);
