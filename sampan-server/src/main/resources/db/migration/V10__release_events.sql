-- Every transition of a release (a step started, a person paused, promoted or aborted it): when,
-- who (a user, or sampan for the engine), on which cluster and step, and what it says. seq numbers
-- the events of one release in order.
CREATE TABLE release_events (
    id           VARCHAR(36)   NOT NULL PRIMARY KEY,
    release_id   VARCHAR(36)   NOT NULL,
    seq          BIGINT        NOT NULL,
    happened_at  BIGINT        NOT NULL,
    actor        VARCHAR(100)  NOT NULL,
    cluster      VARCHAR(63),
    step         VARCHAR(40)   NOT NULL,
    message      VARCHAR(2000) NOT NULL,
    CONSTRAINT uq_release_events_seq UNIQUE (release_id, seq),
    CONSTRAINT fk_release_events_release FOREIGN KEY (release_id) REFERENCES releases (id)
);
