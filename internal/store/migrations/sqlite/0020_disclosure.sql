-- Mandatory disclosure: the managed lists of documents, the legal document
-- registry with its relations and word index, attachments, administrative
-- procedures and their statistics, drafts for public comment, typed
-- listings (plans, investment, budget, statistics, science), contact points,
-- and the compliance audit's history. SQLite flavour; postgres/0020 is the
-- same schema in PostgreSQL's words.

-- Managed lists: document types (hình thức), issuers, fields (lĩnh vực).
CREATE TABLE doc_terms (
    id       INTEGER PRIMARY KEY,
    list     TEXT NOT NULL,
    code     TEXT NOT NULL,
    name     TEXT NOT NULL,
    name_en  TEXT NOT NULL DEFAULT '',
    sort_key BLOB NOT NULL,
    UNIQUE (list, code)
);

CREATE TABLE documents (
    id           INTEGER PRIMARY KEY,
    site_id      INTEGER NOT NULL REFERENCES sites (id),
    number       TEXT NOT NULL,
    number_key   TEXT NOT NULL,
    type_id      INTEGER NOT NULL REFERENCES doc_terms (id),
    issuer_id    INTEGER NOT NULL REFERENCES doc_terms (id),
    field_id     INTEGER REFERENCES doc_terms (id),
    title        TEXT NOT NULL,
    signer       TEXT NOT NULL DEFAULT '',
    issued_on    TEXT NOT NULL,
    effective_on TEXT NOT NULL,
    expires_on   TEXT NOT NULL DEFAULT '',
    ends_on      TEXT NOT NULL DEFAULT '',
    amended_on   TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL DEFAULT '',
    published    BOOLEAN NOT NULL DEFAULT FALSE,
    published_at TIMESTAMP,
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX documents_unique ON documents (site_id, issuer_id, number_key, issued_on);
CREATE INDEX documents_site_issued ON documents (site_id, published, issued_on DESC, id DESC);
CREATE INDEX documents_issued ON documents (published, issued_on DESC, id DESC);
CREATE INDEX documents_number ON documents (number_key);
CREATE INDEX documents_type ON documents (type_id, issued_on DESC);

-- The words of published documents (folded syllables of the summary,
-- number, type, issuer, signer), ordered by issue date so that a search
-- walks the newest first and stops at a page.
CREATE TABLE document_words (
    word      TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    doc_id    INTEGER NOT NULL REFERENCES documents (id),
    site_id   INTEGER NOT NULL REFERENCES sites (id),
    PRIMARY KEY (word, issued_on, doc_id)
) WITHOUT ROWID;
CREATE INDEX document_words_site ON document_words (site_id, word, issued_on);
CREATE INDEX document_words_doc ON document_words (doc_id);

-- How many published documents hold each word, so a search walks the list
-- of its rarest word.
CREATE TABLE document_word_freq (
    word TEXT PRIMARY KEY,
    n    INTEGER NOT NULL
);

-- amends, replaces, implements, guides: from_id does that to to_id.
CREATE TABLE document_relations (
    from_id    INTEGER NOT NULL REFERENCES documents (id),
    to_id      INTEGER NOT NULL REFERENCES documents (id),
    kind       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (from_id, to_id, kind)
);
CREATE INDEX document_relations_to ON document_relations (to_id);

-- Files attached to documents, procedures, drafts and listings, stored on
-- disk by their SHA-256 under the media directory.
CREATE TABLE attachments (
    id         INTEGER PRIMARY KEY,
    site_id    INTEGER NOT NULL REFERENCES sites (id),
    owner      TEXT NOT NULL,
    owner_id   INTEGER NOT NULL,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    size       INTEGER NOT NULL,
    sha256     TEXT NOT NULL,
    position   INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX attachments_owner ON attachments (owner, owner_id, position);

CREATE TABLE procedures (
    id           INTEGER PRIMARY KEY,
    site_id      INTEGER NOT NULL REFERENCES sites (id),
    code         TEXT NOT NULL,
    name         TEXT NOT NULL,
    search_key   TEXT NOT NULL,
    field        TEXT NOT NULL DEFAULT '',
    level        TEXT NOT NULL DEFAULT '',
    agency       TEXT NOT NULL DEFAULT '',
    steps        TEXT NOT NULL DEFAULT '',
    dossier      TEXT NOT NULL DEFAULT '',
    time_limit   TEXT NOT NULL DEFAULT '',
    fees         TEXT NOT NULL DEFAULT '',
    legal_basis  TEXT NOT NULL DEFAULT '',
    forms        TEXT NOT NULL DEFAULT '',
    online_url   TEXT NOT NULL DEFAULT '',
    published    BOOLEAN NOT NULL DEFAULT TRUE,
    source       TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (site_id, code)
);
CREATE INDEX procedures_site_field ON procedures (site_id, published, field);

-- Dossier processing per period (2025-Q3, 2025-09), imported.
CREATE TABLE procedure_stats (
    site_id     INTEGER NOT NULL REFERENCES sites (id),
    period      TEXT NOT NULL,
    field       TEXT NOT NULL DEFAULT '',
    received    INTEGER NOT NULL,
    on_time     INTEGER NOT NULL,
    late        INTEGER NOT NULL,
    pending     INTEGER NOT NULL,
    imported_at TIMESTAMP NOT NULL,
    PRIMARY KEY (site_id, period, field)
);

-- Drafts of documents put out for public comment.
CREATE TABLE consultations (
    id           INTEGER PRIMARY KEY,
    site_id      INTEGER NOT NULL REFERENCES sites (id),
    title        TEXT NOT NULL,
    summary      TEXT NOT NULL DEFAULT '',
    articles     TEXT NOT NULL DEFAULT '',
    opens_on     TEXT NOT NULL,
    closes_on    TEXT NOT NULL,
    published    BOOLEAN NOT NULL DEFAULT FALSE,
    result       TEXT NOT NULL DEFAULT '',
    response     TEXT NOT NULL DEFAULT '',
    result_at    TIMESTAMP,
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX consultations_site ON consultations (site_id, published, closes_on);

CREATE TABLE consultation_comments (
    id              INTEGER PRIMARY KEY,
    consultation_id INTEGER NOT NULL REFERENCES consultations (id),
    site_id         INTEGER NOT NULL REFERENCES sites (id),
    name            TEXT NOT NULL,
    contact         TEXT NOT NULL,
    article         TEXT NOT NULL DEFAULT '',
    body            TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending',
    addr_hash       TEXT NOT NULL DEFAULT '',
    body_hash       TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    moderated_at    TIMESTAMP
);
CREATE INDEX consultation_comments_draft ON consultation_comments (consultation_id, status, id);
CREATE INDEX consultation_comments_addr ON consultation_comments (addr_hash, created_at);

-- Typed listings: plan, investment, budget, statistics, science.
CREATE TABLE listings (
    id         INTEGER PRIMARY KEY,
    site_id    INTEGER NOT NULL REFERENCES sites (id),
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    summary    TEXT NOT NULL DEFAULT '',
    number     TEXT NOT NULL DEFAULT '',
    period     TEXT NOT NULL DEFAULT '',
    issued_on  TEXT NOT NULL,
    owner      TEXT NOT NULL DEFAULT '',
    location   TEXT NOT NULL DEFAULT '',
    amount     BIGINT NOT NULL DEFAULT 0,
    stage      TEXT NOT NULL DEFAULT '',
    published  BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX listings_site_kind ON listings (site_id, kind, published, issued_on DESC);

-- Contact points (đầu mối liên hệ) and the official who receives
-- information requests, with the English versions Decree 42 Art. 7.2 asks for.
CREATE TABLE contact_points (
    id         INTEGER PRIMARY KEY,
    site_id    INTEGER NOT NULL REFERENCES sites (id),
    role       TEXT NOT NULL,
    name       TEXT NOT NULL,
    title      TEXT NOT NULL DEFAULT '',
    title_en   TEXT NOT NULL DEFAULT '',
    duty       TEXT NOT NULL DEFAULT '',
    duty_en    TEXT NOT NULL DEFAULT '',
    phone      TEXT NOT NULL DEFAULT '',
    email      TEXT NOT NULL DEFAULT '',
    position   INTEGER NOT NULL DEFAULT 0,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX contact_points_site ON contact_points (site_id, position);

-- The compliance audit's history: one row per run, one per site and rule.
CREATE TABLE audit_runs (
    id           INTEGER PRIMARY KEY,
    at           TIMESTAMP NOT NULL,
    pack_version TEXT NOT NULL,
    actor        TEXT NOT NULL,
    sites        INTEGER NOT NULL,
    failing      INTEGER NOT NULL,
    duration_ms  INTEGER NOT NULL
);
CREATE TABLE audit_results (
    run_id  INTEGER NOT NULL REFERENCES audit_runs (id),
    site_id INTEGER NOT NULL REFERENCES sites (id),
    rule    TEXT NOT NULL,
    status  TEXT NOT NULL,
    reason  TEXT NOT NULL DEFAULT '',
    detail  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (run_id, site_id, rule)
);
CREATE INDEX audit_results_site ON audit_results (site_id, run_id);
