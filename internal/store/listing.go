package store

import (
	"context"
	"time"

	"github.com/congvn/cong/internal/contactpoint"
	"github.com/congvn/cong/internal/listing"
)

const listingColumns = `id, site_id, kind, title, summary, number, period, issued_on, owner, location, amount, stage, published, created_at, updated_at`

func scanListing(row interface{ Scan(...any) error }) (*listing.Item, error) {
	var it listing.Item
	err := row.Scan(&it.ID, &it.SiteID, &it.Kind, &it.Title, &it.Summary, &it.Number, &it.Period, &it.IssuedOn, &it.Owner, &it.Location,
		&it.Amount, &it.Stage, &it.Published, &it.Created, &it.Updated)
	it.Created, it.Updated = it.Created.UTC(), it.Updated.UTC()
	return &it, err
}

// CreateListing inserts an item.
func (db *DB) CreateListing(ctx context.Context, it *listing.Item) error {
	return db.InsertListings(ctx, []*listing.Item{it})
}

// InsertListings inserts items.
func (db *DB) InsertListings(ctx context.Context, items []*listing.Item) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		now := ts(time.Now())
		for _, it := range items {
			if it.Created.IsZero() {
				it.Created = now
			}
			it.Created, it.Updated = ts(it.Created), ts(it.Created)
			err := db.queryRowTx(ctx, `INSERT INTO listings (site_id, kind, title, summary, number, period, issued_on, owner, location, amount,
				stage, published, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				it.SiteID, it.Kind, it.Title, it.Summary, it.Number, it.Period, it.IssuedOn, it.Owner, it.Location, it.Amount, it.Stage,
				it.Published, it.Created, it.Updated).Scan(&it.ID)
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// UpdateListing stores an item.
func (db *DB) UpdateListing(ctx context.Context, it *listing.Item) error {
	it.Updated = ts(time.Now())
	res, err := db.exec(ctx, `UPDATE listings SET title = ?, summary = ?, number = ?, period = ?, issued_on = ?, owner = ?, location = ?,
		amount = ?, stage = ?, published = ?, updated_at = ? WHERE id = ?`,
		it.Title, it.Summary, it.Number, it.Period, it.IssuedOn, it.Owner, it.Location, it.Amount, it.Stage, it.Published, it.Updated, it.ID)
	return rowsAffected(res, err, "listing.not_found")
}

// Listing returns an item by id.
func (db *DB) Listing(ctx context.Context, id int64) (*listing.Item, error) {
	it, err := scanListing(db.queryRow(ctx, `SELECT `+listingColumns+` FROM listings WHERE id = ?`, id))
	if err != nil {
		return nil, notFound(err, "listing.not_found")
	}
	return it, nil
}

// Listings returns a page of a site's items of a kind, newest first.
func (db *DB) Listings(ctx context.Context, siteID int64, kind string, publishedOnly bool, limit, offset int) ([]*listing.Item, int, error) {
	where, args := `site_id = ?`, []any{siteID}
	if kind != "" {
		where += ` AND kind = ?`
		args = append(args, kind)
	}
	if publishedOnly {
		where += ` AND published = TRUE`
	}
	var total int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM listings WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := db.query(ctx, `SELECT `+listingColumns+` FROM listings WHERE `+where+` ORDER BY issued_on DESC, id DESC LIMIT ? OFFSET ?`,
		append(args, limit, offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*listing.Item
	for rows.Next() {
		it, err := scanListing(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, it)
	}
	return out, total, rows.Err()
}

// ContactPoints returns a site's contact points, the information officer first.
func (db *DB) ContactPoints(ctx context.Context, siteID int64) ([]*contactpoint.Point, error) {
	rows, err := db.query(ctx, `SELECT id, site_id, role, name, title, title_en, duty, duty_en, phone, email, position, updated_at
		FROM contact_points WHERE site_id = ? ORDER BY CASE WHEN role = 'info_officer' THEN 0 ELSE 1 END, position, id`, siteID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*contactpoint.Point
	for rows.Next() {
		var p contactpoint.Point
		if err := rows.Scan(&p.ID, &p.SiteID, &p.Role, &p.Name, &p.Title, &p.TitleEn, &p.Duty, &p.DutyEn, &p.Phone, &p.Email, &p.Position, &p.Updated); err != nil {
			return nil, err
		}
		p.Updated = p.Updated.UTC()
		out = append(out, &p)
	}
	return out, rows.Err()
}

// ReplaceContactPoints replaces a site's contact points.
func (db *DB) ReplaceContactPoints(ctx context.Context, siteID int64, ps []*contactpoint.Point) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		if _, err := db.exec(ctx, `DELETE FROM contact_points WHERE site_id = ?`, siteID); err != nil {
			return err
		}
		now := ts(time.Now())
		for _, p := range ps {
			p.Updated = now
			err := db.queryRowTx(ctx, `INSERT INTO contact_points (site_id, role, name, title, title_en, duty, duty_en, phone, email, position, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				siteID, p.Role, p.Name, p.Title, p.TitleEn, p.Duty, p.DutyEn, p.Phone, p.Email, p.Position, now).Scan(&p.ID)
			if err != nil {
				return err
			}
		}
		return nil
	})
}
