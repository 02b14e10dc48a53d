-- Replicas: the one row says which replica drives rollouts, until when (wall-clock Unix ms). A replica
-- takes the row over only when it has expired, so a dead driver is replaced within one lease.
CREATE TABLE driver_lease (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
