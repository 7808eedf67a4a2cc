package store

import "context"

// AddVisits adds page views per site for a day (YYYY-MM-DD).
func (db *DB) AddVisits(ctx context.Context, day string, views map[int64]int64) error {
	if len(views) == 0 {
		return nil
	}
	return db.InTx(ctx, func(ctx context.Context) error {
		for site, n := range views {
			_, err := db.exec(ctx, `INSERT INTO visits (site_id, day, views) VALUES (?, ?, ?)
				ON CONFLICT (site_id, day) DO UPDATE SET views = visits.views + excluded.views`, site, day, n)
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// VisitTotals returns all-time page views per site.
func (db *DB) VisitTotals(ctx context.Context) (map[int64]int64, error) {
	rows, err := db.query(ctx, `SELECT site_id, SUM(views) FROM visits GROUP BY site_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]int64{}
	for rows.Next() {
		var id, n int64
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}
