package store

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/opendata"
)

// NextDataSeq increments the open data change counter in the transaction in
// ctx. The row stays locked until the transaction ends, so counters commit
// in the order they were taken (see opendata's catalogue).
func (db *DB) NextDataSeq(ctx context.Context) (int64, error) {
	var n int64
	err := db.queryRowTx(ctx, `UPDATE od_state SET value = value + 1 WHERE key = 'seq' RETURNING value`).Scan(&n)
	return n, err
}

// DataSeq returns the committed change counter.
func (db *DB) DataSeq(ctx context.Context) (int64, error) {
	var n int64
	err := db.queryRow(ctx, `SELECT value FROM od_state WHERE key = 'seq'`).Scan(&n)
	return n, err
}

const datasetColumns = `id, name, site_id, title, notes, license_id, frequency, temporal_start, temporal_end, spatial,
	contact_name, contact_email, source_url, version, feed, state, creator_id, created_at, modified_at, seq`

func scanDataset(row interface{ Scan(...any) error }) (*opendata.Dataset, error) {
	var d opendata.Dataset
	err := row.Scan(&d.ID, &d.Name, &d.SiteID, &d.Title, &d.Notes, &d.LicenseID, &d.Frequency, &d.TemporalStart, &d.TemporalEnd,
		&d.Spatial, &d.ContactName, &d.ContactEmail, &d.SourceURL, &d.Version, &d.Feed, &d.State, &d.CreatorID, &d.Created, &d.Modified, &d.Seq)
	d.Created, d.Modified = d.Created.UTC(), d.Modified.UTC()
	return &d, err
}

// CreateDataset inserts d with its tags and groups.
func (db *DB) CreateDataset(ctx context.Context, d *opendata.Dataset) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		_, err := db.exec(ctx, `INSERT INTO od_datasets (`+datasetColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			d.ID, d.Name, d.SiteID, d.Title, d.Notes, d.LicenseID, d.Frequency, d.TemporalStart, d.TemporalEnd, d.Spatial,
			d.ContactName, d.ContactEmail, d.SourceURL, d.Version, d.Feed, d.State, d.CreatorID, ts(d.Created), ts(d.Modified), d.Seq)
		if isUniqueViolation(err) {
			return fault.OnField("name", "data.name_taken", d.Name)
		}
		if isForeignKeyViolation(err) {
			return fault.OnField("owner_org", "data.owner_invalid")
		}
		if err != nil {
			return err
		}
		return db.setDatasetLinks(ctx, d)
	})
}

// UpdateDataset stores every field of d, with its tags and groups.
func (db *DB) UpdateDataset(ctx context.Context, d *opendata.Dataset) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		res, err := db.exec(ctx, `UPDATE od_datasets SET name = ?, site_id = ?, title = ?, notes = ?, license_id = ?, frequency = ?,
			temporal_start = ?, temporal_end = ?, spatial = ?, contact_name = ?, contact_email = ?, source_url = ?, version = ?,
			feed = ?, state = ?, modified_at = ?, seq = ? WHERE id = ?`,
			d.Name, d.SiteID, d.Title, d.Notes, d.LicenseID, d.Frequency, d.TemporalStart, d.TemporalEnd, d.Spatial,
			d.ContactName, d.ContactEmail, d.SourceURL, d.Version, d.Feed, d.State, ts(d.Modified), d.Seq, d.ID)
		if isUniqueViolation(err) {
			return fault.OnField("name", "data.name_taken", d.Name)
		}
		if err := rowsAffected(res, err, "data.not_found"); err != nil {
			return err
		}
		if _, err := db.exec(ctx, `DELETE FROM od_dataset_tags WHERE dataset_id = ?`, d.ID); err != nil {
			return err
		}
		if _, err := db.exec(ctx, `DELETE FROM od_dataset_groups WHERE dataset_id = ?`, d.ID); err != nil {
			return err
		}
		return db.setDatasetLinks(ctx, d)
	})
}

// TouchDataset records that a dataset's resources changed.
func (db *DB) TouchDataset(ctx context.Context, id string, seq int64, modified time.Time) error {
	res, err := db.exec(ctx, `UPDATE od_datasets SET seq = ?, modified_at = ? WHERE id = ?`, seq, ts(modified), id)
	return rowsAffected(res, err, "data.not_found")
}

func (db *DB) setDatasetLinks(ctx context.Context, d *opendata.Dataset) error {
	for _, t := range d.Tags {
		if _, err := db.exec(ctx, `INSERT INTO od_dataset_tags (dataset_id, tag) VALUES (?, ?)`, d.ID, t); err != nil {
			return err
		}
	}
	for _, g := range d.Groups {
		res, err := db.exec(ctx, `INSERT INTO od_dataset_groups (dataset_id, group_id) SELECT ?, id FROM od_groups WHERE name = ?`, d.ID, g)
		if err := rowsAffected(res, err, "data.group_unknown"); err != nil {
			return fault.OnField("groups", "data.group_unknown", g)
		}
	}
	return nil
}

// Dataset returns a dataset by id or name, with tags, groups and active
// resources.
func (db *DB) Dataset(ctx context.Context, idOrName string) (*opendata.Dataset, error) {
	d, err := scanDataset(db.queryRow(ctx, `SELECT `+datasetColumns+` FROM od_datasets WHERE id = ? OR name = ?`, idOrName, idOrName))
	if err != nil {
		return nil, notFound(err, "data.not_found")
	}
	if err := db.fillDatasets(ctx, map[string]*opendata.Dataset{d.ID: d}, `dataset_id = ?`, d.ID); err != nil {
		return nil, err
	}
	return d, nil
}

// DatasetsSince returns the datasets written after change counter seq.
func (db *DB) DatasetsSince(ctx context.Context, seq int64) ([]*opendata.Dataset, error) {
	rows, err := db.query(ctx, `SELECT `+datasetColumns+` FROM od_datasets WHERE seq > ? ORDER BY seq`, seq)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*opendata.Dataset
	byID := map[string]*opendata.Dataset{}
	for rows.Next() {
		d, err := scanDataset(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
		byID[d.ID] = d
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if len(out) == 0 {
		return nil, nil
	}
	return out, db.fillDatasets(ctx, byID, `dataset_id IN (SELECT id FROM od_datasets WHERE seq > ?)`, seq)
}

// fillDatasets adds tags, groups and resources to datasets, selected by
// where (on dataset_id) with arg.
func (db *DB) fillDatasets(ctx context.Context, byID map[string]*opendata.Dataset, where string, arg any) error {
	rows, err := db.query(ctx, `SELECT dataset_id, tag FROM od_dataset_tags WHERE `+where+` ORDER BY dataset_id, tag`, arg)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id, tag string
		if err := rows.Scan(&id, &tag); err != nil {
			rows.Close()
			return err
		}
		if d := byID[id]; d != nil {
			d.Tags = append(d.Tags, tag)
		}
	}
	rows.Close()
	rows, err = db.query(ctx, `SELECT dg.dataset_id, g.name FROM od_dataset_groups dg JOIN od_groups g ON g.id = dg.group_id
		WHERE dg.`+where+` ORDER BY dg.dataset_id, g.name`, arg)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return err
		}
		if d := byID[id]; d != nil {
			d.Groups = append(d.Groups, name)
		}
	}
	rows.Close()
	rows, err = db.query(ctx, `SELECT `+resourceColumns+` FROM od_resources WHERE state <> 'deleted' AND `+where+` ORDER BY dataset_id, position`, arg)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanResource(rows)
		if err != nil {
			return err
		}
		if d := byID[r.DatasetID]; d != nil {
			d.Resources = append(d.Resources, r)
		}
	}
	return rows.Err()
}

// CreateGroup inserts a theme.
func (db *DB) CreateGroup(ctx context.Context, g *opendata.Group) error {
	_, err := db.exec(ctx, `INSERT INTO od_groups (id, name, title, title_en, description, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		g.ID, g.Name, g.Title, g.TitleEn, g.Description, ts(g.Created))
	if isUniqueViolation(err) {
		return fault.OnField("name", "data.name_taken", g.Name)
	}
	return err
}

// Groups returns every theme by title.
func (db *DB) Groups(ctx context.Context) ([]*opendata.Group, error) {
	rows, err := db.query(ctx, `SELECT id, name, title, title_en, description, created_at FROM od_groups ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*opendata.Group
	for rows.Next() {
		var g opendata.Group
		if err := rows.Scan(&g.ID, &g.Name, &g.Title, &g.TitleEn, &g.Description, &g.Created); err != nil {
			return nil, err
		}
		g.Created = g.Created.UTC()
		out = append(out, &g)
	}
	return out, rows.Err()
}

const resourceColumns = `id, dataset_id, position, name, description, format, mimetype, url, filename, size, hash, version, state,
	datastore_table, datastore_rows, columns, load_report, downloads, created_at, last_modified`

func scanResource(row interface{ Scan(...any) error }) (*opendata.Resource, error) {
	var r opendata.Resource
	var cols, report string
	err := row.Scan(&r.ID, &r.DatasetID, &r.Position, &r.Name, &r.Description, &r.Format, &r.Mimetype, &r.URL, &r.Filename, &r.Size,
		&r.Hash, &r.Version, &r.State, &r.Datastore, &r.Rows, &cols, &report, &r.Downloads, &r.Created, &r.Modified)
	if err != nil {
		return nil, err
	}
	r.Created, r.Modified = r.Created.UTC(), r.Modified.UTC()
	if cols != "" {
		if err := json.Unmarshal([]byte(cols), &r.Columns); err != nil {
			return nil, err
		}
	}
	if report != "" {
		r.Report = &opendata.LoadReport{}
		if err := json.Unmarshal([]byte(report), r.Report); err != nil {
			return nil, err
		}
	}
	return &r, nil
}

func resourceJSON(r *opendata.Resource) (string, string) {
	var cols, report string
	if len(r.Columns) > 0 {
		b, _ := json.Marshal(r.Columns)
		cols = string(b)
	}
	if r.Report != nil {
		b, _ := json.Marshal(r.Report)
		report = string(b)
	}
	return cols, report
}

// CreateResource inserts r.
func (db *DB) CreateResource(ctx context.Context, r *opendata.Resource) error {
	cols, report := resourceJSON(r)
	_, err := db.exec(ctx, `INSERT INTO od_resources (`+resourceColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.DatasetID, r.Position, r.Name, r.Description, r.Format, r.Mimetype, r.URL, r.Filename, r.Size, r.Hash, r.Version, r.State,
		r.Datastore, r.Rows, cols, report, r.Downloads, ts(r.Created), ts(r.Modified))
	return err
}

// UpdateResource stores every field of r but its download count.
func (db *DB) UpdateResource(ctx context.Context, r *opendata.Resource) error {
	cols, report := resourceJSON(r)
	res, err := db.exec(ctx, `UPDATE od_resources SET position = ?, name = ?, description = ?, format = ?, mimetype = ?, url = ?,
		filename = ?, size = ?, hash = ?, version = ?, state = ?, datastore_table = ?, datastore_rows = ?, columns = ?, load_report = ?,
		last_modified = ? WHERE id = ?`,
		r.Position, r.Name, r.Description, r.Format, r.Mimetype, r.URL, r.Filename, r.Size, r.Hash, r.Version, r.State,
		r.Datastore, r.Rows, cols, report, ts(r.Modified), r.ID)
	return rowsAffected(res, err, "data.resource_not_found")
}

// Resource returns a resource by id.
func (db *DB) Resource(ctx context.Context, id string) (*opendata.Resource, error) {
	r, err := scanResource(db.queryRow(ctx, `SELECT `+resourceColumns+` FROM od_resources WHERE id = ?`, id))
	if err != nil {
		if fe := notFound(err, "data.resource_not_found"); fault.Is(fe, fault.NotFound) {
			return nil, fault.New(fault.NotFound, "data.resource_not_found", id)
		}
		return nil, err
	}
	return r, nil
}

// AddFileVersion records a file a resource now has.
func (db *DB) AddFileVersion(ctx context.Context, v *opendata.FileVersion) error {
	_, err := db.exec(ctx, `INSERT INTO od_resource_versions (resource_id, version, filename, path, size, hash, format, encoding, created_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, v.ResourceID, v.Version, v.Filename, v.Path, v.Size, v.Hash, v.Format, v.Encoding, ts(v.Created), v.CreatedBy)
	return err
}

// FileVersions lists a resource's files, oldest first.
func (db *DB) FileVersions(ctx context.Context, resourceID string) ([]*opendata.FileVersion, error) {
	rows, err := db.query(ctx, `SELECT resource_id, version, filename, path, size, hash, format, encoding, created_at, created_by
		FROM od_resource_versions WHERE resource_id = ? ORDER BY version`, resourceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*opendata.FileVersion
	for rows.Next() {
		var v opendata.FileVersion
		if err := rows.Scan(&v.ResourceID, &v.Version, &v.Filename, &v.Path, &v.Size, &v.Hash, &v.Format, &v.Encoding, &v.Created, &v.CreatedBy); err != nil {
			return nil, err
		}
		v.Created = v.Created.UTC()
		out = append(out, &v)
	}
	return out, rows.Err()
}

// AddDownloads adds download counts per resource.
func (db *DB) AddDownloads(ctx context.Context, counts map[string]int64) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		for id, n := range counts {
			if _, err := db.exec(ctx, `UPDATE od_resources SET downloads = downloads + ? WHERE id = ?`, n, id); err != nil {
				return err
			}
		}
		return nil
	})
}

// quoteIdent quotes a generated identifier (table names are built from
// UUIDs and numbers, never from input).
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func init() {
	// Datasets belong to their unit's site: merging the unit moves them.
	contentTables = append(contentTables, "od_datasets")
}
