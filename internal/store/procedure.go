package store

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/congvn/cong/internal/procedure"
	"github.com/congvn/cong/internal/vietnamese"
)

const procedureColumns = `id, site_id, code, name, field, level, agency, steps, dossier, time_limit, fees, legal_basis, forms,
	online_url, published, source, created_at, updated_at`

func scanProcedure(row interface{ Scan(...any) error }) (*procedure.Procedure, error) {
	var p procedure.Procedure
	var steps, dossier, basis, forms string
	err := row.Scan(&p.ID, &p.SiteID, &p.Code, &p.Name, &p.Field, &p.Level, &p.Agency, &steps, &dossier, &p.TimeLimit, &p.Fees,
		&basis, &forms, &p.OnlineURL, &p.Published, &p.Source, &p.Created, &p.Updated)
	if err != nil {
		return nil, err
	}
	p.Steps, p.Dossier, p.LegalBasis = splitLines(steps), splitLines(dossier), splitLines(basis)
	if forms != "" {
		json.Unmarshal([]byte(forms), &p.Forms)
	}
	p.Created, p.Updated = p.Created.UTC(), p.Updated.UTC()
	return &p, nil
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// UpsertProcedures inserts procedures, replacing those with the same code
// on the same site, fifty to a statement.
func (db *DB) UpsertProcedures(ctx context.Context, ps []*procedure.Procedure) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		now := ts(time.Now())
		for len(ps) > 0 {
			n := min(len(ps), 50)
			batch := ps[:n]
			var b strings.Builder
			b.WriteString(`INSERT INTO procedures (site_id, code, name, search_key, field, level, agency, steps, dossier,
				time_limit, fees, legal_basis, forms, online_url, published, source, created_at, updated_at) VALUES `)
			args := make([]any, 0, n*18)
			byKey := map[string]*procedure.Procedure{}
			for i, p := range batch {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
				forms := ""
				if len(p.Forms) > 0 {
					f, _ := json.Marshal(p.Forms)
					forms = string(f)
				}
				p.Created, p.Updated = now, now
				byKey[strconv.FormatInt(p.SiteID, 10)+"|"+p.Code] = p
				args = append(args, p.SiteID, p.Code, p.Name, vietnamese.Fold(p.Name+" "+p.Code+" "+p.Field), p.Field, p.Level, p.Agency,
					strings.Join(p.Steps, "\n"), strings.Join(p.Dossier, "\n"), p.TimeLimit, p.Fees, strings.Join(p.LegalBasis, "\n"), forms,
					p.OnlineURL, p.Published, p.Source, now, now)
			}
			b.WriteString(` ON CONFLICT (site_id, code) DO UPDATE SET name = excluded.name, search_key = excluded.search_key, field = excluded.field,
				level = excluded.level, agency = excluded.agency, steps = excluded.steps, dossier = excluded.dossier,
				time_limit = excluded.time_limit, fees = excluded.fees, legal_basis = excluded.legal_basis, forms = excluded.forms,
				online_url = excluded.online_url, published = excluded.published, source = excluded.source, updated_at = excluded.updated_at
				RETURNING id, site_id, code`)
			rows, err := db.reader(ctx).QueryContext(ctx, db.q(b.String()), args...)
			if err != nil {
				return err
			}
			for rows.Next() {
				var id, site int64
				var code string
				if err := rows.Scan(&id, &site, &code); err != nil {
					rows.Close()
					return err
				}
				if p := byKey[strconv.FormatInt(site, 10)+"|"+code]; p != nil {
					p.ID = id
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			ps = ps[n:]
		}
		return nil
	})
}

// Procedure returns a site's procedure by code.
func (db *DB) Procedure(ctx context.Context, siteID int64, code string) (*procedure.Procedure, error) {
	p, err := scanProcedure(db.queryRow(ctx, `SELECT `+procedureColumns+` FROM procedures WHERE site_id = ? AND code = ?`, siteID, code))
	if err != nil {
		return nil, notFound(err, "procedure.not_found")
	}
	return p, nil
}

// Procedures returns a page of a site's published procedures, by name.
func (db *DB) Procedures(ctx context.Context, q procedure.Query) ([]*procedure.Procedure, int, error) {
	where := `site_id = ? AND published = TRUE`
	args := []any{q.SiteID}
	for _, w := range strings.Fields(q.Text) {
		where += ` AND search_key LIKE ?`
		args = append(args, "%"+strings.NewReplacer("%", "", "_", "").Replace(w)+"%")
	}
	if q.Field != "" {
		where += ` AND field = ?`
		args = append(args, q.Field)
	}
	if q.Level != "" {
		where += ` AND level = ?`
		args = append(args, q.Level)
	}
	var total int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM procedures WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := db.query(ctx, `SELECT `+procedureColumns+` FROM procedures WHERE `+where+` ORDER BY field, name, id LIMIT ? OFFSET ?`,
		append(args, q.Limit, q.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*procedure.Procedure
	for rows.Next() {
		p, err := scanProcedure(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, p)
	}
	return out, total, rows.Err()
}

// ProcedureFields returns the fields of a site's published procedures.
func (db *DB) ProcedureFields(ctx context.Context, siteID int64) ([]string, error) {
	rows, err := db.query(ctx, `SELECT DISTINCT field FROM procedures WHERE site_id = ? AND published = TRUE AND field <> '' ORDER BY field`, siteID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var f string
		if err := rows.Scan(&f); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// UpsertStats stores dossier statistics, replacing a period imported again.
func (db *DB) UpsertStats(ctx context.Context, st []*procedure.Stat) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		for _, s := range st {
			_, err := db.exec(ctx, `INSERT INTO procedure_stats (site_id, period, field, received, on_time, late, pending, imported_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (site_id, period, field) DO UPDATE SET received = excluded.received,
				on_time = excluded.on_time, late = excluded.late, pending = excluded.pending, imported_at = excluded.imported_at`,
				s.SiteID, s.Period, s.Field, s.Received, s.OnTime, s.Late, s.Pending, ts(s.Imported))
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// Stats returns a site's dossier statistics, newest period first.
func (db *DB) Stats(ctx context.Context, siteID int64) ([]*procedure.Stat, error) {
	rows, err := db.query(ctx, `SELECT site_id, period, field, received, on_time, late, pending, imported_at FROM procedure_stats
		WHERE site_id = ? ORDER BY period DESC, field`, siteID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*procedure.Stat
	for rows.Next() {
		var s procedure.Stat
		if err := rows.Scan(&s.SiteID, &s.Period, &s.Field, &s.Received, &s.OnTime, &s.Late, &s.Pending, &s.Imported); err != nil {
			return nil, err
		}
		s.Imported = s.Imported.UTC()
		out = append(out, &s)
	}
	return out, rows.Err()
}
