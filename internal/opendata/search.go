package opendata

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/vietnamese"
)

// SearchQuery is a package_search call, with CKAN's parameters.
type SearchQuery struct {
	Q             string
	FQ            string
	Filters       map[string][]string // facet field -> values, all required (the search page's choices)
	Sort          string
	Rows          int
	Start         int
	FacetFields   []string
	FacetLimit    int // default 50; negative: no limit
	FacetMinCount int // default 1
	Drafts        bool
	Sites         []int64 // when set, only datasets of these sites (staff lists)
}

// FacetItem is one value of a facet with how many results have it.
type FacetItem struct {
	Name    string
	Display string
	Count   int
}

// SearchResult is a page of datasets.
type SearchResult struct {
	Count   int
	Results []*Dataset
	Facets  map[string][]FacetItem
	Sort    string
}

// FacetFields are the fields a search may be faceted by.
var FacetFields = []string{"organization", "groups", "tags", "res_format", "license_id"}

// DefaultSort is CKAN's.
const DefaultSort = "score desc, metadata_modified desc"

// MaxRows is the most datasets one search returns (CKAN's rows_max).
const MaxRows = 1000

type sortKey struct {
	field string
	desc  bool
}

func parseSort(s string) ([]sortKey, error) {
	var out []sortKey
	for _, part := range strings.Split(s, ",") {
		f := strings.Fields(part)
		if len(f) == 0 {
			continue
		}
		k := sortKey{field: f[0]}
		if len(f) > 2 || len(f) == 2 && f[1] != "asc" && f[1] != "desc" {
			return nil, fault.New(fault.Invalid, "data.sort_invalid")
		}
		k.desc = len(f) == 2 && f[1] == "desc"
		switch k.field {
		case "score", "metadata_modified", "metadata_created", "name", "title_string", "title", "id", "num_resources":
		default:
			return nil, fault.New(fault.Invalid, "data.sort_invalid")
		}
		out = append(out, k)
	}
	return out, nil
}

// Search finds datasets. Only public datasets are found unless q.Drafts is
// set, which the caller may do for staff listing their own units' data.
func (s *Service) Search(ctx context.Context, orgs *Orgs, q SearchQuery) (*SearchResult, error) {
	if err := s.cat.ensure(ctx); err != nil {
		return nil, err
	}
	qn, err := parseQuery(q.Q)
	if err != nil {
		return nil, err
	}
	fqn, err := parseQuery(q.FQ)
	if err != nil {
		return nil, err
	}
	if q.Sort == "" {
		q.Sort = DefaultSort
	}
	keys, err := parseSort(q.Sort)
	if err != nil {
		return nil, err
	}
	if q.Rows < 0 || q.Start < 0 {
		return nil, fault.New(fault.Invalid, "data.rows_invalid")
	}
	q.Rows = min(q.Rows, MaxRows)
	if q.FacetLimit == 0 {
		q.FacetLimit = 50
	}
	if q.FacetMinCount == 0 {
		q.FacetMinCount = 1
	}
	for _, f := range q.FacetFields {
		if !slices.Contains(FacetFields, f) {
			return nil, fault.New(fault.Invalid, "data.query_field", f)
		}
	}
	now := time.Now()

	c := s.cat
	c.mu.RLock()
	defer c.mu.RUnlock()
	m := &matcher{c: c, orgs: orgs, now: now}
	// The search page's choices: every value required.
	filters := andNode{matchAll{}}
	for field, want := range q.Filters {
		for _, w := range want {
			filters = append(filters, &termNode{field: field, value: w})
		}
	}
	type hit struct {
		doc   *catDoc
		score int
	}
	var hits []hit
	words := textWords(qn)
	var qids []uint32
	for _, w := range words {
		if id, ok := c.dict[w]; ok {
			qids = append(qids, id)
		}
	}
	for _, doc := range c.list {
		if doc.d.State != Active && !q.Drafts {
			continue
		}
		if q.Sites != nil && !slices.Contains(q.Sites, doc.d.SiteID) {
			continue
		}
		if !m.match(doc, fqn) || !m.match(doc, qn) || !m.match(doc, filters) {
			continue
		}
		score := 0
		for _, id := range qids {
			if has(doc.title, id) {
				score += 2
			} else if has(doc.words, id) {
				score++
			}
		}
		hits = append(hits, hit{doc, score})
	}
	cmpHits := func(a, b hit) int {
		for _, k := range keys {
			var r int
			switch k.field {
			case "score":
				r = cmp.Compare(a.score, b.score)
			case "metadata_modified":
				r = cmp.Compare(a.doc.mod, b.doc.mod)
			case "metadata_created":
				r = cmp.Compare(a.doc.cre, b.doc.cre)
			case "name":
				r = strings.Compare(a.doc.d.Name, b.doc.d.Name)
			case "title_string", "title":
				r = vietnamese.Compare(a.doc.d.Title, b.doc.d.Title)
			case "id":
				r = strings.Compare(a.doc.d.ID, b.doc.d.ID)
			case "num_resources":
				r = cmp.Compare(len(a.doc.d.Resources), len(b.doc.d.Resources))
			}
			if k.desc {
				r = -r
			}
			if r != 0 {
				return r
			}
		}
		return strings.Compare(a.doc.d.ID, b.doc.d.ID) // a stable order for paging
	}
	// Only the requested page needs ordering: keep the best Start+Rows.
	if k := q.Start + q.Rows; k < len(hits)/4 {
		top := make([]hit, 0, k+1)
		for _, h := range hits {
			if len(top) == k && (k == 0 || cmpHits(h, top[k-1]) >= 0) {
				continue
			}
			i, _ := slices.BinarySearchFunc(top, h, cmpHits)
			top = slices.Insert(top, i, h)
			if len(top) > k {
				top = top[:k]
			}
		}
		copy(hits, top)
	} else {
		slices.SortFunc(hits, cmpHits)
	}
	res := &SearchResult{Count: len(hits), Sort: q.Sort, Facets: map[string][]FacetItem{}}
	for i := q.Start; i < len(hits) && i < q.Start+q.Rows; i++ {
		res.Results = append(res.Results, hits[i].doc.d)
	}
	for _, f := range q.FacetFields {
		counts := map[string]int{}
		if f == "organization" {
			bySite := make([]int32, len(c.siteID))
			for _, h := range hits {
				bySite[h.doc.site]++
			}
			for i, n := range bySite {
				if o, ok := orgs.OfSite(c.siteID[i]); ok && n > 0 {
					counts[o.Name] += int(n)
				}
			}
		} else {
			fi := slices.Index(facetFields[:], f)
			byValue := make([]int32, len(c.fnames[fi]))
			for _, h := range hits {
				for _, v := range h.doc.facets[fi] {
					byValue[v]++
				}
			}
			for i, n := range byValue {
				if n > 0 {
					counts[c.fnames[fi][i]] = int(n)
				}
			}
		}
		var items []FacetItem
		for v, n := range counts {
			if n >= q.FacetMinCount {
				items = append(items, FacetItem{Name: v, Display: s.facetDisplay(orgs, f, v), Count: n})
			}
		}
		slices.SortFunc(items, func(a, b FacetItem) int {
			if a.Count != b.Count {
				return b.Count - a.Count
			}
			return vietnamese.Compare(a.Display, b.Display)
		})
		if q.FacetLimit > 0 && len(items) > q.FacetLimit {
			items = items[:q.FacetLimit]
		}
		res.Facets[f] = items
	}
	return res, nil
}

func (s *Service) facetDisplay(orgs *Orgs, field, v string) string {
	switch field {
	case "organization":
		if o, ok := orgs.Find(v); ok {
			return o.Title
		}
	case "license_id":
		if l, ok := LicenseByID(v); ok {
			return l.Title
		}
	case "groups":
		if g := s.groupByName(v); g != nil {
			return g.Title
		}
	}
	return v
}

// groupByName returns a theme as the catalogue last loaded it; the caller
// holds the catalogue's lock.
func (s *Service) groupByName(name string) *Group {
	for _, g := range s.cat.groups {
		if g.Name == name {
			return g
		}
	}
	return nil
}

// textWords collects the folded words of the text terms of a query, for
// scoring.
func textWords(n node) []string {
	var out []string
	switch x := n.(type) {
	case *termNode:
		if x.field == "text" || x.field == "title" {
			out = append(out, words(x.value)...)
		}
	case andNode:
		for _, c := range x {
			out = append(out, textWords(c)...)
		}
	case orNode:
		for _, c := range x {
			out = append(out, textWords(c)...)
		}
	}
	return out
}

type matcher struct {
	c    *catalogue
	orgs *Orgs
	now  time.Time
}

// values returns what a document holds in a field.
func (m *matcher) values(doc *catDoc, field string) []string {
	d := doc.d
	switch field {
	case "organization":
		if o, ok := m.orgs.OfSite(d.SiteID); ok {
			return []string{o.Name}
		}
	case "owner_org":
		if o, ok := m.orgs.OfSite(d.SiteID); ok {
			return []string{o.ID}
		}
	case "groups":
		return d.Groups
	case "tags":
		return d.Tags
	case "res_format":
		return doc.formats
	case "license_id":
		return []string{d.LicenseID}
	case "name":
		return []string{d.Name}
	case "id":
		return []string{d.ID}
	case "state":
		return []string{string(d.State)}
	case "type":
		return []string{"dataset"}
	case "frequency":
		return []string{d.Frequency}
	}
	return nil
}

func (m *matcher) match(doc *catDoc, n node) bool {
	switch x := n.(type) {
	case matchAll:
		return true
	case andNode:
		for _, c := range x {
			if !m.match(doc, c) {
				return false
			}
		}
		return true
	case orNode:
		for _, c := range x {
			if m.match(doc, c) {
				return true
			}
		}
		return false
	case notNode:
		return !m.match(doc, x.n)
	case *termNode:
		return m.term(doc, x)
	case *rangeNode:
		var v string
		switch x.field {
		case "metadata_modified":
			v = doc.modified
		case "metadata_created":
			v = doc.created
		default:
			vals := m.values(doc, x.field)
			if len(vals) == 0 {
				return false
			}
			v = vals[0]
			lo, hi := x.lo, x.hi
			return (lo == "*" || v > lo || x.incLo && v == lo) && (hi == "*" || v < hi || x.incHi && v == hi)
		}
		if !x.ready {
			var ok1, ok2 bool
			x.tlo, ok1 = timeBound(x.lo, m.now)
			x.thi, ok2 = timeBound(x.hi, m.now)
			x.tok, x.ready = ok1 && ok2, true
		}
		if !x.tok {
			return false
		}
		lo, hi := x.tlo, x.thi
		return (lo == "" || v > lo || x.incLo && v == lo) && (hi == "" || v < hi || x.incHi && v == hi)
	}
	return false
}

func (m *matcher) term(doc *catDoc, t *termNode) bool {
	if t.set != nil {
		return t.set.has(doc.pos)
	}
	if fi := slices.Index(facetFields[:], t.field); fi >= 0 && t.value != "*" {
		t.set = m.c.facetSet(fi, t.value)
		return t.set.has(doc.pos)
	}
	switch t.field {
	case "organization":
		o, ok := m.orgs.OfSite(doc.d.SiteID)
		return ok && (t.value == "*" || o.Name == t.value)
	}
	switch t.field {
	case "text", "title", "notes", "res_name":
		var hay []uint32
		switch t.field {
		case "title":
			hay = doc.title
		case "notes":
			hay = m.c.ids(doc.d.Notes, false)
		case "res_name":
			hay = m.c.ids(doc.resNames, false)
		default:
			hay = doc.words
		}
		if !t.ready {
			for _, w := range words(t.value) {
				id, ok := m.c.dict[w]
				t.missing = t.missing || !ok
				t.ids = append(t.ids, id)
			}
			t.ready = true
			if t.field == "text" && !t.missing && len(t.ids) > 0 {
				t.set = m.c.wordSet(t.ids)
				return t.set.has(doc.pos)
			}
		}
		if len(t.ids) == 0 {
			return t.value == "*"
		}
		if t.missing {
			return false
		}
		for _, id := range t.ids {
			if !has(hay, id) {
				return false
			}
		}
		return true
	case "metadata_modified", "metadata_created":
		v := doc.modified
		if t.field == "metadata_created" {
			v = doc.created
		}
		b, ok := timeBound(t.value, m.now)
		return ok && v == b
	}
	vals := m.values(doc, t.field)
	if t.value == "*" {
		return len(vals) > 0 && vals[0] != ""
	}
	for _, v := range vals {
		if v == t.value || t.field == "res_format" && strings.EqualFold(v, t.value) {
			return true
		}
	}
	return false
}

// DatasetsChangedSince returns public datasets modified at or after since,
// newest first (recently_changed_packages_activity_list).
func (s *Service) DatasetsChangedSince(ctx context.Context, orgs *Orgs, limit int) ([]*Dataset, error) {
	res, err := s.Search(ctx, orgs, SearchQuery{Sort: "metadata_modified desc", Rows: limit})
	if err != nil {
		return nil, err
	}
	return res.Results, nil
}

// Catalogue returns every public dataset (for the lists of the CKAN API):
// names in order.
func (s *Service) Catalogue(ctx context.Context) ([]*Dataset, error) {
	if err := s.cat.ensure(ctx); err != nil {
		return nil, err
	}
	s.cat.mu.RLock()
	defer s.cat.mu.RUnlock()
	var out []*Dataset
	for _, doc := range s.cat.list {
		if doc.d.State == Active {
			out = append(out, doc.d)
		}
	}
	slices.SortFunc(out, func(a, b *Dataset) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}
