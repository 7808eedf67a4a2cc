-- Search index tuning (internal/search). PostgreSQL flavour.

-- Every tsvector holds the month of publication (zzmYYYYMM, weight C):
-- the newest months are searched first (store.pgWindow). Documents
-- indexed before get theirs here; new ones get it from the application.
UPDATE search_docs
SET tsv = tsv || setweight(to_tsvector('simple', 'zzm' || to_char(published AT TIME ZONE 'UTC', 'YYYYMM')), 'C');

-- What the index last received of a source that is indexed whole on
-- start (the site directory): a fingerprint, so that an unchanged
-- directory is not indexed again at every start.
CREATE TABLE search_sources (
    name        TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL
);
