-- The OTA server's schema, version 1. Written once for SQLite and PostgreSQL: {{ID}} is the dialect's
-- auto-increment key. Times are Unix milliseconds (BIGINT), never the database's own clock, so the
-- injectable clock decides and both engines store the same values.

CREATE TABLE devices (
    serial             TEXT PRIMARY KEY,
    hardware_id        TEXT NOT NULL,
    certificate_sha256 TEXT NOT NULL,
    trust_key_ids      TEXT NOT NULL,
    issued_at          TEXT NOT NULL,
    admitted_at        BIGINT NOT NULL,
    firmware           TEXT NULL,
    battery_state      TEXT NULL,
    battery_percent    INTEGER NULL,
    battery_millivolts INTEGER NULL,
    errors             TEXT NULL,
    last_seen_at       BIGINT NULL
);

CREATE TABLE telemetry (
    id                 {{ID}},
    serial             TEXT NOT NULL,
    received_at        BIGINT NOT NULL,
    dedup_key          TEXT NOT NULL UNIQUE,
    firmware           TEXT NOT NULL,
    battery_state      TEXT NOT NULL,
    battery_percent    INTEGER NOT NULL,
    battery_millivolts INTEGER NOT NULL,
    errors             TEXT NOT NULL
);
CREATE INDEX telemetry_by_serial ON telemetry (serial, received_at);
CREATE INDEX telemetry_by_age ON telemetry (received_at);

CREATE TABLE releases (
    id               TEXT PRIMARY KEY,
    version          TEXT NOT NULL,
    security_counter BIGINT NOT NULL,
    hardware_id      TEXT NOT NULL,
    size             BIGINT NOT NULL,
    created_at       BIGINT NOT NULL,
    created_by       TEXT NOT NULL
);

CREATE TABLE rollouts (
    id                 {{ID}},
    release_id         TEXT NOT NULL REFERENCES releases (id),
    state              TEXT NOT NULL,
    filter_hardware_id TEXT NULL,
    filter_min_version TEXT NULL,
    filter_max_version TEXT NULL,
    filter_serials     TEXT NULL,
    plan               TEXT NOT NULL,
    current_group      INTEGER NOT NULL,
    group_started_at   BIGINT NULL,
    success_permille   INTEGER NOT NULL,
    error_count        INTEGER NOT NULL,
    error_permille     INTEGER NOT NULL,
    soak_days          INTEGER NOT NULL,
    max_group_days     INTEGER NOT NULL,
    max_attempts       INTEGER NOT NULL,
    errors_acknowledged INTEGER NOT NULL,
    created_by         TEXT NOT NULL,
    approved_by        TEXT NULL,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    pause_reason       TEXT NULL
);

CREATE TABLE actions (
    rollout_id  BIGINT NOT NULL REFERENCES rollouts (id),
    serial      TEXT NOT NULL,
    group_index INTEGER NOT NULL,
    state       TEXT NOT NULL,
    attempts    INTEGER NOT NULL,
    failures    INTEGER NOT NULL,
    last_status TEXT NULL,
    last_error  INTEGER NOT NULL,
    progress    BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (rollout_id, serial)
);
CREATE INDEX actions_by_serial ON actions (serial, state);

CREATE TABLE audit (
    id      {{ID}},
    at      BIGINT NOT NULL,
    actor   TEXT NOT NULL,
    subject TEXT NOT NULL,
    action  TEXT NOT NULL,
    detail  TEXT NOT NULL
);

CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
