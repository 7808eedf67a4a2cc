-- One site's documents newest first, for searches scoped to a site
-- (store.pgSiteWindow). PostgreSQL flavour.
CREATE INDEX search_docs_site_id ON search_docs (site_id, id);
DROP INDEX search_docs_site;
