-- Units, sites, staff, sessions, tokens, the audit log. SQLite flavour;
-- postgres/0001_foundation.sql is the same schema in PostgreSQL's words.

CREATE TABLE units (
    id             INTEGER PRIMARY KEY,
    code           TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    short_name     TEXT NOT NULL DEFAULT '',
    name_en        TEXT NOT NULL DEFAULT '',
    kind           TEXT NOT NULL,
    parent_id      INTEGER REFERENCES units (id),
    status         TEXT NOT NULL DEFAULT 'active',
    merged_into_id INTEGER REFERENCES units (id),
    merged_on      TEXT NOT NULL DEFAULT '',
    sort_key       BLOB NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);
CREATE INDEX units_parent ON units (parent_id);

CREATE TABLE sites (
    id                   INTEGER PRIMARY KEY,
    code                 TEXT NOT NULL UNIQUE,
    unit_id              INTEGER NOT NULL REFERENCES units (id),
    kind                 TEXT NOT NULL,
    name                 TEXT NOT NULL,
    name_en              TEXT NOT NULL DEFAULT '',
    languages            TEXT NOT NULL DEFAULT 'vi',
    address              TEXT NOT NULL DEFAULT '',
    address_en           TEXT NOT NULL DEFAULT '',
    phone                TEXT NOT NULL DEFAULT '',
    fax                  TEXT NOT NULL DEFAULT '',
    email                TEXT NOT NULL DEFAULT '',
    responsible_name     TEXT NOT NULL DEFAULT '',
    responsible_title    TEXT NOT NULL DEFAULT '',
    responsible_title_en TEXT NOT NULL DEFAULT '',
    emc_site_id          TEXT NOT NULL DEFAULT '',
    status               TEXT NOT NULL DEFAULT 'active',
    merged_into_id       INTEGER REFERENCES sites (id),
    sort_key             BLOB NOT NULL,
    version              INTEGER NOT NULL DEFAULT 1,
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL
);
CREATE INDEX sites_unit ON sites (unit_id);

CREATE TABLE site_hosts (
    host       TEXT PRIMARY KEY,
    site_id    INTEGER NOT NULL REFERENCES sites (id),
    is_primary BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX site_hosts_site ON site_hosts (site_id);

-- Path redirects within a site (a renamed page, content moved by a merge).
CREATE TABLE redirects (
    site_id    INTEGER NOT NULL REFERENCES sites (id),
    from_path  TEXT NOT NULL,
    to_site_id INTEGER NOT NULL REFERENCES sites (id),
    to_path    TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (site_id, from_path)
);

CREATE TABLE users (
    id                  INTEGER PRIMARY KEY,
    email               TEXT NOT NULL UNIQUE,
    name                TEXT NOT NULL,
    password_hash       TEXT NOT NULL,
    totp_secret         TEXT NOT NULL DEFAULT '',
    totp_enabled        BOOLEAN NOT NULL DEFAULT FALSE,
    totp_last_step      INTEGER NOT NULL DEFAULT 0,
    failed_logins       INTEGER NOT NULL DEFAULT 0,
    locked_until        TIMESTAMP,
    disabled            BOOLEAN NOT NULL DEFAULT FALSE,
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL,
    password_changed_at TIMESTAMP NOT NULL
);

-- A role held by a user on one site, or city-wide when site_id is NULL.
CREATE TABLE grants (
    user_id    INTEGER NOT NULL REFERENCES users (id),
    site_id    INTEGER REFERENCES sites (id),
    role       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX grants_unique ON grants (user_id, COALESCE(site_id, 0), role);
CREATE INDEX grants_site ON grants (site_id);

CREATE TABLE recovery_codes (
    user_id   INTEGER NOT NULL REFERENCES users (id),
    code_hash TEXT NOT NULL,
    used_at   TIMESTAMP,
    PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE sessions (
    id_hash       TEXT PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id),
    stage         TEXT NOT NULL,
    csrf          TEXT NOT NULL,
    totp_secret   TEXT NOT NULL DEFAULT '',
    totp_failures INTEGER NOT NULL DEFAULT 0,
    addr          TEXT NOT NULL DEFAULT '',
    user_agent    TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    last_seen_at  TIMESTAMP NOT NULL,
    expires_at    TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    prefix       TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at   TIMESTAMP
);

-- The audit log: every state change, chained by hash. Rows are never
-- updated or deleted; the triggers refuse it, and cong log verify notices
-- when someone drops them and edits anyway.
CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY,
    at         TIMESTAMP NOT NULL,
    actor_id   INTEGER NOT NULL DEFAULT 0,
    actor_name TEXT NOT NULL,
    via        TEXT NOT NULL DEFAULT '',
    addr       TEXT NOT NULL DEFAULT '',
    action     TEXT NOT NULL,
    site_id    INTEGER NOT NULL DEFAULT 0,
    target     TEXT NOT NULL DEFAULT '',
    detail     TEXT NOT NULL DEFAULT '',
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
CREATE INDEX audit_log_site ON audit_log (site_id, seq);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Page views per site and day, flushed from memory every few seconds.
CREATE TABLE visits (
    site_id INTEGER NOT NULL REFERENCES sites (id),
    day     TEXT NOT NULL,
    views   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (site_id, day)
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
