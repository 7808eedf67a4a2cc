-- Full-text search over every site's published content (internal/search).
-- search_docs holds what a hit shows; its id ascends with the publication
-- time (seconds << 20 plus a sequence), so "newest first" is a scan of the
-- full-text index by rowid. search_fts is contentless: its columns are
-- tokens prepared by the application (folded words, filter tokens), split
-- on spaces only. SQLite flavour.

CREATE TABLE search_docs (
    id        INTEGER PRIMARY KEY,
    site_id   INTEGER NOT NULL,
    kind      TEXT NOT NULL,
    ref       TEXT NOT NULL,
    lang      TEXT NOT NULL,
    title     TEXT NOT NULL,
    summary   TEXT NOT NULL,
    category  TEXT NOT NULL,
    path      TEXT NOT NULL,
    year      INTEGER NOT NULL,
    published TIMESTAMP NOT NULL,
    ftitle    TEXT NOT NULL, -- folded title tokens (relevance is ranked from these)
    fexact    TEXT NOT NULL, -- exact title and summary tokens
    UNIQUE (kind, ref, lang)
);
CREATE INDEX search_docs_site ON search_docs (site_id);

-- The text snippets are cut from, apart so that the rows the ranking
-- reads stay small.
CREATE TABLE search_bodies (
    id   INTEGER PRIMARY KEY,
    body TEXT NOT NULL
);

CREATE VIRTUAL TABLE search_fts USING fts5 (
    title, body, meta,
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
