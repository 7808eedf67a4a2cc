package store

import (
	"context"
	"strings"

	"github.com/congvn/cong/internal/attach"
)

const attachColumns = `id, site_id, owner, owner_id, name, kind, size, sha256, position, created_at`

func scanAttachment(row interface{ Scan(...any) error }) (*attach.File, error) {
	var f attach.File
	err := row.Scan(&f.ID, &f.SiteID, &f.Owner, &f.OwnerID, &f.Name, &f.Kind, &f.Size, &f.SHA256, &f.Position, &f.Created)
	f.Created = f.Created.UTC()
	return &f, err
}

// AddAttachment records an attached file.
func (db *DB) AddAttachment(ctx context.Context, f *attach.File) error {
	f.Created = ts(f.Created)
	return db.queryRowTx(ctx, `INSERT INTO attachments (site_id, owner, owner_id, name, kind, size, sha256, position, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		f.SiteID, f.Owner, f.OwnerID, f.Name, f.Kind, f.Size, f.SHA256, f.Position, f.Created).Scan(&f.ID)
}

// Attachment returns one attached file.
func (db *DB) Attachment(ctx context.Context, id int64) (*attach.File, error) {
	f, err := scanAttachment(db.queryRow(ctx, `SELECT `+attachColumns+` FROM attachments WHERE id = ?`, id))
	if err != nil {
		return nil, notFound(err, "attach.not_found")
	}
	return f, nil
}

// Attachments returns the files of items of one kind, in order.
func (db *DB) Attachments(ctx context.Context, owner string, ids ...int64) ([]*attach.File, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := []any{owner}
	for _, id := range ids {
		args = append(args, id)
	}
	rows, err := db.query(ctx, `SELECT `+attachColumns+` FROM attachments WHERE owner = ? AND owner_id IN (`+
		strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")+`) ORDER BY owner_id, position, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*attach.File
	for rows.Next() {
		f, err := scanAttachment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// DeleteAttachment removes an attached file's row.
func (db *DB) DeleteAttachment(ctx context.Context, id int64) error {
	res, err := db.exec(ctx, `DELETE FROM attachments WHERE id = ?`, id)
	return rowsAffected(res, err, "attach.not_found")
}
