-- The audit counts each site's published documents and finds the newest:
-- a covering index answers it without reading the documents themselves.
CREATE INDEX documents_site_published_at ON documents (site_id, published, published_at);
