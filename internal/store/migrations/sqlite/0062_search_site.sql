-- One site's documents newest first (SQLite flavour): the same index as on
-- PostgreSQL, where site-scoped searches walk it; here it serves clearing
-- and reindexing a site.
CREATE INDEX search_docs_site_id ON search_docs (site_id, id);
DROP INDEX search_docs_site;
