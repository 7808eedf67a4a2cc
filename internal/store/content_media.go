package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"github.com/congvn/cong/internal/content"
	"github.com/congvn/cong/internal/media"
	"github.com/congvn/cong/internal/vietnamese"
)

// Media.

const mediaColumns = `id, site_id, kind, name, path, mime, size, width, height, alt, caption, transcript, track_path, variants, sha256, created_by, created_at, updated_at`

func scanMedia(row interface{ Scan(...any) error }, extra ...any) (*media.Item, error) {
	var m media.Item
	var variants string
	err := row.Scan(append([]any{&m.ID, &m.SiteID, &m.Kind, &m.Name, &m.Path, &m.MIME, &m.Size, &m.Width, &m.Height, &m.Alt, &m.Caption,
		&m.Transcript, &m.TrackPath, &variants, &m.SHA256, &m.CreatedBy, &m.Created, &m.Updated}, extra...)...)
	for _, p := range strings.Split(variants, ",") {
		if w, err := strconv.Atoi(p); err == nil {
			m.Variants = append(m.Variants, w)
		}
	}
	m.Created, m.Updated = m.Created.UTC(), m.Updated.UTC()
	return &m, err
}

func joinInts(xs []int) string {
	var b strings.Builder
	for i, x := range xs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(x))
	}
	return b.String()
}

func mediaFold(m *media.Item) string {
	return vietnamese.Fold(m.Name + " " + m.Alt + " " + m.Caption)
}

// CreateMedia inserts m.
func (db *DB) CreateMedia(ctx context.Context, m *media.Item) error {
	now := ts(time.Now())
	m.Created, m.Updated = now, now
	return db.queryRowTx(ctx, `INSERT INTO media (site_id, kind, name, path, mime, size, width, height, alt, caption, transcript, track_path,
		variants, sha256, fold, created_by, created_at, updated_at) VALUES (`+placeholders(18)+`) RETURNING id`,
		m.SiteID, m.Kind, m.Name, m.Path, m.MIME, m.Size, m.Width, m.Height, m.Alt, m.Caption, m.Transcript, m.TrackPath,
		joinInts(m.Variants), m.SHA256, mediaFold(m), m.CreatedBy, now, now).Scan(&m.ID)
}

// InsertMedia adds many items at once, with the ids they hold (from
// NextIDs): the demo's pictures and clips.
func (db *DB) InsertMedia(ctx context.Context, items []*media.Item) error {
	rows := make([][]any, len(items))
	for i, m := range items {
		t := ts(m.Created)
		rows[i] = []any{m.ID, m.SiteID, m.Kind, m.Name, m.Path, m.MIME, m.Size, m.Width, m.Height, m.Alt, m.Caption, m.Transcript,
			m.TrackPath, joinInts(m.Variants), m.SHA256, mediaFold(m), m.CreatedBy, t, t}
	}
	return db.InsertMany(ctx, "media", []string{"id", "site_id", "kind", "name", "path", "mime", "size", "width", "height", "alt", "caption",
		"transcript", "track_path", "variants", "sha256", "fold", "created_by", "created_at", "updated_at"}, rows)
}

// UpdateMedia stores m's descriptions and variants.
func (db *DB) UpdateMedia(ctx context.Context, m *media.Item) error {
	m.Updated = ts(time.Now())
	res, err := db.exec(ctx, `UPDATE media SET alt = ?, caption = ?, transcript = ?, track_path = ?, variants = ?, fold = ?, updated_at = ? WHERE id = ?`,
		m.Alt, m.Caption, m.Transcript, m.TrackPath, joinInts(m.Variants), mediaFold(m), m.Updated, m.ID)
	return rowsAffected(res, err, "media.not_found")
}

// MediaItem returns a media item by id.
func (db *DB) MediaItem(ctx context.Context, id int64) (*media.Item, error) {
	m, err := scanMedia(db.queryRow(ctx, `SELECT `+mediaColumns+` FROM media WHERE id = ?`, id))
	return m, notFound(err, "media.not_found")
}

// MediaByPath returns the media item stored at path.
func (db *DB) MediaByPath(ctx context.Context, path string) (*media.Item, error) {
	m, err := scanMedia(db.queryRow(ctx, `SELECT `+mediaColumns+` FROM media WHERE path = ?`, path))
	return m, notFound(err, "media.not_found")
}

// MediaItems returns media items by id.
func (db *DB) MediaItems(ctx context.Context, ids []int64) (map[int64]*media.Item, error) {
	out := map[int64]*media.Item{}
	for len(ids) > 0 {
		n := min(len(ids), 500)
		args := make([]any, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		ids = ids[n:]
		rows, err := db.query(ctx, `SELECT `+mediaColumns+` FROM media WHERE id IN (`+placeholders(n)+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			m, err := scanMedia(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			out[m.ID] = m
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// MediaList lists a site's media, newest first, with the total.
func (db *DB) MediaList(ctx context.Context, f media.Filter) ([]*media.Item, int, error) {
	where := []string{"site_id = ?"}
	args := []any{f.SiteID}
	if f.Kind != "" {
		where = append(where, "kind = ?")
		args = append(args, f.Kind)
	}
	for _, w := range strings.Fields(vietnamese.Fold(f.Query)) {
		where = append(where, `fold LIKE ? ESCAPE '\'`)
		args = append(args, "%"+escapeLike(w)+"%")
	}
	args = append(args, f.PerPage, (f.Page-1)*f.PerPage)
	rows, err := db.query(ctx, `SELECT `+mediaColumns+`, COUNT(*) OVER () FROM media WHERE `+strings.Join(where, " AND ")+
		` ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*media.Item
	total := 0
	for rows.Next() {
		m, err := scanMedia(rows, &total)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, m)
	}
	return out, total, rows.Err()
}

// Extras: links, the work schedule, leaders, the org chart.

// Links returns a site's links in order.
func (db *DB) Links(ctx context.Context, siteID int64) ([]*content.Link, error) {
	rows, err := db.query(ctx, `SELECT id, site_id, title, url, position FROM web_links WHERE site_id = ? ORDER BY position, id`, siteID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*content.Link
	for rows.Next() {
		var l content.Link
		if err := rows.Scan(&l.ID, &l.SiteID, &l.Title, &l.URL, &l.Position); err != nil {
			return nil, err
		}
		out = append(out, &l)
	}
	return out, rows.Err()
}

// SaveLink inserts (ID 0) or updates a link.
func (db *DB) SaveLink(ctx context.Context, l *content.Link) error {
	if l.ID == 0 {
		return db.queryRowTx(ctx, `INSERT INTO web_links (site_id, title, url, position, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			l.SiteID, l.Title, l.URL, l.Position, ts(time.Now())).Scan(&l.ID)
	}
	res, err := db.exec(ctx, `UPDATE web_links SET title = ?, url = ?, position = ? WHERE id = ? AND site_id = ?`, l.Title, l.URL, l.Position, l.ID, l.SiteID)
	return rowsAffected(res, err, "link.not_found")
}

// DeleteLink removes a link of a site.
func (db *DB) DeleteLink(ctx context.Context, siteID, id int64) error {
	res, err := db.exec(ctx, `DELETE FROM web_links WHERE id = ? AND site_id = ?`, id, siteID)
	return rowsAffected(res, err, "link.not_found")
}

// Appointments returns a site's schedule between two days, inclusive.
func (db *DB) Appointments(ctx context.Context, siteID int64, from, to string) ([]*content.Appointment, error) {
	rows, err := db.query(ctx, `SELECT id, site_id, day, at, leader, content, location, participants, updated_at FROM work_schedule
		WHERE site_id = ? AND day >= ? AND day <= ? ORDER BY day, at, id`, siteID, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*content.Appointment
	for rows.Next() {
		var a content.Appointment
		if err := rows.Scan(&a.ID, &a.SiteID, &a.Day, &a.At, &a.Leader, &a.Content, &a.Location, &a.Participants, &a.Updated); err != nil {
			return nil, err
		}
		a.Updated = a.Updated.UTC()
		out = append(out, &a)
	}
	return out, rows.Err()
}

// SaveAppointment inserts (ID 0) or updates an appointment.
func (db *DB) SaveAppointment(ctx context.Context, a *content.Appointment) error {
	now := ts(a.Updated)
	if a.ID == 0 {
		return db.queryRowTx(ctx, `INSERT INTO work_schedule (site_id, day, at, leader, content, location, participants, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, a.SiteID, a.Day, a.At, a.Leader, a.Content, a.Location, a.Participants, now, now).Scan(&a.ID)
	}
	res, err := db.exec(ctx, `UPDATE work_schedule SET day = ?, at = ?, leader = ?, content = ?, location = ?, participants = ?, updated_at = ?
		WHERE id = ? AND site_id = ?`, a.Day, a.At, a.Leader, a.Content, a.Location, a.Participants, now, a.ID, a.SiteID)
	return rowsAffected(res, err, "schedule.not_found")
}

// DeleteAppointment removes an appointment of a site.
func (db *DB) DeleteAppointment(ctx context.Context, siteID, id int64) error {
	res, err := db.exec(ctx, `DELETE FROM work_schedule WHERE id = ? AND site_id = ?`, id, siteID)
	return rowsAffected(res, err, "schedule.not_found")
}

// Leaders returns a site's leaders in order.
func (db *DB) Leaders(ctx context.Context, siteID int64) ([]*content.Leader, error) {
	rows, err := db.query(ctx, `SELECT id, site_id, name, title, title_en, photo_id, phone, email, duties, position, updated_at FROM leaders
		WHERE site_id = ? ORDER BY position, id`, siteID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*content.Leader
	for rows.Next() {
		var l content.Leader
		var photo sql.NullInt64
		if err := rows.Scan(&l.ID, &l.SiteID, &l.Name, &l.Title, &l.TitleEn, &photo, &l.Phone, &l.Email, &l.Duties, &l.Position, &l.Updated); err != nil {
			return nil, err
		}
		l.PhotoID, l.Updated = photo.Int64, l.Updated.UTC()
		out = append(out, &l)
	}
	return out, rows.Err()
}

// SaveLeader inserts (ID 0) or updates a leader.
func (db *DB) SaveLeader(ctx context.Context, l *content.Leader) error {
	now := ts(l.Updated)
	if l.ID == 0 {
		return db.queryRowTx(ctx, `INSERT INTO leaders (site_id, name, title, title_en, photo_id, phone, email, duties, position, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, l.SiteID, l.Name, l.Title, l.TitleEn, nullID(l.PhotoID), l.Phone, l.Email, l.Duties, l.Position, now).Scan(&l.ID)
	}
	res, err := db.exec(ctx, `UPDATE leaders SET name = ?, title = ?, title_en = ?, photo_id = ?, phone = ?, email = ?, duties = ?, position = ?, updated_at = ?
		WHERE id = ? AND site_id = ?`, l.Name, l.Title, l.TitleEn, nullID(l.PhotoID), l.Phone, l.Email, l.Duties, l.Position, now, l.ID, l.SiteID)
	return rowsAffected(res, err, "leader.not_found")
}

// OrgUnits returns a site's divisions in order.
func (db *DB) OrgUnits(ctx context.Context, siteID int64) ([]*content.OrgUnit, error) {
	rows, err := db.query(ctx, `SELECT id, site_id, parent_id, name, name_en, head, phone, position FROM org_units WHERE site_id = ? ORDER BY position, id`, siteID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*content.OrgUnit
	for rows.Next() {
		var o content.OrgUnit
		var parent sql.NullInt64
		if err := rows.Scan(&o.ID, &o.SiteID, &parent, &o.Name, &o.NameEn, &o.Head, &o.Phone, &o.Position); err != nil {
			return nil, err
		}
		o.ParentID = parent.Int64
		out = append(out, &o)
	}
	return out, rows.Err()
}

// SaveOrgUnit inserts (ID 0) or updates a division.
func (db *DB) SaveOrgUnit(ctx context.Context, o *content.OrgUnit) error {
	if o.ID == 0 {
		return db.queryRowTx(ctx, `INSERT INTO org_units (site_id, parent_id, name, name_en, head, phone, position) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			o.SiteID, nullID(o.ParentID), o.Name, o.NameEn, o.Head, o.Phone, o.Position).Scan(&o.ID)
	}
	res, err := db.exec(ctx, `UPDATE org_units SET parent_id = ?, name = ?, name_en = ?, head = ?, phone = ?, position = ? WHERE id = ? AND site_id = ?`,
		nullID(o.ParentID), o.Name, o.NameEn, o.Head, o.Phone, o.Position, o.ID, o.SiteID)
	return rowsAffected(res, err, "org.not_found")
}
