package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/vietnamese"
)

const unitColumns = `id, code, name, short_name, name_en, kind, parent_id, status, merged_into_id, merged_on, created_at, updated_at`

func scanUnit(row interface{ Scan(...any) error }) (*site.Unit, error) {
	var u site.Unit
	var parent, merged sql.NullInt64
	err := row.Scan(&u.ID, &u.Code, &u.Name, &u.ShortName, &u.NameEn, &u.Kind, &parent, &u.Status, &merged, &u.MergedOn, &u.CreatedAt, &u.UpdatedAt)
	u.ParentID, u.MergedIntoID = parent.Int64, merged.Int64
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	return &u, err
}

// CreateUnit inserts u and sets its ID and times.
func (db *DB) CreateUnit(ctx context.Context, u *site.Unit) error {
	now := ts(time.Now())
	u.CreatedAt, u.UpdatedAt = now, now
	err := db.queryRowTx(ctx, `INSERT INTO units (code, name, short_name, name_en, kind, parent_id, status, merged_into_id, merged_on, sort_key, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		u.Code, u.Name, u.ShortName, u.NameEn, u.Kind, nullID(u.ParentID), u.Status, nullID(u.MergedIntoID), u.MergedOn,
		vietnamese.SortKey(u.Name), now, now).Scan(&u.ID)
	if isUniqueViolation(err) {
		return fault.OnField("code", "unit.code_taken", u.Code)
	}
	if isForeignKeyViolation(err) {
		return fault.OnField("parent", "unit.not_found")
	}
	return err
}

// UpdateUnit stores every mutable field of u.
func (db *DB) UpdateUnit(ctx context.Context, u *site.Unit) error {
	u.UpdatedAt = ts(time.Now())
	res, err := db.exec(ctx, `UPDATE units SET name = ?, short_name = ?, name_en = ?, kind = ?, parent_id = ?, status = ?,
		merged_into_id = ?, merged_on = ?, sort_key = ?, updated_at = ? WHERE id = ?`,
		u.Name, u.ShortName, u.NameEn, u.Kind, nullID(u.ParentID), u.Status, nullID(u.MergedIntoID), u.MergedOn,
		vietnamese.SortKey(u.Name), u.UpdatedAt, u.ID)
	return rowsAffected(res, err, "unit.not_found")
}

// Unit returns a unit by id.
func (db *DB) Unit(ctx context.Context, id int64) (*site.Unit, error) {
	u, err := scanUnit(db.queryRow(ctx, `SELECT `+unitColumns+` FROM units WHERE id = ?`, id))
	return u, notFound(err, "unit.not_found")
}

// UnitByCode returns a unit by code.
func (db *DB) UnitByCode(ctx context.Context, code string) (*site.Unit, error) {
	u, err := scanUnit(db.queryRow(ctx, `SELECT `+unitColumns+` FROM units WHERE code = ?`, code))
	return u, notFound(err, "unit.not_found")
}

// Units returns every unit in Vietnamese alphabetical order.
func (db *DB) Units(ctx context.Context) ([]*site.Unit, error) {
	rows, err := db.query(ctx, `SELECT `+unitColumns+` FROM units ORDER BY sort_key, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*site.Unit
	for rows.Next() {
		u, err := scanUnit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

const siteColumns = `id, code, unit_id, kind, name, name_en, languages, address, address_en, phone, fax, email,
	responsible_name, responsible_title, responsible_title_en, emc_site_id, status, merged_into_id, version, created_at, updated_at`

func scanSite(row interface{ Scan(...any) error }) (*site.Site, error) {
	var s site.Site
	var langs string
	var merged sql.NullInt64
	c := &s.Contact
	err := row.Scan(&s.ID, &s.Code, &s.UnitID, &s.Kind, &s.Name, &s.NameEn, &langs, &c.Address, &c.AddressEn, &c.Phone, &c.Fax, &c.Email,
		&c.ResponsibleName, &c.ResponsibleTitle, &c.ResponsibleTitleEn, &s.EMCID, &s.Status, &merged, &s.Version, &s.Created, &s.Updated)
	s.Langs = strings.Split(langs, ",")
	s.MergedTo = merged.Int64
	s.Created, s.Updated = s.Created.UTC(), s.Updated.UTC()
	return &s, err
}

// CreateSite inserts s with its hosts.
func (db *DB) CreateSite(ctx context.Context, s *site.Site) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		now := ts(time.Now())
		s.Created, s.Updated, s.Version = now, now, 1
		c := s.Contact
		err := db.queryRowTx(ctx, `INSERT INTO sites (code, unit_id, kind, name, name_en, languages, address, address_en, phone, fax, email,
			responsible_name, responsible_title, responsible_title_en, emc_site_id, status, merged_into_id, sort_key, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			s.Code, s.UnitID, s.Kind, s.Name, s.NameEn, strings.Join(s.Langs, ","), c.Address, c.AddressEn, c.Phone, c.Fax, c.Email,
			c.ResponsibleName, c.ResponsibleTitle, c.ResponsibleTitleEn, s.EMCID, s.Status, nullID(s.MergedTo),
			vietnamese.SortKey(s.Name), s.Version, now, now).Scan(&s.ID)
		if isUniqueViolation(err) {
			return fault.OnField("code", "site.code_taken", s.Code)
		}
		if isForeignKeyViolation(err) {
			return fault.OnField("unit", "unit.not_found")
		}
		if err != nil {
			return err
		}
		return db.SetSiteHosts(ctx, s.ID, s.Hosts)
	})
}

// UpdateSite stores s if nobody changed it since it was read.
func (db *DB) UpdateSite(ctx context.Context, s *site.Site) error {
	c := s.Contact
	now := ts(time.Now())
	res, err := db.exec(ctx, `UPDATE sites SET unit_id = ?, kind = ?, name = ?, name_en = ?, languages = ?, address = ?, address_en = ?,
		phone = ?, fax = ?, email = ?, responsible_name = ?, responsible_title = ?, responsible_title_en = ?, emc_site_id = ?,
		status = ?, merged_into_id = ?, sort_key = ?, version = version + 1, updated_at = ?
		WHERE id = ? AND version = ?`,
		s.UnitID, s.Kind, s.Name, s.NameEn, strings.Join(s.Langs, ","), c.Address, c.AddressEn, c.Phone, c.Fax, c.Email,
		c.ResponsibleName, c.ResponsibleTitle, c.ResponsibleTitleEn, s.EMCID, s.Status, nullID(s.MergedTo),
		vietnamese.SortKey(s.Name), now, s.ID, s.Version)
	if err := rowsAffected(res, err, "site.not_found"); err != nil {
		if fault.Is(err, fault.NotFound) {
			return fault.New(fault.Conflict, "site.edited_meanwhile")
		}
		return err
	}
	s.Version++
	s.Updated = now
	return nil
}

// Site returns a site by id, with its hosts.
func (db *DB) Site(ctx context.Context, id int64) (*site.Site, error) {
	return db.oneSite(ctx, `SELECT `+siteColumns+` FROM sites WHERE id = ?`, id)
}

// SiteByCode returns a site by code, with its hosts.
func (db *DB) SiteByCode(ctx context.Context, code string) (*site.Site, error) {
	return db.oneSite(ctx, `SELECT `+siteColumns+` FROM sites WHERE code = ?`, code)
}

func (db *DB) oneSite(ctx context.Context, query string, arg any) (*site.Site, error) {
	s, err := scanSite(db.queryRow(ctx, query, arg))
	if err != nil {
		return nil, notFound(err, "site.not_found")
	}
	rows, err := db.query(ctx, `SELECT host FROM site_hosts WHERE site_id = ? ORDER BY is_primary DESC, host`, s.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return nil, err
		}
		s.Hosts = append(s.Hosts, h)
	}
	return s, rows.Err()
}

// Sites returns every site, merged ones included, in Vietnamese
// alphabetical order, with their hosts.
func (db *DB) Sites(ctx context.Context) ([]*site.Site, error) {
	rows, err := db.query(ctx, `SELECT `+siteColumns+` FROM sites ORDER BY sort_key, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*site.Site
	byID := map[int64]*site.Site{}
	for rows.Next() {
		s, err := scanSite(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
		byID[s.ID] = s
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	hrows, err := db.query(ctx, `SELECT site_id, host FROM site_hosts ORDER BY site_id, is_primary DESC, host`)
	if err != nil {
		return nil, err
	}
	defer hrows.Close()
	for hrows.Next() {
		var id int64
		var h string
		if err := hrows.Scan(&id, &h); err != nil {
			return nil, err
		}
		if s := byID[id]; s != nil {
			s.Hosts = append(s.Hosts, h)
		}
	}
	return out, hrows.Err()
}

// SetSiteHosts replaces the hosts of a site; the first is the primary.
func (db *DB) SetSiteHosts(ctx context.Context, siteID int64, hosts []string) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		if _, err := db.exec(ctx, `DELETE FROM site_hosts WHERE site_id = ?`, siteID); err != nil {
			return err
		}
		for i, h := range hosts {
			_, err := db.exec(ctx, `INSERT INTO site_hosts (host, site_id, is_primary) VALUES (?, ?, ?)`, h, siteID, i == 0)
			if isUniqueViolation(err) {
				return fault.OnField("hosts", "site.host_taken", h)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// contentTables lists the tables whose rows belong to a site (a site_id
// column), so merging a site moves them all. Each later capability adds its
// tables here.
var contentTables []string

// contentMovers run before contentTables are moved, for tables whose unique
// keys need merging rather than a plain move.
var contentMovers []func(ctx context.Context, db *DB, from, to int64) error

// MoveSiteContent gives everything of site from to site to.
func (db *DB) MoveSiteContent(ctx context.Context, from, to int64) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		// Redirects that led to the old site now lead to the new one.
		if _, err := db.exec(ctx, `UPDATE redirects SET to_site_id = ? WHERE to_site_id = ?`, to, from); err != nil {
			return err
		}
		for _, m := range contentMovers {
			if err := m(ctx, db, from, to); err != nil {
				return err
			}
		}
		for _, t := range contentTables {
			if _, err := db.exec(ctx, `UPDATE `+t+` SET site_id = ? WHERE site_id = ?`, to, from); err != nil {
				return err
			}
		}
		return nil
	})
}

// RepointMerged makes sites merged into from point at to.
func (db *DB) RepointMerged(ctx context.Context, from, to int64) error {
	_, err := db.exec(ctx, `UPDATE sites SET merged_into_id = ?, version = version + 1 WHERE merged_into_id = ? AND status = ?`, to, from, site.Merged)
	return err
}

// AddRedirect records that path from on site siteID now lives at toPath on
// site toSite.
func (db *DB) AddRedirect(ctx context.Context, siteID int64, from string, toSite int64, toPath string) error {
	_, err := db.exec(ctx, `INSERT INTO redirects (site_id, from_path, to_site_id, to_path, created_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (site_id, from_path) DO UPDATE SET to_site_id = excluded.to_site_id, to_path = excluded.to_path`,
		siteID, from, toSite, toPath, ts(time.Now()))
	return err
}

// Redirect returns where a path of a site moved to.
func (db *DB) Redirect(ctx context.Context, siteID int64, path string) (int64, string, error) {
	var to int64
	var toPath string
	err := db.queryRow(ctx, `SELECT to_site_id, to_path FROM redirects WHERE site_id = ? AND from_path = ?`, siteID, path).Scan(&to, &toPath)
	return to, toPath, notFound(err, "redirect.not_found")
}

// queryRowTx runs a one-row statement that writes (INSERT … RETURNING) in the
// transaction in ctx, or on the write connection.
func (db *DB) queryRowTx(ctx context.Context, query string, args ...any) *sql.Row {
	if st, ok := ctx.Value(txKey{}).(*txState); ok && st.db == db {
		return st.tx.QueryRowContext(ctx, db.q(query), args...)
	}
	return db.write.QueryRowContext(ctx, db.q(query), args...)
}
