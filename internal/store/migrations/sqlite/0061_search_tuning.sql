-- Search index tuning (internal/search).
-- FTS5 writes its pending data out as a new segment whenever it passes
-- its hash size (1 MB by default), and merges segments as they pile up:
-- a bulk load of a million documents then spends a fifth of its time
-- merging. 16 MB per table makes fewer, larger segments.
INSERT INTO search_fts (search_fts, rank) VALUES ('hashsize', 16777216);
INSERT INTO search_titles (search_titles, rank) VALUES ('hashsize', 16777216);

-- What the index last received of a source that is indexed whole on
-- start (the site directory): a fingerprint, so that an unchanged
-- directory is not indexed again at every start.
CREATE TABLE search_sources (
    name        TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL
) WITHOUT ROWID;
