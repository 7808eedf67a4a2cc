package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/feedback"
	"github.com/congvn/cong/internal/vietnamese"
)

// Merging a site gives its feedback items to the successor.
func init() { contentTables = append(contentTables, "feedback_items") }

const feedbackColumns = `id, code, kind, site_id, origin_site_id, category, title, body, address, lat, lon,
	contact_name, contact_phone, contact_email, consent_purpose, consent_at, notify, confirm_token, confirmed_at,
	status, verified, source, received_at, due_at, paused_at, paused_days, reminded_at, answered_at, published_at,
	closed_at, updated_at, escalation_level, escalated_site_id, duplicate_of, answer, answer_site_id, reason,
	public_name, public_title, public_body, public_place, rating, rating_comment, rated_at, fingerprint, sketch, version`

func scanFeedback(row interface{ Scan(...any) error }) (*feedback.Item, error) {
	var it feedback.Item
	var lat, lon sql.NullFloat64
	var confirmed, paused, reminded, answered, published, closed, rated sql.NullTime
	var escalated, dup, answerSite sql.NullInt64
	var sketch int64
	err := row.Scan(&it.ID, &it.Code, &it.Kind, &it.SiteID, &it.OriginSiteID, &it.Category, &it.Title, &it.Body,
		&it.Place.Address, &lat, &lon, &it.Contact.Name, &it.Contact.Phone, &it.Contact.Email, &it.Consent.Purpose,
		&it.Consent.At, &it.Consent.Notify, &it.ConfirmToken, &confirmed, &it.Status, &it.Verified, &it.Source,
		&it.ReceivedAt, &it.DueAt, &paused, &it.PausedDays, &reminded, &answered, &published, &closed, &it.UpdatedAt,
		&it.EscalationLevel, &escalated, &dup, &it.Answer, &answerSite, &it.Reason, &it.PublicName, &it.PublicTitle,
		&it.PublicBody, &it.PublicPlace, &it.Rating, &it.RatingComment, &rated, &it.Fingerprint, &sketch, &it.Version)
	if err != nil {
		return nil, err
	}
	if lat.Valid && lon.Valid {
		it.Place.Lat, it.Place.Lon, it.Place.HasPoint = lat.Float64, lon.Float64, true
	}
	it.Consent.At, it.ReceivedAt, it.DueAt, it.UpdatedAt = it.Consent.At.UTC(), it.ReceivedAt.UTC(), it.DueAt.UTC(), it.UpdatedAt.UTC()
	it.ConfirmAt, it.PausedAt, it.RemindedAt = timeOf(confirmed), timeOf(paused), timeOf(reminded)
	it.AnsweredAt, it.PublishedAt, it.ClosedAt, it.RatedAt = timeOf(answered), timeOf(published), timeOf(closed), timeOf(rated)
	it.EscalatedSiteID, it.DuplicateOf, it.AnswerSiteID = escalated.Int64, dup.Int64, answerSite.Int64
	it.Sketch = uint64(sketch)
	return &it, nil
}

func nullFloat(ok bool, f float64) any {
	if !ok {
		return nil
	}
	return f
}

// publicFold is what public search matches: the reviewed copy and the
// answer, folded.
func publicFold(it *feedback.Item) string {
	if it.Status != feedback.Published {
		return ""
	}
	return vietnamese.Fold(it.PublicTitle + " " + it.PublicBody + " " + it.Answer)
}

func bandArgs(s uint64) []any {
	out := make([]any, feedback.NearDistance+1)
	if s == 0 {
		return out
	}
	for i, b := range feedback.Bands(s) {
		out[i] = b
	}
	return out
}

// CreateFeedback inserts a new item with its files.
func (db *DB) CreateFeedback(ctx context.Context, it *feedback.Item) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		it.Version = 1
		args := []any{it.Code, it.Kind, it.SiteID, it.OriginSiteID, it.Category, it.Title, it.Body, it.Place.Address,
			nullFloat(it.Place.HasPoint, it.Place.Lat), nullFloat(it.Place.HasPoint, it.Place.Lon),
			it.Contact.Name, it.Contact.Phone, it.Contact.Email, it.Consent.Purpose, ts(it.Consent.At), it.Consent.Notify,
			it.ConfirmToken, it.Status, it.Verified, it.Source, ts(it.ReceivedAt), ts(it.DueAt), ts(it.UpdatedAt),
			it.PublicName, it.PublicTitle, it.PublicBody, it.PublicPlace, publicFold(it), it.Fingerprint, int64(it.Sketch), it.Version}
		args = append(args, bandArgs(it.Sketch)...)
		err := db.queryRowTx(ctx, `INSERT INTO feedback_items (code, kind, site_id, origin_site_id, category, title, body, address, lat, lon,
			contact_name, contact_phone, contact_email, consent_purpose, consent_at, notify, confirm_token, status, verified, source,
			received_at, due_at, updated_at, public_name, public_title, public_body, public_place, public_fold, fingerprint, sketch, version,
			b0, b1, b2, b3, b4, b5)
			VALUES (`+placeholders(len(args))+`) RETURNING id`, args...).Scan(&it.ID)
		if isUniqueViolation(err) {
			return fault.New(fault.Conflict, "feedback.code_taken")
		}
		if isForeignKeyViolation(err) {
			return fault.OnField("site", "site.not_found")
		}
		if err != nil {
			return err
		}
		return db.AddFeedbackFiles(ctx, it.ID, it.Files)
	})
}

// AddFeedbackFiles stores attachments of an item.
func (db *DB) AddFeedbackFiles(ctx context.Context, itemID int64, files []*feedback.File) error {
	now := ts(time.Now())
	for _, f := range files {
		err := db.queryRowTx(ctx, `INSERT INTO feedback_files (item_id, ord, name, ctype, size, sha256, data, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, itemID, f.Order, f.Name, f.Type, f.Size, f.SHA, f.Data, now).Scan(&f.ID)
		if err != nil {
			return err
		}
	}
	return nil
}

// UpdateFeedback stores the mutable fields of it when nobody changed it
// since it was read.
func (db *DB) UpdateFeedback(ctx context.Context, it *feedback.Item) error {
	res, err := db.exec(ctx, `UPDATE feedback_items SET site_id = ?, status = ?, verified = ?, notify = ?, confirm_token = ?, confirmed_at = ?,
		due_at = ?, paused_at = ?, paused_days = ?, reminded_at = ?, answered_at = ?, published_at = ?, closed_at = ?, updated_at = ?,
		escalation_level = ?, escalated_site_id = ?, duplicate_of = ?, answer = ?, answer_site_id = ?, reason = ?,
		public_title = ?, public_body = ?, public_place = ?, public_fold = ?, rating = ?, rating_comment = ?, rated_at = ?,
		version = version + 1
		WHERE id = ? AND version = ?`,
		it.SiteID, it.Status, it.Verified, it.Consent.Notify, it.ConfirmToken, nullTS(it.ConfirmAt),
		ts(it.DueAt), nullTS(it.PausedAt), it.PausedDays, nullTS(it.RemindedAt), nullTS(it.AnsweredAt), nullTS(it.PublishedAt),
		nullTS(it.ClosedAt), ts(it.UpdatedAt), it.EscalationLevel, nullID(it.EscalatedSiteID), nullID(it.DuplicateOf), it.Answer,
		nullID(it.AnswerSiteID), it.Reason, it.PublicTitle, it.PublicBody, it.PublicPlace, publicFold(it), it.Rating,
		it.RatingComment, nullTS(it.RatedAt), it.ID, it.Version)
	if err := rowsAffected(res, err, "feedback.not_found"); err != nil {
		if fault.Is(err, fault.NotFound) {
			return fault.New(fault.Conflict, "feedback.changed_meanwhile")
		}
		return err
	}
	it.Version++
	return nil
}

// FeedbackByCode returns an item by tracking code, with its files (without
// their data) and references.
func (db *DB) FeedbackByCode(ctx context.Context, code string) (*feedback.Item, error) {
	return db.oneFeedback(ctx, `SELECT `+feedbackColumns+` FROM feedback_items WHERE code = ?`, code)
}

// FeedbackByID returns an item by id, with its files and references.
func (db *DB) FeedbackByID(ctx context.Context, id int64) (*feedback.Item, error) {
	return db.oneFeedback(ctx, `SELECT `+feedbackColumns+` FROM feedback_items WHERE id = ?`, id)
}

func (db *DB) oneFeedback(ctx context.Context, query string, arg any) (*feedback.Item, error) {
	it, err := scanFeedback(db.queryRow(ctx, query, arg))
	if err != nil {
		return nil, notFound(err, "feedback.not_found")
	}
	rows, err := db.query(ctx, `SELECT id, ord, name, ctype, size, sha256 FROM feedback_files WHERE item_id = ? ORDER BY ord, id`, it.ID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var f feedback.File
		if err := rows.Scan(&f.ID, &f.Order, &f.Name, &f.Type, &f.Size, &f.SHA); err != nil {
			rows.Close()
			return nil, err
		}
		it.Files = append(it.Files, &f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = db.query(ctx, `SELECT kind, ref, title, url FROM feedback_refs WHERE item_id = ? ORDER BY ord`, it.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var r feedback.Ref
		if err := rows.Scan(&r.Kind, &r.Ref, &r.Title, &r.URL); err != nil {
			return nil, err
		}
		it.Refs = append(it.Refs, r)
	}
	return it, rows.Err()
}

// FeedbackFile returns one attachment with its data.
func (db *DB) FeedbackFile(ctx context.Context, itemID, fileID int64) (*feedback.File, error) {
	var f feedback.File
	err := db.queryRow(ctx, `SELECT id, ord, name, ctype, size, sha256, data FROM feedback_files WHERE item_id = ? AND id = ?`, itemID, fileID).
		Scan(&f.ID, &f.Order, &f.Name, &f.Type, &f.Size, &f.SHA, &f.Data)
	return &f, notFound(err, "feedback.file_not_found")
}

// SetFeedbackRefs replaces an item's references.
func (db *DB) SetFeedbackRefs(ctx context.Context, itemID int64, refs []feedback.Ref) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		if _, err := db.exec(ctx, `DELETE FROM feedback_refs WHERE item_id = ?`, itemID); err != nil {
			return err
		}
		for i, r := range refs {
			if _, err := db.exec(ctx, `INSERT INTO feedback_refs (item_id, ord, kind, ref, title, url) VALUES (?, ?, ?, ?, ?, ?)`,
				itemID, i, r.Kind, r.Ref, r.Title, r.URL); err != nil {
				return err
			}
		}
		return nil
	})
}

// AddFeedbackEvent appends a step to an item's timeline.
func (db *DB) AddFeedbackEvent(ctx context.Context, e *feedback.Event) error {
	return db.queryRowTx(ctx, `INSERT INTO feedback_events (item_id, at, type, public, actor, site_id, to_site_id, text)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, e.ItemID, ts(e.At), e.Type, e.Public, e.Actor, e.SiteID, e.ToSiteID, e.Text).Scan(&e.ID)
}

// FeedbackEvents returns an item's timeline in order.
func (db *DB) FeedbackEvents(ctx context.Context, itemID int64, publicOnly bool) ([]*feedback.Event, error) {
	q := `SELECT id, item_id, at, type, public, actor, site_id, to_site_id, text FROM feedback_events WHERE item_id = ?`
	if publicOnly {
		q += ` AND public`
	}
	rows, err := db.query(ctx, q+` ORDER BY id`, itemID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*feedback.Event
	for rows.Next() {
		var e feedback.Event
		if err := rows.Scan(&e.ID, &e.ItemID, &e.At, &e.Type, &e.Public, &e.Actor, &e.SiteID, &e.ToSiteID, &e.Text); err != nil {
			return nil, err
		}
		e.At = e.At.UTC()
		out = append(out, &e)
	}
	return out, rows.Err()
}

// SimilarFeedback finds earlier items of the same kind with the same
// fingerprint, or whose sketch shares a band with it's: one indexed lookup
// per key, the newest 20 of each, so a flood of near-identical texts costs
// no more than a few rows.
func (db *DB) SimilarFeedback(ctx context.Context, it *feedback.Item, since time.Time) ([]*feedback.Item, error) {
	branches := []string{`SELECT * FROM (SELECT id, kind, received_at, fingerprint, sketch, code FROM feedback_items WHERE fingerprint = ? ORDER BY id DESC LIMIT 20) f`}
	args := []any{it.Fingerprint}
	if it.Sketch != 0 {
		for i, b := range feedback.Bands(it.Sketch) {
			col := "b" + string(rune('0'+i))
			branches = append(branches, `SELECT * FROM (SELECT id, kind, received_at, fingerprint, sketch, code FROM feedback_items WHERE `+
				col+` = ? ORDER BY `+col+` DESC, id DESC LIMIT 20) b`+string(rune('0'+i)))
			args = append(args, b)
		}
	}
	args = append(args, it.Kind, ts(since), it.ID)
	rows, err := db.query(ctx, `SELECT DISTINCT id, fingerprint, sketch, code FROM (`+strings.Join(branches, " UNION ALL ")+`) c
		WHERE kind = ? AND received_at >= ? AND id <> ? ORDER BY id DESC LIMIT 50`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*feedback.Item
	for rows.Next() {
		var c feedback.Item
		var sketch int64
		if err := rows.Scan(&c.ID, &c.Fingerprint, &sketch, &c.Code); err != nil {
			return nil, err
		}
		c.Sketch = uint64(sketch)
		out = append(out, &c)
	}
	return out, rows.Err()
}

// AddFeedbackLink records that item a resembles item b.
func (db *DB) AddFeedbackLink(ctx context.Context, a, b int64, kind string, distance int) error {
	_, err := db.exec(ctx, `INSERT INTO feedback_links (item_id, other_id, kind, distance) VALUES (?, ?, ?, ?)
		ON CONFLICT (item_id, other_id, kind) DO NOTHING`, a, b, kind, distance)
	return err
}

// FeedbackLinks returns the items linked to an item, both ways.
func (db *DB) FeedbackLinks(ctx context.Context, itemID int64) ([]feedback.Link, error) {
	rows, err := db.query(ctx, `SELECT l.other_id, f.code, l.kind, l.distance, f.status, f.title FROM feedback_links l
		JOIN feedback_items f ON f.id = l.other_id WHERE l.item_id = ?
		UNION ALL
		SELECT l.item_id, f.code, l.kind, l.distance, f.status, f.title FROM feedback_links l
		JOIN feedback_items f ON f.id = l.item_id WHERE l.other_id = ?
		ORDER BY 1`, itemID, itemID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []feedback.Link
	for rows.Next() {
		var l feedback.Link
		if err := rows.Scan(&l.OtherID, &l.OtherCode, &l.Kind, &l.Distance, &l.Status, &l.Title); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// EnqueueMail adds a message to the outbox.
func (db *DB) EnqueueMail(ctx context.Context, m *feedback.Mail) error {
	return db.queryRowTx(ctx, `INSERT INTO mail_outbox (to_addr, subject, body, item_id, created_at, next_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		m.To, m.Subject, m.Body, m.ItemID, ts(m.CreatedAt), ts(m.NextAt)).Scan(&m.ID)
}

// PendingMail returns messages due for sending at now.
func (db *DB) PendingMail(ctx context.Context, now time.Time, limit int) ([]*feedback.Mail, error) {
	rows, err := db.query(ctx, `SELECT id, to_addr, subject, body, item_id, created_at, attempts, next_at FROM mail_outbox
		WHERE sent_at IS NULL AND next_at <= ? ORDER BY next_at, id LIMIT ?`, ts(now), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*feedback.Mail
	for rows.Next() {
		var m feedback.Mail
		if err := rows.Scan(&m.ID, &m.To, &m.Subject, &m.Body, &m.ItemID, &m.CreatedAt, &m.Attempts, &m.NextAt); err != nil {
			return nil, err
		}
		out = append(out, &m)
	}
	return out, rows.Err()
}

// MailSent marks a message sent and forgets its text and address (they
// are personal data and their purpose is served).
func (db *DB) MailSent(ctx context.Context, id int64, at time.Time) error {
	_, err := db.exec(ctx, `UPDATE mail_outbox SET sent_at = ?, to_addr = '', body = '', last_error = '' WHERE id = ?`, ts(at), id)
	return err
}

// MailFailed records a failed attempt and when to try again.
func (db *DB) MailFailed(ctx context.Context, id int64, next time.Time, msg string) error {
	_, err := db.exec(ctx, `UPDATE mail_outbox SET attempts = attempts + 1, next_at = ?, last_error = ? WHERE id = ?`, ts(next), msg, id)
	return err
}

// StaffEmails returns the e-mail addresses of active staff holding one of
// roles on a site.
func (db *DB) StaffEmails(ctx context.Context, siteID int64, roles []string) ([]string, error) {
	if len(roles) == 0 {
		return nil, nil
	}
	args := []any{siteID}
	for _, r := range roles {
		args = append(args, r)
	}
	rows, err := db.query(ctx, `SELECT DISTINCT u.email FROM grants g JOIN users u ON u.id = g.user_id
		WHERE g.site_id = ? AND g.role IN (`+placeholders(len(roles))+`) AND NOT u.disabled ORDER BY u.email`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// ForgetFeedbackContacts erases the contacts of items closed before a time,
// and the attachments' data with them (they may show people).
func (db *DB) ForgetFeedbackContacts(ctx context.Context, closedBefore time.Time) (int, error) {
	var n int64
	err := db.InTx(ctx, func(ctx context.Context) error {
		if _, err := db.exec(ctx, `DELETE FROM feedback_files WHERE item_id IN
			(SELECT id FROM feedback_items WHERE closed_at IS NOT NULL AND closed_at < ?)`, ts(closedBefore)); err != nil {
			return err
		}
		// The original text goes too; the reviewed public copy stays.
		res, err := db.exec(ctx, `UPDATE feedback_items SET contact_name = '', contact_phone = '', contact_email = '', notify = FALSE,
			address = '', lat = NULL, lon = NULL, confirm_token = '', title = public_title, body = public_body
			WHERE closed_at IS NOT NULL AND closed_at < ? AND (contact_name <> '' OR contact_phone <> '' OR contact_email <> '' OR address <> '')`, ts(closedBefore))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}

// ClaimMail postpones a due message while one node sends it.
func (db *DB) ClaimMail(ctx context.Context, id int64, next, until time.Time) (bool, error) {
	res, err := db.exec(ctx, `UPDATE mail_outbox SET next_at = ? WHERE id = ? AND next_at = ? AND sent_at IS NULL`, ts(until), id, ts(next))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
