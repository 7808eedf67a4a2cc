-- Citizen feedback and questions (issue 5): items, their timelines,
-- attachments, links between duplicates, references to procedures and
-- documents, the e-mail outbox, and Open311 application keys. SQLite
-- flavour; postgres/0030_feedback.sql is the same in PostgreSQL's words.

CREATE TABLE feedback_items (
    id                INTEGER PRIMARY KEY,
    code              TEXT NOT NULL UNIQUE,
    kind              TEXT NOT NULL,
    site_id           INTEGER NOT NULL REFERENCES sites (id),
    origin_site_id    INTEGER NOT NULL REFERENCES sites (id),
    category          TEXT NOT NULL,
    title             TEXT NOT NULL,
    body              TEXT NOT NULL,
    address           TEXT NOT NULL DEFAULT '',
    lat               REAL,
    lon               REAL,
    -- Personal data: shown to the staff handling the item only, erased when
    -- kept past its purpose.
    contact_name      TEXT NOT NULL DEFAULT '',
    contact_phone     TEXT NOT NULL DEFAULT '',
    contact_email     TEXT NOT NULL DEFAULT '',
    consent_purpose   TEXT NOT NULL,
    consent_at        TIMESTAMP NOT NULL,
    notify            BOOLEAN NOT NULL DEFAULT FALSE,
    confirm_token     TEXT NOT NULL DEFAULT '',
    confirmed_at      TIMESTAMP,
    status            TEXT NOT NULL,
    verified          BOOLEAN NOT NULL DEFAULT FALSE,
    source            TEXT NOT NULL DEFAULT 'web',
    received_at       TIMESTAMP NOT NULL,
    due_at            TIMESTAMP NOT NULL,
    paused_at         TIMESTAMP,
    paused_days       INTEGER NOT NULL DEFAULT 0,
    reminded_at       TIMESTAMP,
    answered_at       TIMESTAMP,
    published_at      TIMESTAMP,
    closed_at         TIMESTAMP,
    updated_at        TIMESTAMP NOT NULL,
    escalation_level  INTEGER NOT NULL DEFAULT 0,
    escalated_site_id INTEGER REFERENCES sites (id),
    duplicate_of      INTEGER REFERENCES feedback_items (id),
    answer            TEXT NOT NULL DEFAULT '',
    answer_site_id    INTEGER REFERENCES sites (id),
    reason            TEXT NOT NULL DEFAULT '',
    public_name       TEXT NOT NULL DEFAULT '',
    public_title      TEXT NOT NULL DEFAULT '',
    public_body       TEXT NOT NULL DEFAULT '',
    public_place      TEXT NOT NULL DEFAULT '',
    public_fold       TEXT NOT NULL DEFAULT '',
    rating            INTEGER NOT NULL DEFAULT 0,
    rating_comment    TEXT NOT NULL DEFAULT '',
    rated_at          TIMESTAMP,
    fingerprint       TEXT NOT NULL,
    sketch            INTEGER NOT NULL DEFAULT 0,
    b0 INTEGER, b1 INTEGER, b2 INTEGER, b3 INTEGER, b4 INTEGER, b5 INTEGER,
    version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX feedback_items_queue ON feedback_items (site_id, status, due_at);
CREATE INDEX feedback_items_escalated ON feedback_items (escalated_site_id) WHERE escalated_site_id IS NOT NULL;
CREATE INDEX feedback_items_open_due ON feedback_items (due_at) WHERE status IN ('received', 'assigned', 'drafted');
CREATE INDEX feedback_items_published ON feedback_items (published_at DESC) WHERE status = 'published';
CREATE INDEX feedback_items_received ON feedback_items (received_at);
CREATE INDEX feedback_items_closed ON feedback_items (closed_at) WHERE closed_at IS NOT NULL;
CREATE INDEX feedback_items_fp ON feedback_items (fingerprint, id);
CREATE INDEX feedback_items_b0 ON feedback_items (b0, id) WHERE b0 IS NOT NULL;
CREATE INDEX feedback_items_b1 ON feedback_items (b1, id) WHERE b1 IS NOT NULL;
CREATE INDEX feedback_items_b2 ON feedback_items (b2, id) WHERE b2 IS NOT NULL;
CREATE INDEX feedback_items_b3 ON feedback_items (b3, id) WHERE b3 IS NOT NULL;
CREATE INDEX feedback_items_b4 ON feedback_items (b4, id) WHERE b4 IS NOT NULL;
CREATE INDEX feedback_items_b5 ON feedback_items (b5, id) WHERE b5 IS NOT NULL;

CREATE TABLE feedback_files (
    id         INTEGER PRIMARY KEY,
    item_id    INTEGER NOT NULL REFERENCES feedback_items (id),
    ord        INTEGER NOT NULL,
    name       TEXT NOT NULL,
    ctype      TEXT NOT NULL,
    size       INTEGER NOT NULL,
    sha256     TEXT NOT NULL,
    data       BLOB NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX feedback_files_item ON feedback_files (item_id, ord);

-- The timeline: public steps (shown on the tracking page) and internal ones.
CREATE TABLE feedback_events (
    id         INTEGER PRIMARY KEY,
    item_id    INTEGER NOT NULL REFERENCES feedback_items (id),
    at         TIMESTAMP NOT NULL,
    type       TEXT NOT NULL,
    public     BOOLEAN NOT NULL,
    actor      TEXT NOT NULL,
    site_id    INTEGER NOT NULL DEFAULT 0,
    to_site_id INTEGER NOT NULL DEFAULT 0,
    text       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX feedback_events_item ON feedback_events (item_id, id);

-- Possible and confirmed duplicates: item_id is the later item.
CREATE TABLE feedback_links (
    item_id  INTEGER NOT NULL REFERENCES feedback_items (id),
    other_id INTEGER NOT NULL REFERENCES feedback_items (id),
    kind     TEXT NOT NULL,
    distance INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (item_id, other_id, kind)
);
CREATE INDEX feedback_links_other ON feedback_links (other_id);

-- Procedures and documents an answer relies on.
CREATE TABLE feedback_refs (
    item_id INTEGER NOT NULL REFERENCES feedback_items (id),
    ord     INTEGER NOT NULL,
    kind    TEXT NOT NULL,
    ref     TEXT NOT NULL DEFAULT '',
    title   TEXT NOT NULL,
    url     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (item_id, ord)
);

-- E-mail waiting to be sent, written with the change it tells about.
CREATE TABLE mail_outbox (
    id         INTEGER PRIMARY KEY,
    to_addr    TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    item_id    INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    next_at    TIMESTAMP NOT NULL,
    sent_at    TIMESTAMP,
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX mail_outbox_pending ON mail_outbox (next_at) WHERE sent_at IS NULL;

-- Applications allowed to post Open311 requests with their own rate.
CREATE TABLE open311_keys (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    key_hash    TEXT NOT NULL UNIQUE,
    prefix      TEXT NOT NULL,
    per_minute  INTEGER NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    revoked_at  TIMESTAMP
);
