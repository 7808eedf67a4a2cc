package store

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/congvn/cong/internal/search"
)

// ftsMatch renders m as an FTS5 expression. Every word is a quoted string
// made of letters and digits only (the search package's tokens), so no
// user text is read as FTS5 syntax.
func ftsMatch(m *search.Match) string {
	var parts []string
	cols := "{title body}"
	if m.Prefix {
		cols = "{title}"
	}
	for i, c := range m.Clauses {
		alts := make([]string, len(c))
		for j, a := range c {
			alts[j] = ftsPhrase(a)
			if m.Prefix && i == len(m.Clauses)-1 && len(c) == 1 && len(a) == 1 {
				alts[j] += "*"
			}
		}
		parts = append(parts, cols+" : ("+strings.Join(alts, " OR ")+")")
	}
	for _, f := range m.Filters {
		parts = append(parts, "{meta} : "+ftsPhrase([]string{f}))
	}
	return strings.Join(parts, " AND ")
}

func ftsPhrase(words []string) string {
	return `"` + strings.ReplaceAll(strings.Join(words, " "), `"`, `""`) + `"`
}

// tsMatch renders m as a tsquery literal over the weights of tsvector():
// words in A (title) or D (body), filters in C.
func tsMatch(m *search.Match) string {
	var parts []string
	w := ":AD"
	if m.Prefix {
		w = ":A"
	}
	for i, c := range m.Clauses {
		alts := make([]string, len(c))
		for j, a := range c {
			ws := make([]string, len(a))
			for k, x := range a {
				suffix := w
				if m.Prefix && i == len(m.Clauses)-1 && len(c) == 1 && len(a) == 1 {
					suffix = ":*A"
				}
				ws[k] = tsLexeme(x) + suffix
			}
			alts[j] = strings.Join(ws, " <-> ")
			if len(ws) > 1 {
				alts[j] = "(" + alts[j] + ")"
			}
		}
		parts = append(parts, "("+strings.Join(alts, " | ")+")")
	}
	for _, f := range m.Filters {
		parts = append(parts, tsLexeme(f)+":C")
	}
	return strings.Join(parts, " & ")
}

func tsLexeme(s string) string {
	return "'" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `'`, `''`) + "'"
}

// SearchWindow returns the newest matches of m, newest first.
func (db *DB) SearchWindow(ctx context.Context, m *search.Match, limit int) ([]search.Row, error) {
	var query string
	var expr string
	switch {
	case db.engine == Postgres && !m.Prefix:
		return db.pgWindow(ctx, m, limit)
	case db.engine == Postgres:
		expr = tsMatch(m)
		query = `SELECT id, site_id, kind, category, year, ftitle, fexact FROM search_docs WHERE tsv @@ ?::tsquery ORDER BY id DESC LIMIT ?`
	case m.Prefix:
		expr = ftsMatch(m)
		query = `SELECT d.id, d.site_id, d.kind, d.category, d.year, d.ftitle, d.fexact FROM (SELECT rowid FROM search_titles WHERE search_titles MATCH ?
			ORDER BY rowid DESC LIMIT ?) f JOIN search_docs d ON d.id = f.rowid ORDER BY d.id DESC`
	default:
		expr = ftsMatch(m)
		query = `SELECT d.id, d.site_id, d.kind, d.category, d.year, d.ftitle, d.fexact FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH ?
			ORDER BY rowid DESC LIMIT ?) f JOIN search_docs d ON d.id = f.rowid ORDER BY d.id DESC`
	}
	rows, err := db.query(ctx, query, expr, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]search.Row, 0, min(limit, 256))
	for rows.Next() {
		var r search.Row
		var kind string
		if err := rows.Scan(&r.ID, &r.SiteID, &kind, &r.Category, &r.Year, &r.Title, &r.Exact); err != nil {
			return nil, err
		}
		r.Kind = search.Kind(kind)
		out = append(out, r)
	}
	return out, rows.Err()
}

// pgWindow finds the newest matches on PostgreSQL. GIN gives every match
// at once, unordered, and each must then be read from the table to be
// checked and sorted; the other way, the id index backwards with every
// row checked, reads every row newer than the last match wanted: either
// costs hundreds of milliseconds for a query matching a few percent of a
// large index. So the newest thousand rows are checked first, a probe of
// the query's density. A dense query goes on backwards by id, which soon
// fills the window; one expected to match a few thousand documents or
// fewer goes to GIN whole; any other is searched month by month, newest
// first: every tsvector holds the month of its publication, and the query
// ANDed with a few months' tokens is a cheap GIN intersection whose
// matches are read, bounded by those months' ids; the months widen until
// the window is full. The result is that of one query. The tsquery is
// written into the statements (quoted): with a parameter PostgreSQL soon
// settles on one generic plan whatever the words.
func (db *DB) pgWindow(ctx context.Context, m *search.Match, limit int) ([]search.Row, error) {
	const (
		cols  = `SELECT id, site_id, kind, category, year, ftitle, fexact FROM search_docs WHERE `
		probe = 1000 // rows
		dense = 15   // percent of the probe's rows matching
		few   = 3000 // matches expected
	)
	expr := sqlString(tsMatch(m)) + `::tsquery`
	if m.SiteID != 0 {
		return db.pgSiteWindow(ctx, m.SiteID, expr, limit)
	}
	var lo, hi, end int64 // ids from end on are searched
	var rows float64      // the planner's count of rows
	if err := db.queryRow(ctx, `SELECT COALESCE((SELECT MIN(id) FROM search_docs), 0), COALESCE((SELECT MAX(id) FROM search_docs), 0),
		COALESCE((SELECT id FROM search_docs ORDER BY id DESC OFFSET `+strconv.Itoa(probe-1)+` LIMIT 1), 0),
		(SELECT reltuples FROM pg_class WHERE oid = 'search_docs'::regclass)`).Scan(&lo, &hi, &end, &rows); err != nil {
		return nil, err
	}
	// ts_match_vq is @@ as a function, which GIN cannot serve: the id
	// index backwards it is.
	scan := func(from, to int64, n int) ([]search.Row, error) {
		return db.searchRows(ctx, cols+`ts_match_vq(tsv, `+expr+`) AND id >= `+strconv.FormatInt(from, 10)+` AND id < `+strconv.FormatInt(to, 10)+
			` ORDER BY id DESC LIMIT `+strconv.Itoa(n))
	}
	gin := func(to int64, n int) ([]search.Row, error) {
		return db.searchRows(ctx, cols+`tsv @@ `+expr+` AND id < `+strconv.FormatInt(to, 10)+` ORDER BY id DESC LIMIT `+strconv.Itoa(n))
	}
	got, err := scan(end, hi+1, limit)
	if err != nil || len(got) >= limit || end <= lo {
		return got, err
	}
	expected := float64(len(got)) * rows / probe
	if rows <= 0 { // never analysed: from the ids' span
		expected = float64(len(got)) * float64(hi-lo) / float64(max(hi-end, 1))
	}
	switch {
	case len(got)*100 >= dense*probe:
		rest, err := scan(lo, end, limit-len(got))
		return append(got, rest...), err
	case expected <= few:
		rest, err := gin(end, limit-len(got))
		return append(got, rest...), err
	}
	t := time.Unix((end-1)>>idShift, 0).UTC()
	month := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC) // the newest month not searched whole
	for _, n := range []int{1, 3, 8, 24, 64} {
		var toks []string
		for range n {
			toks = append(toks, tsLexeme(monthToken(month))+":C")
			month = month.AddDate(0, -1, 0)
		}
		from := max(month.AddDate(0, 1, 0).Unix(), 0) << idShift
		rows, err := db.searchRows(ctx, cols+`tsv @@ (`+expr+` && `+sqlString(strings.Join(toks, " | "))+`::tsquery)
			AND id >= `+strconv.FormatInt(from, 10)+` AND id < `+strconv.FormatInt(end, 10)+` ORDER BY id DESC LIMIT `+strconv.Itoa(limit-len(got)))
		if err != nil {
			return nil, err
		}
		end = from
		if got = append(got, rows...); len(got) >= limit || end <= lo {
			return got, nil
		}
	}
	rest, err := gin(end, limit-len(got))
	return append(got, rest...), err
}

// pgSiteWindow finds the newest matches on one site: its documents are
// walked newest first by the (site_id, id) index, each checked against the
// query, as far as siteProbe documents back (common words fill the window
// there); the older rest, where the words are sparse, is GIN's, the site's
// token among the words so that GIN skips through the long lists.
func (db *DB) pgSiteWindow(ctx context.Context, siteID int64, expr string, limit int) ([]search.Row, error) {
	const (
		cols      = `SELECT id, site_id, kind, category, year, ftitle, fexact FROM search_docs WHERE `
		siteProbe = 2000
	)
	site := strconv.FormatInt(siteID, 10)
	var end int64 // the oldest id the walk reaches
	var n int
	if err := db.queryRow(ctx, `SELECT COALESCE(MIN(id), 0), COUNT(*) FROM (SELECT id FROM search_docs WHERE site_id = `+site+
		` ORDER BY id DESC LIMIT `+strconv.Itoa(siteProbe)+`) t`).Scan(&end, &n); err != nil {
		return nil, err
	}
	got, err := db.searchRows(ctx, cols+`site_id = `+site+` AND id >= `+strconv.FormatInt(end, 10)+
		` AND ts_match_vq(tsv, `+expr+`) ORDER BY id DESC LIMIT `+strconv.Itoa(limit))
	if err != nil || len(got) >= limit || n < siteProbe {
		return got, err // the window is full, or the walk saw the whole site
	}
	rest, err := db.searchRows(ctx, cols+`tsv @@ `+expr+` AND id < `+strconv.FormatInt(end, 10)+
		` ORDER BY id DESC LIMIT `+strconv.Itoa(limit-len(got)))
	return append(got, rest...), err
}

// sqlString quotes s as an SQL string literal.
func sqlString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

func (db *DB) searchRows(ctx context.Context, query string, args ...any) ([]search.Row, error) {
	rows, err := db.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]search.Row, 0, 64)
	for rows.Next() {
		var r search.Row
		var kind string
		if err := rows.Scan(&r.ID, &r.SiteID, &kind, &r.Category, &r.Year, &r.Title, &r.Exact); err != nil {
			return nil, err
		}
		r.Kind = search.Kind(kind)
		out = append(out, r)
	}
	return out, rows.Err()
}

// SearchByDate returns the ids of matches of m, newest first, from offset
// (pages past the window).
func (db *DB) SearchByDate(ctx context.Context, m *search.Match, limit, offset int) ([]int64, error) {
	query := `SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY rowid DESC LIMIT ? OFFSET ?`
	expr := ftsMatch(m)
	if db.engine == Postgres {
		query = `SELECT id FROM search_docs WHERE tsv @@ ?::tsquery ORDER BY id DESC LIMIT ? OFFSET ?`
		expr = tsMatch(m)
	}
	rows, err := db.query(ctx, query, expr, limit, offset)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// SearchWordDocs returns how many titles use each of words.
func (db *DB) SearchWordDocs(ctx context.Context, words []string) (map[string]int, error) {
	out := map[string]int{}
	if len(words) == 0 {
		return out, nil
	}
	args := make([]any, len(words))
	for i, w := range words {
		args[i] = w
	}
	rows, err := db.query(ctx, `SELECT word, docs FROM search_terms WHERE word IN (`+placeholders(len(words))+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var w string
		var n int
		if err := rows.Scan(&w, &n); err != nil {
			return nil, err
		}
		out[w] = n
	}
	return out, rows.Err()
}

// SearchDocs loads indexed documents in the order of ids.
func (db *DB) SearchDocs(ctx context.Context, ids []int64) ([]search.Stored, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := db.query(ctx, `SELECT d.id, d.site_id, d.kind, d.ref, d.lang, d.title, d.summary, COALESCE(b.body, ''), d.category, d.path, d.published
		FROM search_docs d LEFT JOIN search_bodies b ON b.id = d.id WHERE d.id IN (`+placeholders(len(ids))+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byID := map[int64]search.Stored{}
	for rows.Next() {
		var s search.Stored
		var kind string
		if err := rows.Scan(&s.ID, &s.SiteID, &kind, &s.Ref, &s.Lang, &s.Title, &s.Summary, &s.Body, &s.Category, &s.Path, &s.Published); err != nil {
			return nil, err
		}
		s.Kind = search.Kind(kind)
		s.Published = s.Published.UTC()
		byID[s.ID] = s
	}
	out := make([]search.Stored, 0, len(ids))
	for _, id := range ids {
		if s, ok := byID[id]; ok {
			out = append(out, s)
		}
	}
	return out, rows.Err()
}

// SearchTerms returns title words from from (inclusive) to to, most used
// first.
func (db *DB) SearchTerms(ctx context.Context, from, to string, limit int) ([]search.Term, error) {
	rows, err := db.query(ctx, `SELECT word, display, docs FROM search_terms WHERE word >= ? AND word < ? ORDER BY docs DESC LIMIT ?`, from, to, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []search.Term
	for rows.Next() {
		var t search.Term
		if err := rows.Scan(&t.Word, &t.Display, &t.Docs); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// SearchSize counts the indexed documents and gives the id range.
func (db *DB) SearchSize(ctx context.Context) (n int, minID, maxID int64, err error) {
	err = db.queryRow(ctx, `SELECT COUNT(*), COALESCE(MIN(id), 0), COALESCE(MAX(id), 0) FROM search_docs`).Scan(&n, &minID, &maxID)
	return
}
