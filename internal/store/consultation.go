package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/congvn/cong/internal/consultation"
)

const consultationColumns = `c.id, c.site_id, c.title, c.summary, c.articles, c.opens_on, c.closes_on, c.published, c.result, c.response,
	c.result_at, c.version, c.created_at, c.updated_at,
	(SELECT COUNT(*) FROM consultation_comments m WHERE m.consultation_id = c.id AND m.status = 'approved'),
	(SELECT COUNT(*) FROM consultation_comments m WHERE m.consultation_id = c.id AND m.status = 'pending')`

func scanConsultation(row interface{ Scan(...any) error }) (*consultation.Consultation, error) {
	var c consultation.Consultation
	var arts string
	var res sql.NullTime
	err := row.Scan(&c.ID, &c.SiteID, &c.Title, &c.Summary, &arts, &c.OpensOn, &c.ClosesOn, &c.Published, &c.Result, &c.Response,
		&res, &c.Version, &c.Created, &c.Updated, &c.Approved, &c.Pending)
	c.Articles = splitLines(arts)
	c.ResultAt = timeOf(res)
	c.Created, c.Updated = c.Created.UTC(), c.Updated.UTC()
	return &c, err
}

// CreateConsultation inserts c.
func (db *DB) CreateConsultation(ctx context.Context, c *consultation.Consultation) error {
	now := ts(time.Now())
	c.Created, c.Updated, c.Version = now, now, 1
	return db.queryRowTx(ctx, `INSERT INTO consultations (site_id, title, summary, articles, opens_on, closes_on, published, result, response,
		result_at, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		c.SiteID, c.Title, c.Summary, strings.Join(c.Articles, "\n"), c.OpensOn, c.ClosesOn, c.Published, c.Result, c.Response,
		nullTS(c.ResultAt), 1, now, now).Scan(&c.ID)
}

// UpdateConsultation stores c.
func (db *DB) UpdateConsultation(ctx context.Context, c *consultation.Consultation) error {
	now := ts(time.Now())
	res, err := db.exec(ctx, `UPDATE consultations SET title = ?, summary = ?, articles = ?, opens_on = ?, closes_on = ?, published = ?,
		result = ?, response = ?, result_at = ?, version = version + 1, updated_at = ? WHERE id = ?`,
		c.Title, c.Summary, strings.Join(c.Articles, "\n"), c.OpensOn, c.ClosesOn, c.Published, c.Result, c.Response, nullTS(c.ResultAt), now, c.ID)
	if err := rowsAffected(res, err, "consultation.not_found"); err != nil {
		return err
	}
	c.Version++
	c.Updated = now
	return nil
}

// Consultation returns a consultation by id.
func (db *DB) Consultation(ctx context.Context, id int64) (*consultation.Consultation, error) {
	c, err := scanConsultation(db.queryRow(ctx, `SELECT `+consultationColumns+` FROM consultations c WHERE c.id = ?`, id))
	if err != nil {
		return nil, notFound(err, "consultation.not_found")
	}
	return c, nil
}

// Consultations returns a site's consultations, the latest closing first.
func (db *DB) Consultations(ctx context.Context, siteID int64, publishedOnly bool) ([]*consultation.Consultation, error) {
	q := `SELECT ` + consultationColumns + ` FROM consultations c WHERE c.site_id = ?`
	if publishedOnly {
		q += ` AND c.published = TRUE`
	}
	rows, err := db.query(ctx, q+` ORDER BY c.closes_on DESC, c.id DESC LIMIT 500`, siteID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*consultation.Consultation
	for rows.Next() {
		c, err := scanConsultation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

const commentColumns = `id, consultation_id, site_id, name, contact, article, body, status, addr_hash, body_hash, created_at, moderated_at`

func scanComment(row interface{ Scan(...any) error }) (*consultation.Comment, error) {
	var c consultation.Comment
	var mod sql.NullTime
	err := row.Scan(&c.ID, &c.ConsultationID, &c.SiteID, &c.Name, &c.Contact, &c.Article, &c.Body, &c.Status, &c.AddrHash, &c.BodyHash, &c.Created, &mod)
	c.Moderated = timeOf(mod)
	c.Created = c.Created.UTC()
	return &c, err
}

// AddComment inserts a comment.
func (db *DB) AddComment(ctx context.Context, c *consultation.Comment) error {
	c.Created = ts(c.Created)
	return db.queryRowTx(ctx, `INSERT INTO consultation_comments (consultation_id, site_id, name, contact, article, body, status, addr_hash,
		body_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		c.ConsultationID, c.SiteID, c.Name, c.Contact, c.Article, c.Body, c.Status, c.AddrHash, c.BodyHash, c.Created).Scan(&c.ID)
}

// Comment returns a comment by id.
func (db *DB) Comment(ctx context.Context, id int64) (*consultation.Comment, error) {
	c, err := scanComment(db.queryRow(ctx, `SELECT `+commentColumns+` FROM consultation_comments WHERE id = ?`, id))
	if err != nil {
		return nil, notFound(err, "consultation.comment_not_found")
	}
	return c, nil
}

// SetCommentStatus moderates a comment.
func (db *DB) SetCommentStatus(ctx context.Context, id int64, status string, at time.Time) error {
	res, err := db.exec(ctx, `UPDATE consultation_comments SET status = ?, moderated_at = ? WHERE id = ?`, status, ts(at), id)
	return rowsAffected(res, err, "consultation.comment_not_found")
}

// Comments returns a consultation's comments with a status ("" for all), oldest first.
func (db *DB) Comments(ctx context.Context, consultationID int64, status string) ([]*consultation.Comment, error) {
	q, args := `SELECT `+commentColumns+` FROM consultation_comments WHERE consultation_id = ?`, []any{consultationID}
	if status != "" {
		q += ` AND status = ?`
		args = append(args, status)
	}
	rows, err := db.query(ctx, q+` ORDER BY id LIMIT 5000`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*consultation.Comment
	for rows.Next() {
		c, err := scanComment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CommentsSince counts a sender's recent comments and finds a repeated text.
func (db *DB) CommentsSince(ctx context.Context, addrHash string, since time.Time, consultationID int64, bodyHash string) (int, bool, error) {
	var n, dup int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM consultation_comments WHERE addr_hash = ? AND created_at >= ?`, addrHash, ts(since)).Scan(&n); err != nil {
		return 0, false, err
	}
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM consultation_comments WHERE consultation_id = ? AND body_hash = ? AND addr_hash = ?`,
		consultationID, bodyHash, addrHash).Scan(&dup)
	return n, dup > 0, err
}

// ConsultationComments counts the comments a consultation received since t.
func (db *DB) ConsultationComments(ctx context.Context, consultationID int64, since time.Time) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM consultation_comments WHERE consultation_id = ? AND created_at >= ?`, consultationID, ts(since)).Scan(&n)
	return n, err
}
