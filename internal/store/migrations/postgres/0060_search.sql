-- Full-text search over every site's published content (internal/search).
-- search_docs holds what a hit shows and a tsvector built by the
-- application token by token (weights: A folded title, C filter tokens,
-- D folded body); its id ascends with the
-- publication time (seconds << 20 plus a sequence). PostgreSQL flavour.

CREATE TABLE search_docs (
    id        BIGINT PRIMARY KEY,
    site_id   BIGINT NOT NULL,
    kind      TEXT NOT NULL,
    ref       TEXT NOT NULL,
    lang      TEXT NOT NULL,
    title     TEXT NOT NULL,
    summary   TEXT NOT NULL,
    category  TEXT NOT NULL,
    path      TEXT NOT NULL,
    year      INTEGER NOT NULL,
    published TIMESTAMPTZ NOT NULL,
    ftitle    TEXT NOT NULL, -- folded title tokens (relevance is ranked from these)
    fexact    TEXT NOT NULL, -- exact title and summary tokens
    tsv       TSVECTOR NOT NULL,
    UNIQUE (kind, ref, lang)
);
CREATE INDEX search_docs_site ON search_docs (site_id);

-- The text snippets are cut from, apart so that the rows the ranking
-- reads stay small.
CREATE TABLE search_bodies (
    id   BIGINT PRIMARY KEY,
    body TEXT NOT NULL
);
CREATE INDEX search_docs_tsv ON search_docs USING GIN (tsv);

-- Words of the titles and how many documents use them, for "did you mean".
CREATE TABLE search_terms (
    word    TEXT PRIMARY KEY COLLATE "C",
    display TEXT NOT NULL,
    docs    INTEGER NOT NULL
);
