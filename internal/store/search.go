package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/congvn/cong/internal/search"
)

// The search index (internal/search). Ids ascend with publication time:
// the second of publication shifted left by idShift, plus a sequence, so
// that the newest matches are a descending scan of the full-text index.
const idShift = 20

// maxStoredBody bounds the text kept for snippets, in bytes.
const maxStoredBody = 16 << 10

// SearchPut indexes entries, replacing what was indexed under the same
// kind, ref and language, in the transaction in ctx (or one of its own).
func (db *DB) SearchPut(ctx context.Context, es []*search.Entry) error {
	if len(es) == 0 {
		return nil
	}
	return db.InTx(ctx, func(ctx context.Context) error {
		terms := map[string]int{}
		display := map[string]string{}
		old, err := db.searchExisting(ctx, es, terms)
		if err != nil {
			return err
		}
		if err := db.searchRemove(ctx, old); err != nil {
			return err
		}
		ids, err := db.searchIDs(ctx, es)
		if err != nil {
			return err
		}
		docs := make([][]any, 0, len(es))
		fts := make([][]any, 0, len(es))
		titles := make([][]any, 0, len(es))
		bodies := make([][]any, 0, len(es))
		for i, e := range es {
			pub := published(e)
			id := ids[i]
			for w, d := range e.Index.Words {
				terms[w]++
				if cur, ok := display[w]; !ok || cur == w {
					display[w] = d
				}
			}
			body := e.Body
			if len(body) > maxStoredBody {
				body = strings.ToValidUTF8(body[:maxStoredBody], "")
			}
			row := []any{id, e.SiteID, string(e.Kind), e.Ref, e.Lang, e.Title, e.Summary, e.Category, e.Path, pub.Year(), ts(pub),
				e.Index.Title, e.Index.Exact}
			bodies = append(bodies, []any{id, body})
			if db.engine == Postgres {
				row = append(row, tsvector(&e.Index, pub))
			} else {
				fts = append(fts, []any{id, e.Index.Title, e.Index.Body, e.Index.Meta})
				titles = append(titles, []any{id, e.Index.Title, e.Index.Meta})
			}
			docs = append(docs, row)
		}
		cols := []string{"id", "site_id", "kind", "ref", "lang", "title", "summary", "category", "path", "year", "published", "ftitle", "fexact"}
		if db.engine == Postgres {
			cols = append(cols, "tsv")
		}
		if err := db.InsertMany(ctx, "search_docs", cols, docs); err != nil {
			return err
		}
		if err := db.InsertMany(ctx, "search_bodies", []string{"id", "body"}, bodies); err != nil {
			return err
		}
		if db.engine == SQLite {
			// A bulk load: FTS5 writes a segment whenever its pending data
			// fills its hash and merges segments as it goes; a larger hash
			// and merges left to the end cost less (restored below).
			// FTS5 writes its pending data out whenever a rowid is not
			// above the previous one: insert in rowid order.
			byID := func(a, b []any) int { return cmp.Compare(a[0].(int64), b[0].(int64)) }
			slices.SortFunc(fts, byID)
			slices.SortFunc(titles, byID)
			if err := db.InsertMany(ctx, "search_fts", []string{"rowid", "title", "body", "meta"}, fts); err != nil {
				return err
			}
			if err := db.InsertMany(ctx, "search_titles", []string{"rowid", "title", "meta"}, titles); err != nil {
				return err
			}
		}
		return db.searchTerms(ctx, terms, display)
	})
}

// published is when e counts as published: now when it has no date.
func published(e *search.Entry) time.Time {
	if e.Published.IsZero() {
		e.Published = time.Now()
	}
	return e.Published
}

// searchIDs returns a free id for every entry: the second of publication
// shifted left by idShift plus a sequence above what that second holds,
// one look-up (prepared once) per distinct second.
func (db *DB) searchIDs(ctx context.Context, es []*search.Entry) ([]int64, error) {
	st, ok := ctx.Value(txKey{}).(*txState)
	if !ok {
		return nil, fmt.Errorf("store: search ids outside a transaction")
	}
	stmt, err := st.tx.PrepareContext(ctx, db.q(`SELECT COALESCE(MAX(id), 0) FROM search_docs WHERE id >= ? AND id < ?`))
	if err != nil {
		return nil, err
	}
	defer stmt.Close()
	last := map[int64]int64{}
	ids := make([]int64, len(es))
	for i, e := range es {
		base := max(published(e).Unix(), 0) << idShift
		if id, ok := last[base]; ok {
			last[base] = id + 1
			ids[i] = id + 1
			continue
		}
		var top int64
		if err := stmt.QueryRowContext(ctx, base, base+1<<idShift).Scan(&top); err != nil {
			return nil, err
		}
		ids[i] = max(top+1, base)
		last[base] = ids[i]
	}
	return ids, nil
}

// searchExisting returns the ids of what is indexed under the entries'
// kinds, refs and languages, taking their title words off terms: a few
// statements per batch (refs of one kind in chunks) rather than one per
// entry.
func (db *DB) searchExisting(ctx context.Context, es []*search.Entry, terms map[string]int) ([]int64, error) {
	type key struct{ ref, lang string }
	byKind := map[search.Kind]map[key]bool{}
	for _, e := range es {
		if byKind[e.Kind] == nil {
			byKind[e.Kind] = map[key]bool{}
		}
		byKind[e.Kind][key{e.Ref, e.Lang}] = true
	}
	var ids []int64
	for _, kind := range slices.Sorted(maps.Keys(byKind)) {
		keys := byKind[kind]
		refs := map[string]bool{}
		for k := range keys {
			refs[k.ref] = true
		}
		all := slices.Sorted(maps.Keys(refs))
		for len(all) > 0 {
			n := min(len(all), 500)
			args := []any{string(kind)}
			for _, r := range all[:n] {
				args = append(args, r)
			}
			all = all[n:]
			rows, err := db.query(ctx, `SELECT id, title, ref, lang FROM search_docs WHERE kind = ? AND ref IN (`+placeholders(n)+`)`, args...)
			if err != nil {
				return nil, err
			}
			for rows.Next() {
				var id int64
				var title, ref, lang string
				if err := rows.Scan(&id, &title, &ref, &lang); err != nil {
					rows.Close()
					return nil, err
				}
				if !keys[key{ref, lang}] {
					continue
				}
				ids = append(ids, id)
				for _, w := range uniqueWords(title) {
					terms[w]--
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, err
			}
		}
	}
	return ids, nil
}

// scanIDTitles collects ids and adds sign to the count of every title word.
func scanIDTitles(rows interface {
	Next() bool
	Scan(...any) error
	Close() error
	Err() error
}, terms map[string]int, sign int) ([]int64, error) {
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		var title string
		if err := rows.Scan(&id, &title); err != nil {
			return nil, err
		}
		ids = append(ids, id)
		for _, w := range uniqueWords(title) {
			terms[w] += sign
		}
	}
	return ids, rows.Err()
}

func uniqueWords(title string) []string {
	ws := search.Tokens(title)
	slices.Sort(ws)
	return slices.Compact(ws)
}

// searchRemove deletes documents by id from every search table.
func (db *DB) searchRemove(ctx context.Context, ids []int64) error {
	for len(ids) > 0 {
		n := min(len(ids), 500)
		args := make([]any, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		ids = ids[n:]
		in := ` IN (` + placeholders(n) + `)`
		if db.engine == SQLite {
			if _, err := db.exec(ctx, `DELETE FROM search_fts WHERE rowid`+in, args...); err != nil {
				return err
			}
			if _, err := db.exec(ctx, `DELETE FROM search_titles WHERE rowid`+in, args...); err != nil {
				return err
			}
		}
		for _, t := range []string{"search_bodies", "search_docs"} {
			if _, err := db.exec(ctx, `DELETE FROM `+t+` WHERE id`+in, args...); err != nil {
				return err
			}
		}
	}
	return nil
}

// searchTerms adds to the counts of title words.
func (db *DB) searchTerms(ctx context.Context, delta map[string]int, display map[string]string) error {
	words := slices.Sorted(maps.Keys(delta))
	var rows [][]any
	var gone bool
	for _, w := range words {
		n := delta[w]
		if n == 0 {
			continue
		}
		gone = gone || n < 0
		d := display[w]
		if d == "" {
			d = w
		}
		rows = append(rows, []any{w, d, n})
	}
	for len(rows) > 0 {
		n := min(len(rows), 500)
		var b strings.Builder
		b.WriteString(`INSERT INTO search_terms (word, display, docs) VALUES `)
		args := make([]any, 0, n*3)
		for i, r := range rows[:n] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?, ?)")
			args = append(args, r...)
		}
		rows = rows[n:]
		b.WriteString(` ON CONFLICT (word) DO UPDATE SET docs = search_terms.docs + excluded.docs,
			display = CASE WHEN search_terms.display = search_terms.word THEN excluded.display ELSE search_terms.display END`)
		if _, err := db.exec(ctx, b.String(), args...); err != nil {
			return err
		}
	}
	if gone {
		_, err := db.exec(ctx, `DELETE FROM search_terms WHERE docs <= 0`)
		return err
	}
	return nil
}

// SearchDelete takes an item out of the index in every language.
func (db *DB) SearchDelete(ctx context.Context, kind search.Kind, ref string) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		rows, err := db.query(ctx, `SELECT id, title FROM search_docs WHERE kind = ? AND ref = ?`, string(kind), ref)
		if err != nil {
			return err
		}
		terms := map[string]int{}
		ids, err := scanIDTitles(rows, terms, -1)
		if err != nil || len(ids) == 0 {
			return err
		}
		if err := db.searchRemove(ctx, ids); err != nil {
			return err
		}
		return db.searchTerms(ctx, terms, nil)
	})
}

// SearchDeleteSite empties the index of one site, or of every site when
// siteID is 0 (before reindexing).
func (db *DB) SearchDeleteSite(ctx context.Context, siteID int64) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		if siteID == 0 {
			stmts := []string{`DELETE FROM search_bodies`, `DELETE FROM search_docs`, `DELETE FROM search_terms`, `DELETE FROM search_sources`}
			if db.engine == SQLite {
				stmts = append(stmts, `INSERT INTO search_fts (search_fts) VALUES ('delete-all')`,
					`INSERT INTO search_titles (search_titles) VALUES ('delete-all')`)
			}
			for _, s := range stmts {
				if _, err := db.exec(ctx, s); err != nil {
					return err
				}
			}
			return nil
		}
		// What was indexed whole from a source may have lost this site's
		// part: index such sources again.
		if _, err := db.exec(ctx, `DELETE FROM search_sources`); err != nil {
			return err
		}
		rows, err := db.query(ctx, `SELECT id, title FROM search_docs WHERE site_id = ?`, siteID)
		if err != nil {
			return err
		}
		terms := map[string]int{}
		ids, err := scanIDTitles(rows, terms, -1)
		if err != nil {
			return err
		}
		if err := db.searchRemove(ctx, ids); err != nil {
			return err
		}
		return db.searchTerms(ctx, terms, nil)
	})
}

// SearchOptimize merges the full-text index's segments after a bulk load
// (SQLite; PostgreSQL's GIN index needs no such step).
func (db *DB) SearchOptimize(ctx context.Context) error {
	if db.engine != SQLite {
		_, err := db.exec(ctx, `ANALYZE search_docs`)
		return err
	}
	for _, t := range []string{"search_fts", "search_titles"} {
		if _, err := db.exec(ctx, `INSERT INTO `+t+` (`+t+`) VALUES ('optimize')`); err != nil {
			return err
		}
	}
	return nil
}

// tsvector writes the fields as a tsvector literal: every token with its
// positions and weight (A folded title, C filter tokens and the month of
// publication, D folded body), fields apart so that no phrase spans two.
func tsvector(f *search.Fields, pub time.Time) string {
	type lexeme struct {
		pos []string
	}
	lex := map[string]*lexeme{}
	pos := 1
	add := func(field string, weight byte) {
		for _, w := range strings.Fields(field) {
			l := lex[w]
			if l == nil {
				l = &lexeme{}
				lex[w] = l
			}
			if len(l.pos) < 256 && pos <= 16383 {
				l.pos = append(l.pos, strconv.Itoa(pos)+string(weight))
			}
			pos++
		}
		pos += 50
	}
	add(f.Title, 'A')
	add(f.Meta+" "+monthToken(pub), 'C')
	add(f.Body, 'D')
	keys := make([]string, 0, len(lex))
	for k, l := range lex {
		if len(l.pos) > 0 {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte('\'')
		b.WriteString(strings.ReplaceAll(strings.ReplaceAll(k, `\`, `\\`), `'`, `''`))
		b.WriteString("':")
		b.WriteString(strings.Join(lex[k].pos, ","))
	}
	return b.String()
}

// SearchSource returns the fingerprint of what a source indexed whole
// (the site directory) last put into the index, "" if none.
func (db *DB) SearchSource(ctx context.Context, name string) (string, error) {
	var fp string
	err := db.queryRow(ctx, `SELECT fingerprint FROM search_sources WHERE name = ?`, name).Scan(&fp)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return fp, err
}

// SetSearchSource records the fingerprint of what a source put into the
// index.
func (db *DB) SetSearchSource(ctx context.Context, name, fp string) error {
	_, err := db.exec(ctx, `INSERT INTO search_sources (name, fingerprint) VALUES (?, ?)
		ON CONFLICT (name) DO UPDATE SET fingerprint = excluded.fingerprint`, name, fp)
	return err
}

// monthToken is the tsvector token of a month of publication: PostgreSQL
// searches the newest months first (see pgWindow).
func monthToken(t time.Time) string {
	t = t.UTC()
	return "zzm" + strconv.Itoa(t.Year()*100+int(t.Month()))
}
