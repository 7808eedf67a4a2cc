package store

import (
	"context"
	"strings"

	"github.com/congvn/cong/internal/feedback"
)

// ImportFeedback inserts items in their final state, with their timelines,
// many rows per statement: for the demo and for imports, where thousands of
// items arrive at once. Items get consecutive ids after the largest one;
// each event's ItemID is the index of its item in items.
func (db *DB) ImportFeedback(ctx context.Context, items []*feedback.Item, events []*feedback.Event) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		if err := db.lock(ctx, lockFeedbackImport); err != nil {
			return err
		}
		var next int64
		if err := db.queryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM feedback_items`).Scan(&next); err != nil {
			return err
		}
		for _, it := range items {
			next++
			it.ID, it.Version = next, 1
		}
		const cols = `id, code, kind, site_id, origin_site_id, category, title, body, address, lat, lon,
			contact_name, contact_phone, contact_email, consent_purpose, consent_at, notify, status, verified, source,
			received_at, due_at, paused_at, reminded_at, answered_at, published_at, closed_at, updated_at,
			escalation_level, escalated_site_id, duplicate_of, answer, answer_site_id, reason,
			public_name, public_title, public_body, public_place, public_fold, rating, rated_at, fingerprint, sketch, version,
			b0, b1, b2, b3, b4, b5`
		const per = 100
		for start := 0; start < len(items); start += per {
			batch := items[start:min(start+per, len(items))]
			var rows []string
			var args []any
			for _, it := range batch {
				a := []any{it.ID, it.Code, it.Kind, it.SiteID, it.OriginSiteID, it.Category, it.Title, it.Body, it.Place.Address,
					nullFloat(it.Place.HasPoint, it.Place.Lat), nullFloat(it.Place.HasPoint, it.Place.Lon),
					it.Contact.Name, it.Contact.Phone, it.Contact.Email, it.Consent.Purpose, ts(it.Consent.At), it.Consent.Notify,
					it.Status, it.Verified, it.Source, ts(it.ReceivedAt), ts(it.DueAt), nullTS(it.PausedAt), nullTS(it.RemindedAt),
					nullTS(it.AnsweredAt), nullTS(it.PublishedAt), nullTS(it.ClosedAt), ts(it.UpdatedAt),
					it.EscalationLevel, nullID(it.EscalatedSiteID), nullID(it.DuplicateOf), it.Answer, nullID(it.AnswerSiteID), it.Reason,
					it.PublicName, it.PublicTitle, it.PublicBody, it.PublicPlace, publicFold(it), it.Rating, nullTS(it.RatedAt),
					it.Fingerprint, int64(it.Sketch), it.Version}
				a = append(a, bandArgs(it.Sketch)...)
				rows = append(rows, "("+placeholders(len(a))+")")
				args = append(args, a...)
			}
			if _, err := db.exec(ctx, `INSERT INTO feedback_items (`+cols+`) VALUES `+strings.Join(rows, ", "), args...); err != nil {
				return err
			}
		}
		const perEv = 400
		for start := 0; start < len(events); start += perEv {
			batch := events[start:min(start+perEv, len(events))]
			var rows []string
			var args []any
			for _, e := range batch {
				rows = append(rows, "(?, ?, ?, ?, ?, ?, ?, ?)")
				args = append(args, items[e.ItemID].ID, ts(e.At), e.Type, e.Public, e.Actor, e.SiteID, e.ToSiteID, e.Text)
			}
			if _, err := db.exec(ctx, `INSERT INTO feedback_events (item_id, at, type, public, actor, site_id, to_site_id, text) VALUES `+
				strings.Join(rows, ", "), args...); err != nil {
				return err
			}
		}
		if db.engine == Postgres && len(items) > 0 {
			_, err := db.exec(ctx, `SELECT setval(pg_get_serial_sequence('feedback_items', 'id'), (SELECT MAX(id) FROM feedback_items))`)
			return err
		}
		return nil
	})
}
