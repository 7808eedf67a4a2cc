-- The open data portal: datasets owned by units (through the unit's site),
-- their resources and the earlier versions of each resource's file, tags,
-- groups (themes), and the change counter that keeps the in-memory
-- catalogue of every node current. PostgreSQL flavour.

CREATE TABLE od_state (
    key   TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO od_state (key, value) VALUES ('seq', 0);

CREATE TABLE od_groups (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    title_en    TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE od_datasets (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    site_id        BIGINT NOT NULL REFERENCES sites (id),
    title          TEXT NOT NULL,
    notes          TEXT NOT NULL DEFAULT '',
    license_id     TEXT NOT NULL,
    frequency      TEXT NOT NULL DEFAULT '',
    temporal_start TEXT NOT NULL DEFAULT '',
    temporal_end   TEXT NOT NULL DEFAULT '',
    spatial        TEXT NOT NULL DEFAULT '',
    contact_name   TEXT NOT NULL DEFAULT '',
    contact_email  TEXT NOT NULL DEFAULT '',
    source_url     TEXT NOT NULL DEFAULT '',
    version        TEXT NOT NULL DEFAULT '',
    feed           TEXT NOT NULL DEFAULT '',
    state          TEXT NOT NULL DEFAULT 'active',
    creator_id     BIGINT NOT NULL DEFAULT 0,
    created_at     TIMESTAMPTZ NOT NULL,
    modified_at    TIMESTAMPTZ NOT NULL,
    seq            BIGINT NOT NULL
);
CREATE INDEX od_datasets_seq ON od_datasets (seq);
CREATE INDEX od_datasets_site ON od_datasets (site_id);

CREATE TABLE od_dataset_tags (
    dataset_id TEXT NOT NULL REFERENCES od_datasets (id),
    tag        TEXT NOT NULL,
    PRIMARY KEY (dataset_id, tag)
);

CREATE TABLE od_dataset_groups (
    dataset_id TEXT NOT NULL REFERENCES od_datasets (id),
    group_id   TEXT NOT NULL REFERENCES od_groups (id),
    PRIMARY KEY (dataset_id, group_id)
);
CREATE INDEX od_dataset_groups_group ON od_dataset_groups (group_id);

CREATE TABLE od_resources (
    id              TEXT PRIMARY KEY,
    dataset_id      TEXT NOT NULL REFERENCES od_datasets (id),
    position        INTEGER NOT NULL,
    name            TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    format          TEXT NOT NULL DEFAULT '',
    mimetype        TEXT NOT NULL DEFAULT '',
    url             TEXT NOT NULL DEFAULT '',
    filename        TEXT NOT NULL DEFAULT '',
    size            BIGINT NOT NULL DEFAULT 0,
    hash            TEXT NOT NULL DEFAULT '',
    version         INTEGER NOT NULL DEFAULT 0,
    state           TEXT NOT NULL DEFAULT 'active',
    datastore_table TEXT NOT NULL DEFAULT '',
    datastore_rows  BIGINT NOT NULL DEFAULT 0,
    columns         TEXT NOT NULL DEFAULT '',
    load_report     TEXT NOT NULL DEFAULT '',
    downloads       BIGINT NOT NULL DEFAULT 0,
    created_at      TIMESTAMPTZ NOT NULL,
    last_modified   TIMESTAMPTZ NOT NULL
);
CREATE INDEX od_resources_dataset ON od_resources (dataset_id, position);

-- Every file a resource has had; the current one is the highest version.
CREATE TABLE od_resource_versions (
    resource_id TEXT NOT NULL REFERENCES od_resources (id),
    version     INTEGER NOT NULL,
    filename    TEXT NOT NULL,
    path        TEXT NOT NULL,
    size        BIGINT NOT NULL,
    hash        TEXT NOT NULL,
    format      TEXT NOT NULL DEFAULT '',
    encoding    TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL,
    created_by  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (resource_id, version)
);
