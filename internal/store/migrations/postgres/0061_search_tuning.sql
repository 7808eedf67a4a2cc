-- Search index tuning (internal/search). PostgreSQL flavour.

-- What the index last received of a source that is indexed whole on
-- start (the site directory): a fingerprint, so that an unchanged
-- directory is not indexed again at every start.
CREATE TABLE search_sources (
    name        TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL
);
