package store

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/congvn/cong/internal/document"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/vietnamese"
)

// DocTerms returns a managed list of documents in Vietnamese order.
func (db *DB) DocTerms(ctx context.Context, list string) ([]*document.Term, error) {
	rows, err := db.query(ctx, `SELECT id, list, code, name, name_en FROM doc_terms WHERE list = ? ORDER BY sort_key, id`, list)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*document.Term
	for rows.Next() {
		var t document.Term
		if err := rows.Scan(&t.ID, &t.List, &t.Code, &t.Name, &t.NameEn); err != nil {
			return nil, err
		}
		out = append(out, &t)
	}
	return out, rows.Err()
}

// DocTerm returns one entry of a managed list.
func (db *DB) DocTerm(ctx context.Context, id int64) (*document.Term, error) {
	var t document.Term
	err := db.queryRow(ctx, `SELECT id, list, code, name, name_en FROM doc_terms WHERE id = ?`, id).Scan(&t.ID, &t.List, &t.Code, &t.Name, &t.NameEn)
	return &t, notFound(err, "document.term_unknown")
}

// CreateDocTerm adds an entry to a managed list.
func (db *DB) CreateDocTerm(ctx context.Context, t *document.Term) error {
	err := db.queryRowTx(ctx, `INSERT INTO doc_terms (list, code, name, name_en, sort_key) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		t.List, t.Code, t.Name, t.NameEn, vietnamese.SortKey(t.Name)).Scan(&t.ID)
	if isUniqueViolation(err) {
		return fault.OnField("name", "document.term_taken", t.Name)
	}
	return err
}

const documentColumns = `d.id, d.site_id, d.number, d.type_id, d.issuer_id, COALESCE(d.field_id, 0), t.name, i.name, COALESCE(f.name, ''),
	d.title, d.signer, d.issued_on, d.effective_on, d.expires_on, d.ends_on, d.amended_on, %s, d.published, d.published_at,
	d.version, d.created_at, d.updated_at`

const documentJoins = ` JOIN doc_terms t ON t.id = d.type_id JOIN doc_terms i ON i.id = d.issuer_id LEFT JOIN doc_terms f ON f.id = d.field_id`

var (
	documentFull = strings.Replace(documentColumns, "%s", "d.body", 1)
	documentList = strings.Replace(documentColumns, "%s", "''", 1)
)

func scanDocument(row interface{ Scan(...any) error }) (*document.Document, error) {
	var d document.Document
	var pub sql.NullTime
	err := row.Scan(&d.ID, &d.SiteID, &d.Number, &d.TypeID, &d.IssuerID, &d.FieldID, &d.Type, &d.Issuer, &d.Field,
		&d.Title, &d.Signer, &d.IssuedOn, &d.EffectiveOn, &d.ExpiresOn, &d.EndsOn, &d.AmendedOn, &d.Body, &d.Published, &pub,
		&d.Version, &d.Created, &d.Updated)
	d.PublishedAt = timeOf(pub)
	d.Created, d.Updated = d.Created.UTC(), d.Updated.UTC()
	return &d, err
}

// CreateDocument inserts d.
func (db *DB) CreateDocument(ctx context.Context, d *document.Document) error {
	now := ts(time.Now())
	d.Created, d.Updated, d.Version = now, now, 1
	err := db.queryRowTx(ctx, `INSERT INTO documents (site_id, number, number_key, type_id, issuer_id, field_id, title, signer,
		issued_on, effective_on, expires_on, ends_on, amended_on, body, published, published_at, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		d.SiteID, d.Number, document.NumberKey(d.Number), d.TypeID, d.IssuerID, nullID(d.FieldID), d.Title, d.Signer,
		d.IssuedOn, d.EffectiveOn, d.ExpiresOn, d.ExpiresOn, d.AmendedOn, d.Body, d.Published, nullTS(d.PublishedAt), d.Version, now, now).Scan(&d.ID)
	if isUniqueViolation(err) {
		return fault.OnField("number", "document.number_taken", d.Number)
	}
	if err == nil {
		d.EndsOn = d.ExpiresOn
	}
	return err
}

// UpdateDocument stores d if nobody changed it since it was read.
func (db *DB) UpdateDocument(ctx context.Context, d *document.Document) error {
	now := ts(time.Now())
	res, err := db.exec(ctx, `UPDATE documents SET number = ?, number_key = ?, type_id = ?, issuer_id = ?, field_id = ?, title = ?,
		signer = ?, issued_on = ?, effective_on = ?, expires_on = ?, body = ?, published = ?, published_at = ?,
		version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
		d.Number, document.NumberKey(d.Number), d.TypeID, d.IssuerID, nullID(d.FieldID), d.Title, d.Signer, d.IssuedOn,
		d.EffectiveOn, d.ExpiresOn, d.Body, d.Published, nullTS(d.PublishedAt), now, d.ID, d.Version)
	if isUniqueViolation(err) {
		return fault.OnField("number", "document.number_taken", d.Number)
	}
	if err := rowsAffected(res, err, "document.not_found"); err != nil {
		if fault.Is(err, fault.NotFound) {
			return fault.New(fault.Conflict, "document.edited_meanwhile")
		}
		return err
	}
	d.Version++
	d.Updated = now
	return nil
}

// Document returns a document by id.
func (db *DB) Document(ctx context.Context, id int64) (*document.Document, error) {
	d, err := scanDocument(db.queryRow(ctx, `SELECT `+documentFull+` FROM documents d`+documentJoins+` WHERE d.id = ?`, id))
	if err != nil {
		return nil, notFound(err, "document.not_found")
	}
	return d, nil
}

// documentsByID loads documents in the order of ids.
func (db *DB) documentsByID(ctx context.Context, ids []int64) ([]*document.Document, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := db.query(ctx, `SELECT `+documentList+` FROM documents d`+documentJoins+` WHERE d.id IN (`+placeholders(len(ids))+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byID := map[int64]*document.Document{}
	for rows.Next() {
		d, err := scanDocument(rows)
		if err != nil {
			return nil, err
		}
		byID[d.ID] = d
	}
	out := make([]*document.Document, 0, len(ids))
	for _, id := range ids {
		if d := byID[id]; d != nil {
			out = append(out, d)
		}
	}
	return out, rows.Err()
}

// SetDocumentWords replaces a document's word index.
func (db *DB) SetDocumentWords(ctx context.Context, d *document.Document, words []string) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		rows, err := db.query(ctx, `SELECT word FROM document_words WHERE doc_id = ?`, d.ID)
		if err != nil {
			return err
		}
		delta := map[string]int{}
		for rows.Next() {
			var w string
			if err := rows.Scan(&w); err != nil {
				rows.Close()
				return err
			}
			delta[w]--
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if _, err := db.exec(ctx, `DELETE FROM document_words WHERE doc_id = ?`, d.ID); err != nil {
			return err
		}
		for _, w := range words {
			delta[w]++
		}
		if err := db.addWordFreq(ctx, delta); err != nil {
			return err
		}
		return db.insertWords(ctx, d.ID, d.SiteID, d.IssuedOn, words)
	})
}

// addWordFreq adds to the counts of documents per word.
func (db *DB) addWordFreq(ctx context.Context, delta map[string]int) error {
	keys := make([]string, 0, len(delta))
	for w, n := range delta {
		if n != 0 {
			keys = append(keys, w)
		}
	}
	slices.Sort(keys)
	for len(keys) > 0 {
		n := min(len(keys), 300)
		var b strings.Builder
		b.WriteString(`INSERT INTO document_word_freq (word, n) VALUES `)
		args := make([]any, 0, n*2)
		for i, w := range keys[:n] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?)")
			args = append(args, w, delta[w])
		}
		b.WriteString(` ON CONFLICT (word) DO UPDATE SET n = document_word_freq.n + excluded.n`)
		if _, err := db.exec(ctx, b.String(), args...); err != nil {
			return err
		}
		keys = keys[n:]
	}
	return nil
}

// insertWords inserts index rows a hundred at a time.
func (db *DB) insertWords(ctx context.Context, docID, siteID int64, issued string, words []string) error {
	for len(words) > 0 {
		n := min(len(words), 100)
		var b strings.Builder
		b.WriteString(`INSERT INTO document_words (word, issued_on, doc_id, site_id) VALUES `)
		args := make([]any, 0, n*4)
		for i, w := range words[:n] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?, ?, ?)")
			args = append(args, w, issued, docID, siteID)
		}
		if _, err := db.exec(ctx, b.String(), args...); err != nil {
			return err
		}
		words = words[n:]
	}
	return nil
}

// SetDocumentEnds stores the computed end and amendment dates.
func (db *DB) SetDocumentEnds(ctx context.Context, id int64, endsOn, amendedOn string) error {
	_, err := db.exec(ctx, `UPDATE documents SET ends_on = ?, amended_on = ? WHERE id = ?`, endsOn, amendedOn, id)
	return err
}

// AddRelation records a relation between documents.
func (db *DB) AddRelation(ctx context.Context, r document.Relation) error {
	_, err := db.exec(ctx, `INSERT INTO document_relations (from_id, to_id, kind, created_at) VALUES (?, ?, ?, ?)`, r.FromID, r.ToID, r.Kind, ts(time.Now()))
	if isUniqueViolation(err) {
		return fault.OnField("to", "document.relation_exists")
	}
	if isForeignKeyViolation(err) {
		return fault.OnField("to", "document.not_found")
	}
	return err
}

// DeleteRelation removes a relation.
func (db *DB) DeleteRelation(ctx context.Context, r document.Relation) error {
	res, err := db.exec(ctx, `DELETE FROM document_relations WHERE from_id = ? AND to_id = ? AND kind = ?`, r.FromID, r.ToID, r.Kind)
	return rowsAffected(res, err, "document.relation_missing")
}

// Relations returns the relations from and to a document.
func (db *DB) Relations(ctx context.Context, id int64) ([]document.Relation, error) {
	rows, err := db.query(ctx, `SELECT from_id, to_id, kind FROM document_relations WHERE from_id = ? OR to_id = ? ORDER BY created_at, kind`, id, id)
	if err != nil {
		return nil, err
	}
	var rels []document.Relation
	var others []int64
	for rows.Next() {
		var r document.Relation
		if err := rows.Scan(&r.FromID, &r.ToID, &r.Kind); err != nil {
			rows.Close()
			return nil, err
		}
		rels = append(rels, r)
		if r.FromID == id {
			others = append(others, r.ToID)
		} else {
			others = append(others, r.FromID)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	docs, err := db.documentsByID(ctx, others)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*document.Document{}
	for _, d := range docs {
		byID[d.ID] = d
	}
	for i := range rels {
		rels[i].Other = byID[others[i]]
	}
	return rels, nil
}

// RelationTargets returns the documents the given ones point to.
func (db *DB) RelationTargets(ctx context.Context, ids []int64) ([]int64, error) {
	var out []int64
	for len(ids) > 0 {
		n := min(len(ids), 500)
		args := make([]any, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		rows, err := db.query(ctx, `SELECT DISTINCT to_id FROM document_relations WHERE from_id IN (`+placeholders(n)+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		ids = ids[n:]
	}
	return out, nil
}

// InsertDocuments adds many documents at once (imports, the demo), with
// their word index for the published ones. Their end dates are their
// expiry dates: relations are added afterwards.
func (db *DB) InsertDocuments(ctx context.Context, docs []*document.Document) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		now := ts(time.Now())
		type wordRow struct {
			w         string
			issued    string
			doc, site int64
		}
		var pending []wordRow
		freq := map[string]int{}
		flush := func() error {
			// In key order, the index pages are written once each.
			slices.SortFunc(pending, func(a, b wordRow) int {
				if c := strings.Compare(a.w, b.w); c != 0 {
					return c
				}
				return strings.Compare(a.issued, b.issued)
			})
			for len(pending) > 0 {
				n := min(len(pending), 500)
				var b strings.Builder
				b.WriteString(`INSERT INTO document_words (word, issued_on, doc_id, site_id) VALUES `)
				args := make([]any, 0, n*4)
				for i, r := range pending[:n] {
					if i > 0 {
						b.WriteString(", ")
					}
					b.WriteString("(?, ?, ?, ?)")
					args = append(args, r.w, r.issued, r.doc, r.site)
				}
				if _, err := db.exec(ctx, b.String(), args...); err != nil {
					return err
				}
				pending = pending[n:]
			}
			return nil
		}
		for _, d := range docs {
			d.Created, d.Updated, d.Version, d.EndsOn = now, now, 1, d.ExpiresOn
			err := db.queryRowTx(ctx, `INSERT INTO documents (site_id, number, number_key, type_id, issuer_id, field_id, title, signer,
				issued_on, effective_on, expires_on, ends_on, amended_on, body, published, published_at, version, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				d.SiteID, d.Number, document.NumberKey(d.Number), d.TypeID, d.IssuerID, nullID(d.FieldID), d.Title, d.Signer,
				d.IssuedOn, d.EffectiveOn, d.ExpiresOn, d.ExpiresOn, "", d.Body, d.Published, nullTS(d.PublishedAt), 1, now, now).Scan(&d.ID)
			if isUniqueViolation(err) {
				return fault.OnField("number", "document.number_taken", d.Number)
			}
			if err != nil {
				return err
			}
			if d.Published {
				for _, w := range document.IndexWords(d) {
					pending = append(pending, wordRow{w, d.IssuedOn, d.ID, d.SiteID})
					freq[w]++
				}
				if len(pending) >= 20000 {
					if err := flush(); err != nil {
						return err
					}
				}
			}
		}
		if err := flush(); err != nil {
			return err
		}
		return db.addWordFreq(ctx, freq)
	})
}

// DocumentKeys returns the number keys and issue dates of a site's
// documents ("7|42 2022 nd cp|2022-06-24": issuer, number, date), to find duplicates before an import.
func (db *DB) DocumentKeys(ctx context.Context, siteID int64) (map[string]bool, error) {
	rows, err := db.query(ctx, `SELECT issuer_id, number_key, issued_on FROM documents WHERE site_id = ?`, siteID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var issuer int64
		var k, d string
		if err := rows.Scan(&issuer, &k, &d); err != nil {
			return nil, err
		}
		out[strconv.FormatInt(issuer, 10)+"|"+k+"|"+d] = true
	}
	return out, rows.Err()
}
