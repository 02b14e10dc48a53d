-- Operator accounts the server keeps itself (docs/ota-server.md "Local accounts"): only the SHA-256 of each
-- token is stored. The audit row names the role the operator acted in.
CREATE TABLE operator_accounts (
    name        TEXT PRIMARY KEY,
    roles       TEXT NOT NULL,
    token_sha256 TEXT NOT NULL UNIQUE,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    revoked_at  BIGINT
);
ALTER TABLE audit ADD COLUMN role TEXT;
