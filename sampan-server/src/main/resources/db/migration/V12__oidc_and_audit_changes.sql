-- Users who log in through the OIDC provider: which of its subjects they are, and their e-mail
-- (an administrator may create a user with an e-mail before they first log in, to grant roles).
ALTER TABLE users ADD email VARCHAR(254);
ALTER TABLE users ADD oidc_issuer VARCHAR(300);
ALTER TABLE users ADD oidc_subject VARCHAR(255);
CREATE UNIQUE INDEX uq_users_oidc ON users (oidc_issuer, oidc_subject);

-- What a change was about and what it changed: the organisation and project it touched (for
-- filtering) and short summaries of the resource before and after, with secrets redacted.
ALTER TABLE audit_events ADD org VARCHAR(63);
ALTER TABLE audit_events ADD project VARCHAR(63);
ALTER TABLE audit_events ADD before_summary ${text};
ALTER TABLE audit_events ADD after_summary ${text};
CREATE INDEX ix_audit_events_project ON audit_events (org, project, at);
CREATE INDEX ix_audit_events_actor ON audit_events (actor, at);
