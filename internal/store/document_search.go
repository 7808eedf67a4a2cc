package store

import (
	"context"
	"strings"
	"unicode"

	"github.com/congvn/cong/internal/document"
)

// looksLikeNumber reports whether a query is probably a document number:
// it has a digit, and no more than six parts.
func looksLikeNumber(s string) bool {
	return strings.IndexFunc(s, unicode.IsDigit) >= 0 && len(document.Words(s)) <= 6
}

// SearchDocuments runs a document search: by number when the text looks
// like one and some number matches, else by words; newest first.
func (db *DB) SearchDocuments(ctx context.Context, q document.Query) (*document.Result, error) {
	filter, fargs := documentFilters(q)
	if q.Text != "" && looksLikeNumber(q.Text) {
		key := document.NumberKey(q.Text)
		// The number is the selective condition: its matches are collected
		// first (MATERIALIZED keeps either planner from walking the date
		// index instead), then sorted.
		where := strings.Replace(filter, "d.site_id =", "+d.site_id =", 1) +
			` AND (d.number_key = ? OR (d.number_key >= ? AND d.number_key < ?))`
		args := append(append([]any{}, fargs...), key, key+" ", key+"!")
		res, err := db.documentPage(ctx, `WITH m AS MATERIALIZED (SELECT d.id, d.issued_on FROM documents d WHERE `+where+`)
			SELECT id FROM m ORDER BY issued_on DESC, id DESC`, args, q)
		if err != nil || res.Total > 0 {
			if res != nil {
				res.ByNumber = true
			}
			return res, err
		}
	}
	words := document.Words(q.Text)
	if q.Signer != "" {
		words = append(words, document.Words(q.Signer)...)
	}
	if len(words) == 0 || q.Drafts {
		if q.Drafts && q.Text != "" {
			filter += ` AND d.number_key >= ? AND d.number_key < ?`
			key := document.NumberKey(q.Text)
			fargs = append(fargs, key, key+"\x7f")
		}
		return db.documentPage(ctx, `SELECT d.id FROM documents d WHERE `+filter+` ORDER BY d.issued_on DESC, d.id DESC`, fargs, q)
	}
	words = dedupe(words)
	if len(words) > 8 {
		words = words[:8]
	}
	// Walk the rarest word's list, newest first; check the others by
	// primary key.
	driver, n, err := db.rarestWord(ctx, words)
	if err != nil {
		return nil, err
	}
	if n <= 0 {
		return &document.Result{}, nil
	}
	var b strings.Builder
	args := []any{words[driver]}
	// The words of published documents are all the index holds, and it
	// carries the site and the date: the documents table is joined only for
	// the other filters.
	needDoc := q.TypeID != 0 || q.IssuerID != 0 || q.FieldID != 0 || q.Status != ""
	b.WriteString(`FROM document_words w`)
	if q.SiteID != 0 && db.engine == SQLite {
		// One site's words: its own index, not the whole city's list.
		b.WriteString(` INDEXED BY document_words_site`)
	}
	if needDoc {
		b.WriteString(` CROSS JOIN documents d WHERE d.id = w.doc_id AND w.word = ?`)
	} else {
		b.WriteString(` WHERE w.word = ?`)
	}
	if q.SiteID != 0 {
		b.WriteString(` AND w.site_id = ?`)
		args = append(args, q.SiteID)
	}
	if q.IssuedFrom != "" {
		b.WriteString(` AND w.issued_on >= ?`)
		args = append(args, q.IssuedFrom)
	}
	if q.IssuedTo != "" {
		b.WriteString(` AND w.issued_on <= ?`)
		args = append(args, q.IssuedTo)
	}
	for i, w := range words {
		if i == driver {
			continue
		}
		b.WriteString(` AND EXISTS (SELECT 1 FROM document_words x WHERE x.word = ? AND x.issued_on = w.issued_on AND x.doc_id = w.doc_id)`)
		args = append(args, w)
	}
	if needDoc {
		b.WriteString(` AND ` + filter)
		args = append(args, fargs...)
	}
	return db.documentPage(ctx, `SELECT w.doc_id `+b.String()+` ORDER BY w.issued_on DESC, w.doc_id DESC`, args, q)
}

func dedupe(ws []string) []string {
	seen := map[string]bool{}
	out := ws[:0]
	for _, w := range ws {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// rarestWord returns the index of the word held by the fewest published
// documents, and that number (0: no document has it, nothing matches).
func (db *DB) rarestWord(ctx context.Context, words []string) (int, int, error) {
	args := make([]any, len(words))
	for i, w := range words {
		args[i] = w
	}
	rows, err := db.query(ctx, `SELECT word, n FROM document_word_freq WHERE word IN (`+placeholders(len(words))+`)`, args...)
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	freq := map[string]int{}
	for rows.Next() {
		var w string
		var n int
		if err := rows.Scan(&w, &n); err != nil {
			return 0, 0, err
		}
		freq[w] = n
	}
	best := 0
	for i, w := range words {
		if freq[w] < freq[words[best]] {
			best = i
		}
	}
	return best, freq[words[best]], rows.Err()
}

// documentFilters turns a query's filters into conditions on d.
func documentFilters(q document.Query) (string, []any) {
	var conds []string
	var args []any
	if q.Drafts {
		conds = append(conds, `d.site_id = ?`)
		args = append(args, q.SiteID)
	} else {
		conds = append(conds, `d.published = TRUE`)
		if q.SiteID != 0 {
			conds = append(conds, `d.site_id = ?`)
			args = append(args, q.SiteID)
		}
	}
	for _, f := range []struct {
		col string
		id  int64
	}{{"d.type_id", q.TypeID}, {"d.issuer_id", q.IssuerID}, {"d.field_id", q.FieldID}} {
		if f.id != 0 {
			conds = append(conds, f.col+` = ?`)
			args = append(args, f.id)
		}
	}
	if q.IssuedFrom != "" {
		conds = append(conds, `d.issued_on >= ?`)
		args = append(args, q.IssuedFrom)
	}
	if q.IssuedTo != "" {
		conds = append(conds, `d.issued_on <= ?`)
		args = append(args, q.IssuedTo)
	}
	t := q.Today
	switch q.Status {
	case document.NotYet:
		conds = append(conds, `d.effective_on > ?`)
		args = append(args, t)
	case document.Expired:
		conds = append(conds, `d.effective_on <= ? AND d.ends_on <> '' AND d.ends_on <= ?`)
		args = append(args, t, t)
	case document.Partial:
		conds = append(conds, `d.effective_on <= ? AND (d.ends_on = '' OR d.ends_on > ?) AND d.amended_on <> '' AND d.amended_on <= ?`)
		args = append(args, t, t, t)
	case document.InForce:
		conds = append(conds, `d.effective_on <= ? AND (d.ends_on = '' OR d.ends_on > ?) AND (d.amended_on = '' OR d.amended_on > ?)`)
		args = append(args, t, t, t)
	}
	return strings.Join(conds, " AND "), args
}

// documentPage runs a query of document ids for one page and one row
// more, which says whether a next page exists: counting every match of a
// common word costs more than the page itself, and a reader needs only to
// know that there is more, or to narrow the search.
func (db *DB) documentPage(ctx context.Context, idQuery string, args []any, q document.Query) (*document.Result, error) {
	res := &document.Result{}
	rows, err := db.query(ctx, idQuery+` LIMIT ? OFFSET ?`, append(append([]any{}, args...), q.Limit+1, q.Offset)...)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(ids) > q.Limit {
		ids, res.More = ids[:q.Limit], true
	}
	res.Total = q.Offset + len(ids)
	res.Docs, err = db.documentsByID(ctx, ids)
	return res, err
}
