-- Messages from the broker that could not be handled after the intake's bounded retries (docs/ota-server.md,
-- "Intake"): kept here, acknowledged, so that one of them never holds up the broker's delivery to the server.
-- The payload is hex (one type for both dialects). Erased with the lock, deleted with its telemetry by retention.
CREATE TABLE parked_messages (
    id          {{ID}},
    serial      TEXT NOT NULL,
    topic       TEXT NOT NULL,
    payload_hex TEXT NOT NULL,
    error       TEXT NOT NULL,
    parked_at   BIGINT NOT NULL
);
CREATE INDEX parked_messages_by_serial ON parked_messages (serial);
CREATE INDEX parked_messages_by_age ON parked_messages (parked_at);
