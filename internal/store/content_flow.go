package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/content"
)

// Revisions.

// AddRevision records a revision.
func (db *DB) AddRevision(ctx context.Context, r *content.Revision) error {
	f, err := json.Marshal(r.Fields)
	if err != nil {
		return err
	}
	r.Created = ts(r.Created)
	return db.queryRowTx(ctx, `INSERT INTO article_revisions (article_id, version, title, summary, body, fields, author_id, author_name, note, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		r.ArticleID, r.Version, r.Title, r.Summary, r.Body, string(f), r.AuthorID, r.AuthorName, r.Note, r.Created).Scan(&r.ID)
}

const revisionColumns = `id, article_id, version, title, summary, body, fields, author_id, author_name, note, created_at`

func scanRevision(row interface{ Scan(...any) error }) (*content.Revision, error) {
	var r content.Revision
	var f string
	if err := row.Scan(&r.ID, &r.ArticleID, &r.Version, &r.Title, &r.Summary, &r.Body, &f, &r.AuthorID, &r.AuthorName, &r.Note, &r.Created); err != nil {
		return nil, err
	}
	r.Created = r.Created.UTC()
	return &r, json.Unmarshal([]byte(f), &r.Fields)
}

// Revisions returns an item's revisions, newest first.
func (db *DB) Revisions(ctx context.Context, articleID int64) ([]*content.Revision, error) {
	rows, err := db.query(ctx, `SELECT `+revisionColumns+` FROM article_revisions WHERE article_id = ? ORDER BY version DESC, id DESC`, articleID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*content.Revision
	for rows.Next() {
		r, err := scanRevision(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Revision returns the revision of an item at version.
func (db *DB) Revision(ctx context.Context, articleID int64, version int) (*content.Revision, error) {
	r, err := scanRevision(db.queryRow(ctx, `SELECT `+revisionColumns+` FROM article_revisions WHERE article_id = ? AND version = ? ORDER BY id DESC LIMIT 1`, articleID, version))
	return r, notFound(err, "revision.not_found")
}

// Syndication.

const syndicationColumns = `id, article_id, from_site_id, to_site_id, kind, status, category_id, slug, note, reason, proposed_by, decided_by, created_at, decided_at`

func scanSyndication(row interface{ Scan(...any) error }) (*content.Syndication, error) {
	var x content.Syndication
	var cat sql.NullInt64
	var dec sql.NullTime
	err := row.Scan(&x.ID, &x.ArticleID, &x.FromSiteID, &x.ToSiteID, &x.Kind, &x.Status, &cat, &x.Slug, &x.Note, &x.Reason, &x.ProposedBy, &x.DecidedBy, &x.Created, &dec)
	x.CategoryID, x.Created, x.Decided = cat.Int64, x.Created.UTC(), timeOf(dec)
	return &x, err
}

// CreateSyndication inserts x.
func (db *DB) CreateSyndication(ctx context.Context, x *content.Syndication) error {
	x.Created = ts(x.Created)
	return db.queryRowTx(ctx, `INSERT INTO syndications (article_id, from_site_id, to_site_id, kind, status, category_id, slug, note, reason, proposed_by, decided_by, created_at, decided_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		x.ArticleID, x.FromSiteID, x.ToSiteID, x.Kind, x.Status, nullID(x.CategoryID), x.Slug, x.Note, x.Reason, x.ProposedBy, x.DecidedBy, x.Created, nullTS(x.Decided)).Scan(&x.ID)
}

// UpdateSyndication stores x's decision.
func (db *DB) UpdateSyndication(ctx context.Context, x *content.Syndication) error {
	res, err := db.exec(ctx, `UPDATE syndications SET status = ?, category_id = ?, slug = ?, reason = ?, decided_by = ?, decided_at = ? WHERE id = ?`,
		x.Status, nullID(x.CategoryID), x.Slug, x.Reason, x.DecidedBy, nullTS(x.Decided), x.ID)
	return rowsAffected(res, err, "syndication.not_found")
}

// Syndication returns one by id.
func (db *DB) Syndication(ctx context.Context, id int64) (*content.Syndication, error) {
	x, err := scanSyndication(db.queryRow(ctx, `SELECT `+syndicationColumns+` FROM syndications WHERE id = ?`, id))
	return x, notFound(err, "syndication.not_found")
}

// Syndications lists syndications, newest first.
func (db *DB) Syndications(ctx context.Context, f content.SyndicationFilter) ([]*content.Syndication, error) {
	var where []string
	var args []any
	add := func(cond string, v any) { where = append(where, cond); args = append(args, v) }
	if f.ArticleID != 0 {
		add("article_id = ?", f.ArticleID)
	}
	if f.ToSiteID != 0 {
		add("to_site_id = ?", f.ToSiteID)
	}
	if f.Kind != "" {
		add("kind = ?", f.Kind)
	}
	if f.Status != "" {
		add("status = ?", f.Status)
	}
	q := `SELECT ` + syndicationColumns + ` FROM syndications`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	q += ` ORDER BY id DESC`
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*content.Syndication
	for rows.Next() {
		x, err := scanSyndication(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// SyndicatedBySlug returns the accepted syndication showing slug on a site.
func (db *DB) SyndicatedBySlug(ctx context.Context, siteID int64, slug string) (*content.Syndication, error) {
	x, err := scanSyndication(db.queryRow(ctx, `SELECT `+syndicationColumns+` FROM syndications WHERE to_site_id = ? AND slug = ? AND status = 'accepted' ORDER BY id LIMIT 1`, siteID, slug))
	return x, notFound(err, "article.not_found")
}

// Notifications.

// AddNotification inserts n.
func (db *DB) AddNotification(ctx context.Context, n *content.Notification) error {
	args, _ := json.Marshal(n.Args)
	n.Created = ts(n.Created)
	return db.queryRowTx(ctx, `INSERT INTO notifications (user_id, site_id, article_id, msg_key, args, link, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		n.UserID, n.SiteID, n.ArticleID, n.Key, string(args), n.Link, n.Created).Scan(&n.ID)
}

// Notifications returns a user's newest notifications and the unread count.
func (db *DB) Notifications(ctx context.Context, userID int64, limit int) ([]*content.Notification, int, error) {
	var unread int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL`, userID).Scan(&unread); err != nil {
		return nil, 0, err
	}
	rows, err := db.query(ctx, `SELECT id, user_id, site_id, article_id, msg_key, args, link, created_at, read_at FROM notifications
		WHERE user_id = ? ORDER BY id DESC LIMIT ?`, userID, limit)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*content.Notification
	for rows.Next() {
		var n content.Notification
		var args string
		var read sql.NullTime
		if err := rows.Scan(&n.ID, &n.UserID, &n.SiteID, &n.ArticleID, &n.Key, &args, &n.Link, &n.Created, &read); err != nil {
			return nil, 0, err
		}
		json.Unmarshal([]byte(args), &n.Args)
		n.Created, n.Read = n.Created.UTC(), timeOf(read)
		out = append(out, &n)
	}
	return out, unread, rows.Err()
}

// MarkNotificationsRead marks a user's notifications read.
func (db *DB) MarkNotificationsRead(ctx context.Context, userID int64, at time.Time) error {
	_, err := db.exec(ctx, `UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL`, ts(at), userID)
	return err
}

// Recipients returns the active staff holding any of roles on a site (any
// role when roles is empty).
func (db *DB) Recipients(ctx context.Context, siteID int64, roles []access.Role) ([]content.Recipient, error) {
	q := `SELECT u.id, u.email, u.name, g.role FROM grants g JOIN users u ON u.id = g.user_id
		WHERE g.site_id = ? AND u.disabled = FALSE`
	args := []any{siteID}
	if len(roles) > 0 {
		q += ` AND g.role IN (` + placeholders(len(roles)) + `)`
		for _, r := range roles {
			args = append(args, string(r))
		}
	}
	rows, err := db.query(ctx, q+` ORDER BY u.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []content.Recipient
	for rows.Next() {
		var r content.Recipient
		if err := rows.Scan(&r.UserID, &r.Email, &r.Name, &r.Role); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
