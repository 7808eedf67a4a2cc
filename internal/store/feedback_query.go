package store

import (
	"context"
	"strings"
	"time"

	"github.com/congvn/cong/internal/feedback"
)

var openStatuses = []any{string(feedback.Received), string(feedback.Assigned), string(feedback.Waiting), string(feedback.Drafted)}

// ListFeedback returns a page of items matching f and the total count.
func (db *DB) ListFeedback(ctx context.Context, f feedback.Filter) ([]*feedback.Item, int, error) {
	var where []string
	var args []any
	if f.SiteID != 0 && f.EscalatedTo != 0 {
		where = append(where, "(site_id = ? OR escalated_site_id = ?)")
		args = append(args, f.SiteID, f.EscalatedTo)
	} else if f.SiteID != 0 {
		where = append(where, "site_id = ?")
		args = append(args, f.SiteID)
	} else if f.EscalatedTo != 0 {
		where = append(where, "escalated_site_id = ?")
		args = append(args, f.EscalatedTo)
	}
	if len(f.IDs) > 0 {
		where = append(where, "id IN ("+placeholders(len(f.IDs))+")")
		for _, id := range f.IDs {
			args = append(args, id)
		}
	}
	if f.Kind != "" {
		where = append(where, "kind = ?")
		args = append(args, f.Kind)
	}
	if len(f.Statuses) > 0 {
		where = append(where, "status IN ("+placeholders(len(f.Statuses))+")")
		for _, s := range f.Statuses {
			args = append(args, s)
		}
	}
	if f.Category != "" {
		where = append(where, "category = ?")
		args = append(args, f.Category)
	}
	col := "received_at"
	if f.Updated {
		col = "updated_at"
	}
	if !f.From.IsZero() {
		where = append(where, col+" >= ?")
		args = append(args, ts(f.From))
	}
	if !f.To.IsZero() {
		where = append(where, col+" < ?")
		args = append(args, ts(f.To))
	}
	if f.Overdue {
		where = append(where, "status IN (?, ?, ?) AND due_at < ?")
		args = append(args, feedback.Received, feedback.Assigned, feedback.Drafted, ts(f.Now))
	}
	for _, w := range strings.Fields(f.Query) {
		if len(where) > 20 {
			break
		}
		// The words are folded already; % and _ are not word characters.
		w = strings.NewReplacer("%", "", "_", "", `\`, "").Replace(w)
		if f.Public {
			where = append(where, "public_fold LIKE ?")
			args = append(args, "%"+w+"%")
		} else {
			where = append(where, "(code LIKE ? OR LOWER(title) LIKE ? OR LOWER(public_title) LIKE ?)")
			up := "%" + strings.ToUpper(w) + "%"
			args = append(args, up, "%"+w+"%", "%"+w+"%")
		}
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM feedback_items`+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	order := " ORDER BY received_at DESC, id DESC"
	switch f.Order {
	case "due":
		order = " ORDER BY due_at, id"
	case "published":
		order = " ORDER BY published_at DESC, id DESC"
	}
	rows, err := db.query(ctx, `SELECT `+feedbackColumns+` FROM feedback_items`+cond+order+` LIMIT ? OFFSET ?`,
		append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*feedback.Item
	for rows.Next() {
		it, err := scanFeedback(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, it)
	}
	return out, total, rows.Err()
}

// FeedbackStats counts items received in a period, per responsible site.
func (db *DB) FeedbackStats(ctx context.Context, f feedback.StatsFilter) ([]feedback.StatsRow, error) {
	where := "received_at >= ? AND received_at < ?"
	to := f.To
	if to.IsZero() {
		to = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	args := []any{ts(f.Now), ts(f.From), ts(to)}
	if f.Kind != "" {
		where += " AND kind = ?"
		args = append(args, f.Kind)
	}
	rows, err := db.query(ctx, `SELECT site_id, COUNT(*),
		SUM(CASE WHEN status IN ('received', 'assigned', 'waiting', 'drafted') THEN 1 ELSE 0 END),
		SUM(CASE WHEN status = 'waiting' THEN 1 ELSE 0 END),
		SUM(CASE WHEN status IN ('received', 'assigned', 'drafted') AND due_at < ? THEN 1 ELSE 0 END),
		SUM(CASE WHEN status IN ('answered', 'published') THEN 1 ELSE 0 END),
		SUM(CASE WHEN status IN ('answered', 'published') AND answered_at <= due_at THEN 1 ELSE 0 END),
		SUM(CASE WHEN status IN ('answered', 'published') AND answered_at > due_at THEN 1 ELSE 0 END),
		SUM(CASE WHEN status = 'published' THEN 1 ELSE 0 END),
		SUM(CASE WHEN status = 'rejected' THEN 1 ELSE 0 END),
		SUM(CASE WHEN status = 'duplicate' THEN 1 ELSE 0 END),
		SUM(CASE WHEN escalation_level > 0 THEN 1 ELSE 0 END),
		SUM(CASE WHEN rating > 0 THEN 1 ELSE 0 END),
		SUM(rating)
		FROM feedback_items WHERE `+where+` GROUP BY site_id ORDER BY site_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []feedback.StatsRow
	for rows.Next() {
		var r feedback.StatsRow
		if err := rows.Scan(&r.SiteID, &r.Received, &r.Open, &r.Waiting, &r.Overdue, &r.Answered, &r.OnTime, &r.Late,
			&r.Published, &r.Rejected, &r.Duplicate, &r.Escalated, &r.Rated, &r.RatingSum); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// DueFeedback returns open items not waiting for the citizen that need a
// reminder (not yet reminded, due by remindBy) or are overdue at now.
func (db *DB) DueFeedback(ctx context.Context, remindBy, now time.Time, limit int) ([]*feedback.Item, error) {
	rows, err := db.query(ctx, `SELECT `+feedbackColumns+` FROM feedback_items
		WHERE status IN ('received', 'assigned', 'drafted') AND due_at <= ? AND (reminded_at IS NULL OR due_at < ?)
		ORDER BY escalation_level, due_at, id LIMIT ?`, ts(remindBy), ts(now), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*feedback.Item
	for rows.Next() {
		it, err := scanFeedback(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// FeedbackUpdates returns public timeline steps in a period, oldest first,
// with the public id of their item.
func (db *DB) FeedbackUpdates(ctx context.Context, from, to time.Time, limit int) ([]*feedback.Event, error) {
	rows, err := db.query(ctx, `SELECT e.id, e.item_id, e.at, e.type, e.public, e.site_id, e.to_site_id, e.text FROM feedback_events e
		WHERE e.public AND e.at >= ? AND e.at < ? ORDER BY e.at, e.id LIMIT ?`, ts(from), ts(to), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*feedback.Event
	for rows.Next() {
		var e feedback.Event
		if err := rows.Scan(&e.ID, &e.ItemID, &e.At, &e.Type, &e.Public, &e.SiteID, &e.ToSiteID, &e.Text); err != nil {
			return nil, err
		}
		e.At = e.At.UTC()
		out = append(out, &e)
	}
	return out, rows.Err()
}

// FeedbackOverdue counts, per responsible site, the open items (not waiting
// for the citizen) whose deadline has passed, with the oldest deadline.
func (db *DB) FeedbackOverdue(ctx context.Context, now time.Time) (map[int64]feedback.Overdue, error) {
	rows, err := db.query(ctx, `SELECT site_id, due_at FROM feedback_items
		WHERE status IN ('received', 'assigned', 'drafted') AND due_at < ? ORDER BY site_id, due_at`, ts(now))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]feedback.Overdue{}
	for rows.Next() {
		var id int64
		var due time.Time
		if err := rows.Scan(&id, &due); err != nil {
			return nil, err
		}
		o := out[id]
		if o.Count == 0 {
			o.Since = due.UTC()
		}
		o.Count++
		out[id] = o
	}
	return out, rows.Err()
}
