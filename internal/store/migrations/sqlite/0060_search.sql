-- Full-text search over every site's published content (internal/search).
-- search_docs holds what a hit shows; its id ascends with the publication
-- time (seconds << 20 plus a sequence), so "newest first" is a scan of the
-- full-text index by rowid. search_fts is contentless: its columns are
-- tokens prepared by the application (folded, exact, filter tokens), split
-- on spaces only. SQLite flavour.

CREATE TABLE search_docs (
    id        INTEGER PRIMARY KEY,
    site_id   INTEGER NOT NULL,
    kind      TEXT NOT NULL,
    ref       TEXT NOT NULL,
    lang      TEXT NOT NULL,
    title     TEXT NOT NULL,
    summary   TEXT NOT NULL,
    body      TEXT NOT NULL,
    category  TEXT NOT NULL,
    path      TEXT NOT NULL,
    year      INTEGER NOT NULL,
    published TIMESTAMP NOT NULL,
    UNIQUE (kind, ref, lang)
);
CREATE INDEX search_docs_site ON search_docs (site_id);

CREATE VIRTUAL TABLE search_fts USING fts5 (
    title, body, exact, meta,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0',
    detail = full
);

-- Titles alone, with prefix indexes, for suggestions while typing.
CREATE VIRTUAL TABLE search_titles USING fts5 (
    title, meta,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0',
    prefix = '2 3 4'
);

-- Words of the titles and how many documents use them, for "did you mean".
CREATE TABLE search_terms (
    word    TEXT PRIMARY KEY,
    display TEXT NOT NULL,
    docs    INTEGER NOT NULL
) WITHOUT ROWID;
