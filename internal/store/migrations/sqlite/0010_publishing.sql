-- Publishing: categories, articles and pages with their revisions,
-- syndication up and down the tree, media, durable jobs, staff
-- notifications, link lists, the leaders' work schedule, leaders and the
-- organisation chart. SQLite flavour; postgres/0010_publishing.sql is the
-- same schema in PostgreSQL's words.
--
-- Slugs are unique per site and language, but the service enforces it (under
-- a per-site lock) rather than a unique index, so that merging a site into
-- another (which moves rows by site_id) never fails on a shared slug.

CREATE TABLE categories (
    id          INTEGER PRIMARY KEY,
    site_id     INTEGER NOT NULL REFERENCES sites (id),
    parent_id   INTEGER REFERENCES categories (id),
    slug        TEXT NOT NULL,
    name        TEXT NOT NULL,
    name_en     TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL DEFAULT 0,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX categories_site ON categories (site_id, slug);

CREATE TABLE media (
    id         INTEGER PRIMARY KEY,
    site_id    INTEGER NOT NULL REFERENCES sites (id),
    kind       TEXT NOT NULL,
    name       TEXT NOT NULL,
    path       TEXT NOT NULL,
    mime       TEXT NOT NULL,
    size       INTEGER NOT NULL,
    width      INTEGER NOT NULL DEFAULT 0,
    height     INTEGER NOT NULL DEFAULT 0,
    alt        TEXT NOT NULL DEFAULT '',
    caption    TEXT NOT NULL DEFAULT '',
    transcript TEXT NOT NULL DEFAULT '',
    track_path TEXT NOT NULL DEFAULT '',
    variants   TEXT NOT NULL DEFAULT '',
    sha256     TEXT NOT NULL,
    fold       TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX media_site ON media (site_id, created_at);

CREATE TABLE articles (
    id                 INTEGER PRIMARY KEY,
    site_id            INTEGER NOT NULL REFERENCES sites (id),
    kind               TEXT NOT NULL,
    lang               TEXT NOT NULL DEFAULT 'vi',
    original_id        INTEGER REFERENCES articles (id),
    source_rev         INTEGER NOT NULL DEFAULT 0,
    category_id        INTEGER REFERENCES categories (id),
    slug               TEXT NOT NULL,
    title              TEXT NOT NULL,
    title_fold         TEXT NOT NULL DEFAULT '',
    summary            TEXT NOT NULL DEFAULT '',
    body               TEXT NOT NULL DEFAULT '',
    cover_id           INTEGER REFERENCES media (id),
    author             TEXT NOT NULL DEFAULT '',
    source             TEXT NOT NULL DEFAULT '',
    tags               TEXT NOT NULL DEFAULT '',
    template           TEXT NOT NULL DEFAULT '',
    media_ids          TEXT NOT NULL DEFAULT '',
    position           INTEGER NOT NULL DEFAULT 0,
    status             TEXT NOT NULL,
    reason             TEXT NOT NULL DEFAULT '',
    publish_at         TIMESTAMP,
    expire_at          TIMESTAMP,
    published_at       TIMESTAMP,
    content_rev        INTEGER NOT NULL DEFAULT 1,
    content_updated_at TIMESTAMP NOT NULL,
    version            INTEGER NOT NULL DEFAULT 1,
    created_by         INTEGER NOT NULL DEFAULT 0,
    created_by_name    TEXT NOT NULL DEFAULT '',
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL
);
CREATE INDEX articles_list ON articles (site_id, lang, status, published_at);
CREATE INDEX articles_category ON articles (category_id, status, published_at);
CREATE INDEX articles_slug ON articles (site_id, lang, slug);
CREATE INDEX articles_original ON articles (original_id);
CREATE INDEX articles_author ON articles (created_by, status);

CREATE TABLE article_revisions (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles (id),
    version     INTEGER NOT NULL,
    title       TEXT NOT NULL,
    summary     TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL DEFAULT '',
    fields      TEXT NOT NULL DEFAULT '{}',
    author_id   INTEGER NOT NULL DEFAULT 0,
    author_name TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX article_revisions_article ON article_revisions (article_id, version);

-- An article offered to an ancestor's site (kind proposal: proposed, then
-- accepted or declined there) or pushed by the city to a descendant's site
-- (kind push: accepted at once). An accepted row shows the article on the
-- target site under slug, with the original as the canonical URL.
CREATE TABLE syndications (
    id              INTEGER PRIMARY KEY,
    article_id      INTEGER NOT NULL REFERENCES articles (id),
    from_site_id    INTEGER NOT NULL REFERENCES sites (id),
    to_site_id      INTEGER NOT NULL REFERENCES sites (id),
    kind            TEXT NOT NULL,
    status          TEXT NOT NULL,
    category_id     INTEGER REFERENCES categories (id),
    slug            TEXT NOT NULL DEFAULT '',
    note            TEXT NOT NULL DEFAULT '',
    reason          TEXT NOT NULL DEFAULT '',
    proposed_by     TEXT NOT NULL DEFAULT '',
    decided_by      TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    decided_at      TIMESTAMP
);
CREATE INDEX syndications_to ON syndications (to_site_id, status);
CREATE INDEX syndications_article ON syndications (article_id);

-- Durable jobs: scheduled publishing and expiry, e-mail, image variants. A
-- job that ran later than its time records how late (late_seconds): the
-- dashboard lists such missed schedules until someone acknowledges them.
CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    ref          INTEGER NOT NULL DEFAULT 0,
    site_id      INTEGER NOT NULL DEFAULT 0,
    payload      TEXT NOT NULL DEFAULT '',
    run_at       TIMESTAMP NOT NULL,
    state        TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    late_seconds INTEGER NOT NULL DEFAULT 0,
    acknowledged BOOLEAN NOT NULL DEFAULT FALSE,
    created_at   TIMESTAMP NOT NULL,
    finished_at  TIMESTAMP
);
CREATE INDEX jobs_due ON jobs (state, run_at);
CREATE INDEX jobs_ref ON jobs (kind, ref);

CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    site_id    INTEGER NOT NULL DEFAULT 0,
    article_id INTEGER NOT NULL DEFAULT 0,
    msg_key    TEXT NOT NULL,
    args       TEXT NOT NULL DEFAULT '[]',
    link       TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    read_at    TIMESTAMP
);
CREATE INDEX notifications_user ON notifications (user_id, read_at);

-- Liên kết website: links to other state portals.
CREATE TABLE web_links (
    id         INTEGER PRIMARY KEY,
    site_id    INTEGER NOT NULL REFERENCES sites (id),
    title      TEXT NOT NULL,
    url        TEXT NOT NULL,
    position   INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX web_links_site ON web_links (site_id, position);

-- Lịch công tác: the leaders' weekly work schedule.
CREATE TABLE work_schedule (
    id           INTEGER PRIMARY KEY,
    site_id      INTEGER NOT NULL REFERENCES sites (id),
    day          TEXT NOT NULL,
    at           TEXT NOT NULL DEFAULT '',
    leader       TEXT NOT NULL,
    content      TEXT NOT NULL,
    location     TEXT NOT NULL DEFAULT '',
    participants TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX work_schedule_site ON work_schedule (site_id, day);

-- Lãnh đạo: the unit's leaders with photo, title and contacts.
CREATE TABLE leaders (
    id         INTEGER PRIMARY KEY,
    site_id    INTEGER NOT NULL REFERENCES sites (id),
    name       TEXT NOT NULL,
    title      TEXT NOT NULL,
    title_en   TEXT NOT NULL DEFAULT '',
    photo_id   INTEGER REFERENCES media (id),
    phone      TEXT NOT NULL DEFAULT '',
    email      TEXT NOT NULL DEFAULT '',
    duties     TEXT NOT NULL DEFAULT '',
    position   INTEGER NOT NULL DEFAULT 0,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX leaders_site ON leaders (site_id, position);

-- Cơ cấu tổ chức: the divisions inside a unit, as a tree, for the org chart.
CREATE TABLE org_units (
    id        INTEGER PRIMARY KEY,
    site_id   INTEGER NOT NULL REFERENCES sites (id),
    parent_id INTEGER REFERENCES org_units (id),
    name      TEXT NOT NULL,
    name_en   TEXT NOT NULL DEFAULT '',
    head      TEXT NOT NULL DEFAULT '',
    phone     TEXT NOT NULL DEFAULT '',
    position  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX org_units_site ON org_units (site_id, position);
