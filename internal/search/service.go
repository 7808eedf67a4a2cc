package search

import (
	"context"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"time"
)

// Entry is a document ready for the index.
type Entry struct {
	Doc
	Index Fields
}

// Match is what the engines search for: every clause in the title or the
// body, and every filter token. When Prefix is set, the last word of the
// last clause is a prefix, matched in titles only (suggestions while
// typing).
type Match struct {
	Clauses [][][]string // clauses, each a list of alternative phrases
	Filters []string     // filter tokens (SiteToken…), all required
	Prefix  bool
	// SiteID repeats the site filter, for an engine that walks one site's
	// documents by an index of its own (PostgreSQL); 0 for every site.
	SiteID int64
}

// Row is a match as the window sees it: enough for the facets and the
// ranking.
type Row struct {
	ID       int64
	SiteID   int64
	Kind     Kind
	Category string
	Year     int
	Title    string // Fields.Title
	Exact    string // Fields.Exact
}

// Stored is an indexed document as stored for showing a hit.
type Stored struct {
	ID int64
	Doc
}

// Term is a word of the titles with the number of documents using it.
type Term struct {
	Word, Display string
	Docs          int
}

// Store keeps the index; both engines implement it (internal/store).
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	SearchPut(ctx context.Context, es []*Entry) error
	SearchDelete(ctx context.Context, kind Kind, ref string) error
	// SearchDeleteSite empties the index of one site (0: all sites).
	SearchDeleteSite(ctx context.Context, siteID int64) error
	// SearchWindow returns the newest matches, newest first, at most limit.
	SearchWindow(ctx context.Context, m *Match, limit int) ([]Row, error)
	// SearchByDate returns matches newest first, from offset.
	SearchByDate(ctx context.Context, m *Match, limit, offset int) ([]int64, error)
	// SearchWordDocs returns how many titles use each word.
	SearchWordDocs(ctx context.Context, words []string) (map[string]int, error)
	SearchDocs(ctx context.Context, ids []int64) ([]Stored, error)
	// SearchTerms returns title words between from (inclusive) and to.
	SearchTerms(ctx context.Context, from, to string, limit int) ([]Term, error)
	// SearchSize counts documents and gives the smallest and largest id.
	SearchSize(ctx context.Context) (n int, minID, maxID int64, err error)
}

// Window is how many of the newest matches relevance is ranked over and
// facets are counted on when a query matches more: ranking costs grow with
// the number of matches, and a citizen looking for "hà nội" among a
// million documents wants the relevant recent ones.
const Window = 1000

// SiteWindow is the window when one site is searched: its matches are
// sparse in the index of every site, so reaching back as far costs more.
const SiteWindow = 300

// Service searches the index and keeps it.
type Service struct {
	store      Store
	Window     int
	SiteWindow int
	Now        func() time.Time

	mu   sync.Mutex
	size sizeCache
}

type sizeCache struct {
	at         time.Time
	n          int
	minID, max int64
}

// NewService returns a Service over st.
func NewService(st Store) *Service {
	return &Service{store: st, Window: Window, SiteWindow: SiteWindow, Now: time.Now}
}

// Put indexes d (replacing what was indexed under its kind, ref and
// language) in the transaction carried by ctx; under Batch, at Flush.
func (s *Service) Put(ctx context.Context, d Doc) error {
	if b, ok := ctx.Value(batchKey{}).(*batch); ok {
		b.docs = append(b.docs, d)
		if len(b.docs) >= maxBatch {
			return s.Flush(ctx)
		}
		return nil
	}
	return s.store.SearchPut(ctx, []*Entry{NewEntry(d)})
}

// maxBatch bounds the documents a batch holds before it is written.
const maxBatch = 5000

type batchKey struct{}

type batch struct{ docs []Doc }

// Batch returns a context under which Put collects documents, to be
// written together by Flush in the same transaction: a bulk load (the
// demo, an import) then writes the full-text index in a few statements
// instead of one per item, each of which would start a new index segment
// to merge. Delete writes what was collected first, keeping the order.
func Batch(ctx context.Context) context.Context {
	return context.WithValue(ctx, batchKey{}, &batch{})
}

// Flush writes what Put collected under ctx's Batch.
func (s *Service) Flush(ctx context.Context) error {
	b, ok := ctx.Value(batchKey{}).(*batch)
	if !ok || len(b.docs) == 0 {
		return nil
	}
	docs := b.docs
	b.docs = nil
	// The same item put twice in a batch: the last one wins, as it would
	// one at a time.
	last := map[[3]string]int{}
	for i, d := range docs {
		last[[3]string{string(d.Kind), d.Ref, d.Lang}] = i
	}
	keep := docs[:0]
	for i, d := range docs {
		if last[[3]string{string(d.Kind), d.Ref, d.Lang}] == i {
			keep = append(keep, d)
		}
	}
	return s.PutMany(ctx, keep)
}

// PutMany indexes documents in one batch (reindexing, imports, the demo).
func (s *Service) PutMany(ctx context.Context, ds []Doc) error {
	return s.store.SearchPut(ctx, newEntries(ds))
}

// PutAll indexes batches of documents as they come (a bulk load: an
// import, a benchmark), each in the transaction in ctx or one of its own,
// analysing the next batch while the store writes the current one.
func (s *Service) PutAll(ctx context.Context, batches <-chan []Doc) error {
	ready := make(chan []*Entry, 1)
	done := make(chan struct{})
	defer close(done)
	go func() {
		defer close(ready)
		for ds := range batches {
			select {
			case ready <- newEntries(ds):
			case <-done:
				return
			}
		}
	}()
	for es := range ready {
		if err := s.store.SearchPut(ctx, es); err != nil {
			return err
		}
	}
	return nil
}

// newEntries analyses documents on every core: analysis costs about as
// much as the database's writing.
func newEntries(ds []Doc) []*Entry {
	es := make([]*Entry, len(ds))
	workers := min(runtime.GOMAXPROCS(0), len(ds)/64)
	if workers < 2 {
		for i, d := range ds {
			es[i] = NewEntry(d)
		}
		return es
	}
	var wg sync.WaitGroup
	per := (len(ds) + workers - 1) / workers
	for lo := 0; lo < len(ds); lo += per {
		hi := min(lo+per, len(ds))
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				es[i] = NewEntry(ds[i])
			}
		})
	}
	wg.Wait()
	return es
}

// NewEntry analyses d for the index.
func NewEntry(d Doc) *Entry {
	if d.Lang == "" {
		d.Lang = "vi"
	}
	return &Entry{Doc: d, Index: Analyze(d)}
}

// Delete takes an item out of the index, in every language.
func (s *Service) Delete(ctx context.Context, kind Kind, ref string) error {
	if err := s.Flush(ctx); err != nil {
		return err
	}
	return s.store.SearchDelete(ctx, kind, ref)
}

// Params are a search's parameters, as the page and the API take them.
type Params struct {
	Text     string
	SiteID   int64 // 0: every site
	Kind     Kind
	Category string
	Year     int
	Lang     string
	ByDate   bool // newest first instead of most relevant first
	Page     int  // from 1
	PerPage  int
}

// MaxPage bounds pagination: nobody reads past the thousandth result, and
// deep offsets cost.
const MaxPage = 100

// Hit is one result.
type Hit struct {
	Stored
	TitleParts []Part // the title with the matched words marked
	Snippet    []Part // a passage of the text with the matched words marked
}

// Part is a piece of text, marked when it matched.
type Part struct {
	Text string
	Mark bool
}

// Facet is one value of a facet with its count.
type Facet struct {
	Value string
	Count int
}

// Facets count the matches by site, kind, category and year.
type Facets struct {
	Sites, Kinds, Categories, Years []Facet
}

// Results are a page of hits.
type Results struct {
	Query  *Query
	Hits   []Hit
	Total  int
	Approx bool // Total and the facets are estimates ("khoảng")
	Page   int
	Pages  int
	Facets Facets
	// DidYouMean is a corrected query when a word of the query is not in
	// any title and a near one is.
	DidYouMean string
}

// Search runs a search.
func (s *Service) Search(ctx context.Context, p Params) (*Results, error) {
	q := Parse(p.Text)
	if p.PerPage <= 0 {
		p.PerPage = 10
	}
	p.PerPage = min(p.PerPage, 50)
	p.Page = min(max(p.Page, 1), MaxPage)
	res := &Results{Query: q, Page: p.Page}
	if q.Empty() {
		return res, nil
	}
	m := matchOf(q, p)
	window := s.Window
	if p.SiteID != 0 {
		window = s.SiteWindow
	}
	rows, err := s.store.SearchWindow(ctx, m, window)
	if err != nil {
		return nil, err
	}
	res.Total = len(rows)
	scale := 1.0
	if len(rows) >= window && window > 0 {
		res.Approx = true
		res.Total, scale = s.estimate(ctx, rows)
	}
	res.Facets = facets(rows, scale)
	res.Pages = min((res.Total+p.PerPage-1)/p.PerPage, MaxPage)
	offset := (p.Page - 1) * p.PerPage
	var ids []int64
	if p.ByDate && offset+p.PerPage > len(rows) && len(rows) >= window {
		ids, err = s.store.SearchByDate(ctx, m, p.PerPage, offset)
		if err != nil {
			return nil, err
		}
	} else {
		if !p.ByDate {
			if err := s.rank(ctx, q, rows); err != nil {
				return nil, err
			}
			// Relevance is ranked over the window only.
			res.Pages = min(res.Pages, (len(rows)+p.PerPage-1)/p.PerPage)
		}
		for _, r := range rows[min(offset, len(rows)):min(offset+p.PerPage, len(rows))] {
			ids = append(ids, r.ID)
		}
	}
	docs, err := s.store.SearchDocs(ctx, ids)
	if err != nil {
		return nil, err
	}
	hl := q.Highlights()
	for _, d := range docs {
		res.Hits = append(res.Hits, Hit{Stored: d, TitleParts: Mark(d.Title, hl), Snippet: Snippet(d.Summary+"\n"+d.Body, hl, 40)})
	}
	if res.Total == 0 {
		res.DidYouMean, err = s.didYouMean(ctx, q)
		if err != nil {
			return nil, err
		}
	}
	return res, nil
}

// matchOf builds what the engines search for.
func matchOf(q *Query, p Params) *Match {
	m := &Match{}
	for _, c := range q.Clauses {
		m.Clauses = append(m.Clauses, c.Alts)
	}
	if p.SiteID != 0 {
		m.Filters = append(m.Filters, SiteToken(p.SiteID))
		m.SiteID = p.SiteID
	}
	if p.Kind != "" {
		m.Filters = append(m.Filters, KindToken(p.Kind))
	}
	if p.Category != "" {
		m.Filters = append(m.Filters, CategoryToken(p.Category))
	}
	if p.Year != 0 {
		m.Filters = append(m.Filters, YearToken(p.Year))
	}
	if p.Lang != "" {
		m.Filters = append(m.Filters, LangToken(p.Lang))
	}
	return m
}

// estimate extrapolates the number of matches from the time span the
// window covers: ids ascend with publication time, so the window's share
// of the index's span is roughly its share of the matches.
func (s *Service) estimate(ctx context.Context, rows []Row) (int, float64) {
	n, lo, hi, err := s.sizeOf(ctx)
	last := rows[len(rows)-1].ID
	if err != nil || hi <= last || n == 0 {
		return len(rows), 1
	}
	scale := float64(hi-lo) / float64(hi-last)
	est := min(float64(len(rows))*scale, float64(n))
	est = roundTo2(est)
	return int(est), est / float64(len(rows))
}

func roundTo2(f float64) float64 {
	p := 1.0
	for f/p >= 100 {
		p *= 10
	}
	return float64(int(f/p+0.5)) * p
}

func (s *Service) sizeOf(ctx context.Context) (int, int64, int64, error) {
	s.mu.Lock()
	c := s.size
	s.mu.Unlock()
	if !c.at.IsZero() && time.Since(c.at) < time.Minute {
		return c.n, c.minID, c.max, nil
	}
	n, lo, hi, err := s.store.SearchSize(ctx)
	if err != nil {
		return 0, 0, 0, err
	}
	s.mu.Lock()
	s.size = sizeCache{at: time.Now(), n: n, minID: lo, max: hi}
	s.mu.Unlock()
	return n, lo, hi, nil
}

func facets(rows []Row, scale float64) Facets {
	count := func(key func(Row) string) []Facet {
		m := map[string]int{}
		for _, r := range rows {
			if k := key(r); k != "" {
				m[k]++
			}
		}
		out := make([]Facet, 0, len(m))
		for k, n := range m {
			out = append(out, Facet{Value: k, Count: int(roundTo2(float64(n) * scale))})
		}
		slices.SortFunc(out, func(a, b Facet) int {
			if a.Count != b.Count {
				return b.Count - a.Count
			}
			if a.Value < b.Value {
				return -1
			}
			return 1
		})
		return out
	}
	f := Facets{
		Sites:      count(func(r Row) string { return strconv.FormatInt(r.SiteID, 10) }),
		Kinds:      count(func(r Row) string { return string(r.Kind) }),
		Categories: count(func(r Row) string { return r.Category }),
		Years:      count(func(r Row) string { return strconv.Itoa(r.Year) }),
	}
	slices.SortFunc(f.Years, func(a, b Facet) int {
		if a.Value > b.Value {
			return -1
		}
		return 1
	})
	if len(f.Categories) > 20 {
		f.Categories = f.Categories[:20]
	}
	if len(f.Sites) > 20 {
		f.Sites = f.Sites[:20]
	}
	return f
}

// Suggest returns up to limit titles completing what is being typed.
func (s *Service) Suggest(ctx context.Context, text string, siteID int64, limit int) ([]Stored, error) {
	q := Parse(text)
	if q.Empty() || len([]rune(q.Text)) < 2 {
		return nil, nil
	}
	m := matchOf(q, Params{SiteID: siteID})
	last := m.Clauses[len(m.Clauses)-1]
	if len(last) == 1 && len(last[0]) == 1 && len(last[0][0]) >= 2 && !endsWithSpace(text) {
		m.Prefix = true
	}
	limit = min(max(limit, 1), 10)
	rows, err := s.store.SearchWindow(ctx, m, limit)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	return s.store.SearchDocs(ctx, ids)
}

func endsWithSpace(s string) bool { return s != "" && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') }
