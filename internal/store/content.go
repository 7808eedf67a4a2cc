package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"github.com/congvn/cong/internal/content"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/vietnamese"
)

func init() {
	contentTables = append(contentTables, "categories", "articles", "media", "web_links", "work_schedule", "leaders", "org_units")
}

// Categories.

const categoryColumns = `id, site_id, parent_id, slug, name, name_en, description, position, created_at, updated_at`

func scanCategory(row interface{ Scan(...any) error }) (*content.Category, error) {
	var c content.Category
	var parent sql.NullInt64
	err := row.Scan(&c.ID, &c.SiteID, &parent, &c.Slug, &c.Name, &c.NameEn, &c.Description, &c.Position, &c.Created, &c.Updated)
	c.ParentID, c.Created, c.Updated = parent.Int64, c.Created.UTC(), c.Updated.UTC()
	return &c, err
}

// CreateCategory inserts c.
func (db *DB) CreateCategory(ctx context.Context, c *content.Category) error {
	c.Created, c.Updated = ts(c.Created), ts(c.Updated)
	return db.queryRowTx(ctx, `INSERT INTO categories (site_id, parent_id, slug, name, name_en, description, position, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		c.SiteID, nullID(c.ParentID), c.Slug, c.Name, c.NameEn, c.Description, c.Position, c.Created, c.Updated).Scan(&c.ID)
}

// UpdateCategory stores c.
func (db *DB) UpdateCategory(ctx context.Context, c *content.Category) error {
	c.Updated = ts(c.Updated)
	res, err := db.exec(ctx, `UPDATE categories SET parent_id = ?, slug = ?, name = ?, name_en = ?, description = ?, position = ?, updated_at = ? WHERE id = ?`,
		nullID(c.ParentID), c.Slug, c.Name, c.NameEn, c.Description, c.Position, c.Updated, c.ID)
	return rowsAffected(res, err, "category.not_found")
}

// Category returns a category by id.
func (db *DB) Category(ctx context.Context, id int64) (*content.Category, error) {
	c, err := scanCategory(db.queryRow(ctx, `SELECT `+categoryColumns+` FROM categories WHERE id = ?`, id))
	return c, notFound(err, "category.not_found")
}

// Categories returns a site's categories in display order.
func (db *DB) Categories(ctx context.Context, siteID int64) ([]*content.Category, error) {
	rows, err := db.query(ctx, `SELECT `+categoryColumns+` FROM categories WHERE site_id = ? ORDER BY position, name, id`, siteID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*content.Category
	for rows.Next() {
		c, err := scanCategory(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CategoryInUse reports whether items, syndications or subcategories use a
// category.
func (db *DB) CategoryInUse(ctx context.Context, id int64) (bool, error) {
	var n int
	err := db.queryRow(ctx, `SELECT (SELECT COUNT(*) FROM articles WHERE category_id = ?) + (SELECT COUNT(*) FROM syndications WHERE category_id = ?)
		+ (SELECT COUNT(*) FROM categories WHERE parent_id = ?)`, id, id, id).Scan(&n)
	return n > 0, err
}

// DeleteCategory removes a category.
func (db *DB) DeleteCategory(ctx context.Context, id int64) error {
	res, err := db.exec(ctx, `DELETE FROM categories WHERE id = ?`, id)
	return rowsAffected(res, err, "category.not_found")
}

// Articles.

const articleColumns = `a.id, a.site_id, a.kind, a.lang, a.original_id, a.source_rev, a.category_id, a.slug, a.title, a.summary, a.body,
	a.cover_id, a.author, a.source, a.tags, a.template, a.media_ids, a.position, a.status, a.reason, a.publish_at, a.expire_at,
	a.published_at, a.content_rev, a.content_updated_at, a.version, a.created_by, a.created_by_name, a.created_at, a.updated_at`

// articleListColumns leave the body out: lists never show it.
var articleListColumns = strings.Replace(articleColumns, "a.body,", "'' AS body,", 1)

func scanArticle(row interface{ Scan(...any) error }, extra ...any) (*content.Article, error) {
	var a content.Article
	var orig, cat, cover sql.NullInt64
	var tags, mediaIDs string
	var pub, exp, first sql.NullTime
	dest := []any{&a.ID, &a.SiteID, &a.Kind, &a.Lang, &orig, &a.SourceRev, &cat, &a.Slug, &a.Title, &a.Summary, &a.Body,
		&cover, &a.Author, &a.Source, &tags, &a.Template, &mediaIDs, &a.Position, &a.Status, &a.Reason, &pub, &exp,
		&first, &a.ContentRev, &a.ContentUpdated, &a.Version, &a.CreatedBy, &a.CreatedByName, &a.Created, &a.Updated}
	err := row.Scan(append(dest, extra...)...)
	a.OriginalID, a.CategoryID, a.CoverID = orig.Int64, cat.Int64, cover.Int64
	a.Tags = splitTags(tags)
	a.MediaIDs = splitIDs(mediaIDs)
	a.PublishAt, a.ExpireAt, a.Published = timeOf(pub), timeOf(exp), timeOf(first)
	a.ContentUpdated, a.Created, a.Updated = a.ContentUpdated.UTC(), a.Created.UTC(), a.Updated.UTC()
	return &a, err
}

// Tags are stored as ",một,hai," so one LIKE finds a whole tag.
func joinTags(tags []string) string {
	if len(tags) == 0 {
		return ""
	}
	clean := make([]string, len(tags))
	for i, t := range tags {
		clean[i] = strings.ReplaceAll(t, ",", " ")
	}
	return "," + strings.Join(clean, ",") + ","
}

func splitTags(s string) []string {
	var out []string
	for _, t := range strings.Split(s, ",") {
		if t != "" {
			out = append(out, t)
		}
	}
	return out
}

func joinIDs(ids []int64) string {
	var b strings.Builder
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	return b.String()
}

func splitIDs(s string) []int64 {
	var out []int64
	for _, p := range strings.Split(s, ",") {
		if id, err := strconv.ParseInt(p, 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}

func articleArgs(a *content.Article) []any {
	return []any{a.SiteID, a.Kind, a.Lang, nullID(a.OriginalID), a.SourceRev, nullID(a.CategoryID), a.Slug, a.Title,
		vietnamese.Fold(a.Title), a.Summary, a.Body, nullID(a.CoverID), a.Author, a.Source, joinTags(a.Tags), a.Template,
		joinIDs(a.MediaIDs), a.Position, a.Status, a.Reason, nullTS(a.PublishAt), nullTS(a.ExpireAt), nullTS(a.Published),
		a.ContentRev, ts(a.ContentUpdated)}
}

// CreateArticle inserts a with Version 1.
func (db *DB) CreateArticle(ctx context.Context, a *content.Article) error {
	now := ts(time.Now())
	a.Created, a.Updated, a.Version = now, now, 1
	a.ContentUpdated = ts(a.ContentUpdated)
	args := append(articleArgs(a), a.Version, a.CreatedBy, a.CreatedByName, now, now)
	err := db.queryRowTx(ctx, `INSERT INTO articles (site_id, kind, lang, original_id, source_rev, category_id, slug, title, title_fold,
		summary, body, cover_id, author, source, tags, template, media_ids, position, status, reason, publish_at, expire_at,
		published_at, content_rev, content_updated_at, version, created_by, created_by_name, created_at, updated_at)
		VALUES (`+placeholders(30)+`) RETURNING id`, args...).Scan(&a.ID)
	if isForeignKeyViolation(err) {
		return fault.New(fault.Invalid, "article.reference_invalid")
	}
	return err
}

// UpdateArticle stores a when its version is unchanged, and increments it.
func (db *DB) UpdateArticle(ctx context.Context, a *content.Article) error {
	now := ts(time.Now())
	args := append(articleArgs(a)[1:], now, a.ID, a.Version)
	res, err := db.exec(ctx, `UPDATE articles SET kind = ?, lang = ?, original_id = ?, source_rev = ?, category_id = ?, slug = ?,
		title = ?, title_fold = ?, summary = ?, body = ?, cover_id = ?, author = ?, source = ?, tags = ?, template = ?, media_ids = ?,
		position = ?, status = ?, reason = ?, publish_at = ?, expire_at = ?, published_at = ?, content_rev = ?,
		content_updated_at = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`, args...)
	if isForeignKeyViolation(err) {
		return fault.New(fault.Invalid, "article.reference_invalid")
	}
	if err := rowsAffected(res, err, "article.not_found"); err != nil {
		if fault.Is(err, fault.NotFound) {
			return fault.New(fault.Conflict, "article.edited_meanwhile", "")
		}
		return err
	}
	a.Version++
	a.Updated = now
	return nil
}

// DeleteArticle removes an item and its revisions.
func (db *DB) DeleteArticle(ctx context.Context, id int64) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		for _, q := range []string{`DELETE FROM article_revisions WHERE article_id = ?`, `DELETE FROM syndications WHERE article_id = ?`} {
			if _, err := db.exec(ctx, q, id); err != nil {
				return err
			}
		}
		res, err := db.exec(ctx, `DELETE FROM articles WHERE id = ?`, id)
		return rowsAffected(res, err, "article.not_found")
	})
}

// Article returns an item by id.
func (db *DB) Article(ctx context.Context, id int64) (*content.Article, error) {
	a, err := scanArticle(db.queryRow(ctx, `SELECT `+articleColumns+` FROM articles a WHERE a.id = ?`, id))
	return a, notFound(err, "article.not_found")
}

// ArticleBySlug returns the item of a site with slug in lang: a page or not.
func (db *DB) ArticleBySlug(ctx context.Context, siteID int64, lang string, page bool, slug string) (*content.Article, error) {
	op := "<>"
	if page {
		op = "="
	}
	a, err := scanArticle(db.queryRow(ctx, `SELECT `+articleColumns+` FROM articles a
		WHERE a.site_id = ? AND a.lang = ? AND a.slug = ? AND a.kind `+op+` 'page' ORDER BY a.id LIMIT 1`, siteID, lang, slug))
	return a, notFound(err, "article.not_found")
}

// SlugTaken reports whether slug is in use on a site in lang.
func (db *DB) SlugTaken(ctx context.Context, siteID int64, lang, slug string, except int64) (bool, error) {
	var n int
	err := db.queryRow(ctx, `SELECT (SELECT COUNT(*) FROM articles WHERE site_id = ? AND lang = ? AND slug = ? AND id <> ?)
		+ (SELECT COUNT(*) FROM syndications WHERE to_site_id = ? AND slug = ? AND status = 'accepted' AND ? = 'vi')`,
		siteID, lang, slug, except, siteID, slug, lang).Scan(&n)
	return n > 0, err
}

// Articles lists items for the staff interface, newest change first.
func (db *DB) Articles(ctx context.Context, f content.Filter) ([]*content.Article, int, error) {
	where := []string{"a.site_id = ?"}
	args := []any{f.SiteID}
	add := func(cond string, v any) {
		where = append(where, cond)
		args = append(args, v)
	}
	if f.Status != "" {
		add("a.status = ?", f.Status)
	}
	if f.Kind != "" {
		add("a.kind = ?", f.Kind)
	}
	if f.Lang != "" {
		add("a.lang = ?", f.Lang)
	}
	if f.CategoryID != 0 {
		add("a.category_id = ?", f.CategoryID)
	}
	if f.AuthorID != 0 {
		add("a.created_by = ?", f.AuthorID)
	}
	for _, w := range strings.Fields(f.Query) {
		add("a.title_fold LIKE ?", "%"+escapeLike(w)+"%")
		where[len(where)-1] += ` ESCAPE '\'`
	}
	args = append(args, f.PerPage, (f.Page-1)*f.PerPage)
	rows, err := db.query(ctx, `SELECT `+articleListColumns+`, COUNT(*) OVER () FROM articles a WHERE `+strings.Join(where, " AND ")+
		` ORDER BY a.updated_at DESC, a.id DESC LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*content.Article
	total := 0
	for rows.Next() {
		a, err := scanArticle(rows, &total)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, a)
	}
	return out, total, rows.Err()
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// StatusCounts counts a site's items per status (one author's when
// authorID is not 0).
func (db *DB) StatusCounts(ctx context.Context, siteID, authorID int64) (map[content.Status]int, error) {
	q := `SELECT status, COUNT(*) FROM articles WHERE site_id = ?`
	args := []any{siteID}
	if authorID != 0 {
		q += ` AND created_by = ?`
		args = append(args, authorID)
	}
	rows, err := db.query(ctx, q+` GROUP BY status`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[content.Status]int{}
	for rows.Next() {
		var s content.Status
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		out[s] = n
	}
	return out, rows.Err()
}

// PublishedList lists published items shown on a site: its own and those
// syndicated to it, newest first.
func (db *DB) PublishedList(ctx context.Context, q content.ListQuery) ([]*content.Listed, int, error) {
	kinds := q.Kinds
	if len(kinds) == 0 {
		for _, k := range content.Kinds {
			if k != content.KindPage {
				kinds = append(kinds, k)
			}
		}
	}
	own := []string{"a.site_id = ?", "a.lang = ?", "a.status = 'published'"}
	ownArgs := []any{q.SiteID, q.Lang}
	syn := []string{"s.to_site_id = ?", "s.status = 'accepted'", "a.status = 'published'", "a.lang = ?"}
	synArgs := []any{q.SiteID, q.Lang}
	in := func(col string, n int) string { return col + " IN (" + placeholders(n) + ")" }
	own = append(own, in("a.kind", len(kinds)))
	syn = append(syn, in("a.kind", len(kinds)))
	for _, k := range kinds {
		ownArgs = append(ownArgs, k)
		synArgs = append(synArgs, k)
	}
	if len(q.CategoryIDs) > 0 {
		own = append(own, in("a.category_id", len(q.CategoryIDs)))
		syn = append(syn, in("s.category_id", len(q.CategoryIDs)))
		for _, c := range q.CategoryIDs {
			ownArgs = append(ownArgs, c)
			synArgs = append(synArgs, c)
		}
	}
	if q.Tag != "" {
		own = append(own, "a.tags LIKE ? ESCAPE '\\'")
		syn = append(syn, "a.tags LIKE ? ESCAPE '\\'")
		t := "%," + escapeLike(q.Tag) + ",%"
		ownArgs, synArgs = append(ownArgs, t), append(synArgs, t)
	}
	if q.ExcludeID != 0 {
		own = append(own, "a.id <> ?")
		syn = append(syn, "a.id <> ?")
		ownArgs, synArgs = append(ownArgs, q.ExcludeID), append(synArgs, q.ExcludeID)
	}
	cols := articleListColumns
	query := `SELECT x.*, COUNT(*) OVER () FROM (
		SELECT ` + cols + `, a.slug AS at_slug, 0 AS from_site FROM articles a WHERE ` + strings.Join(own, " AND ") + `
		UNION ALL
		SELECT ` + cols + `, s.slug AS at_slug, s.from_site_id AS from_site FROM syndications s JOIN articles a ON a.id = s.article_id
		WHERE ` + strings.Join(syn, " AND ") + `) x ORDER BY x.published_at DESC, x.id DESC LIMIT ? OFFSET ?`
	args := append(append(ownArgs, synArgs...), q.PerPage, (q.Page-1)*q.PerPage)
	rows, err := db.query(ctx, query, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*content.Listed
	total := 0
	for rows.Next() {
		var slug string
		var from int64
		a, err := scanArticle(rows, &slug, &from, &total)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, &content.Listed{Article: a, Path: content.PathOf(a.Kind, slug), FromSiteID: from})
	}
	return out, total, rows.Err()
}

// Translations returns the translations of an item.
func (db *DB) Translations(ctx context.Context, originalID int64) ([]*content.Article, error) {
	rows, err := db.query(ctx, `SELECT `+articleColumns+` FROM articles a WHERE a.original_id = ? ORDER BY a.lang`, originalID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*content.Article
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Related returns a site's newest published items of a category (of any
// category when categoryID is 0), other than except: the "related
// articles" of an article page, in one indexed query.
func (db *DB) Related(ctx context.Context, siteID int64, lang string, categoryID, except int64, n int) ([]*content.Listed, error) {
	q := `SELECT ` + articleListColumns + ` FROM articles a WHERE a.site_id = ? AND a.lang = ? AND a.status = 'published' AND a.kind <> 'page' AND a.id <> ?`
	args := []any{siteID, lang, except}
	if categoryID != 0 {
		q += ` AND a.category_id = ?`
		args = append(args, categoryID)
	}
	rows, err := db.query(ctx, q+` ORDER BY a.published_at DESC, a.id DESC LIMIT ?`, append(args, n)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*content.Listed
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, &content.Listed{Article: a, Path: a.Path()})
	}
	return out, rows.Err()
}

// CategoryStats counts each category's published items of a site and the
// newest publication.
func (db *DB) CategoryStats(ctx context.Context, siteID int64) (map[int64]content.CategoryState, error) {
	rows, err := db.query(ctx, `SELECT category_id, COUNT(*), MAX(published_at) FROM articles
		WHERE site_id = ? AND status = 'published' AND category_id IS NOT NULL GROUP BY category_id`, siteID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]content.CategoryState{}
	for rows.Next() {
		var id int64
		var st content.CategoryState
		var last any
		if err := rows.Scan(&id, &st.Published, &last); err != nil {
			return nil, err
		}
		st.LastPublished = anyTime(last)
		out[id] = st
	}
	return out, rows.Err()
}

// LanguageStats counts a site's published items per language and returns
// the newest publication.
func (db *DB) LanguageStats(ctx context.Context, siteID int64) (map[string]int, time.Time, error) {
	rows, err := db.query(ctx, `SELECT lang, COUNT(*), MAX(published_at) FROM articles WHERE site_id = ? AND status = 'published' GROUP BY lang`, siteID)
	if err != nil {
		return nil, time.Time{}, err
	}
	defer rows.Close()
	out := map[string]int{}
	var newest time.Time
	for rows.Next() {
		var lang string
		var n int
		var last any
		if err := rows.Scan(&lang, &n, &last); err != nil {
			return nil, time.Time{}, err
		}
		out[lang] = n
		if t := anyTime(last); t.After(newest) {
			newest = t
		}
	}
	return out, newest, rows.Err()
}

// anyTime reads a time from an aggregate (MAX of a timestamp column): a
// time on PostgreSQL, the stored text on SQLite, where aggregates lose the
// column's declared type.
func anyTime(v any) time.Time {
	switch t := v.(type) {
	case time.Time:
		return t.UTC()
	case string:
		for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05.999999999"} {
			if p, err := time.Parse(layout, t); err == nil {
				return p.UTC()
			}
		}
	case []byte:
		return anyTime(string(t))
	}
	return time.Time{}
}
