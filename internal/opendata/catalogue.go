package opendata

import (
	"context"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
)

// catalogue holds every dataset that is not deleted, in memory, with the
// words of its text, so that package_search answers with facets in a few
// milliseconds on either engine. It follows the database's change counter:
// a node reads what changed since the counter it last saw, at once after
// its own writes and within checkEvery after another node's.
type catalogue struct {
	store Store

	mu     sync.RWMutex
	seq    int64
	docs   map[string]*catDoc // by id
	byName map[string]*catDoc
	dict   map[string]uint32 // word -> number
	list   []*catDoc
	groups []*Group
	// Facet values by number, so that counting a facet is adding to a
	// slice: per field of facetFields, and the owners' sites.
	fvals  [len(facetFields)]map[string]uint32
	fnames [len(facetFields)][]string
	sites  map[int64]uint32
	siteID []int64
	// Postings: the positions in list of the documents holding a word, or
	// a facet value; rebuilt when list changes.
	wpost map[uint32][]int32
	fpost [len(facetFields)][][]int32

	stale   atomic.Bool
	checked atomic.Int64 // unix nanoseconds of the last look at the counter
}

// checkEvery bounds how long another node's change may take to show.
const checkEvery = time.Second

// catDoc is a dataset with what the search needs precomputed.
type catDoc struct {
	d        *Dataset
	words    []uint32 // sorted, of every text field
	title    []uint32 // sorted, of the title
	formats  []string
	resNames string
	facets   [len(facetFields)][]uint32 // numbered values of facetFields
	site     uint32                     // numbered owner site
	pos      int                        // in the catalogue's list
	modified string                     // timeLayout
	created  string
	mod, cre int64 // unix nanoseconds, for sorting
}

func newCatalogue(s Store) *catalogue {
	c := &catalogue{store: s, docs: map[string]*catDoc{}, byName: map[string]*catDoc{}, dict: map[string]uint32{}, sites: map[int64]uint32{}}
	for i := range c.fvals {
		c.fvals[i] = map[string]uint32{}
	}
	c.stale.Store(true)
	return c
}

func (c *catalogue) invalidate() { c.stale.Store(true) }

// ensure brings the catalogue up to date with the database.
func (c *catalogue) ensure(ctx context.Context) error {
	now := time.Now().UnixNano()
	if !c.stale.Load() && now-c.checked.Load() < int64(checkEvery) {
		return nil
	}
	c.stale.Store(false)
	c.checked.Store(now)
	seq, err := c.store.DataSeq(ctx)
	if err != nil {
		c.stale.Store(true)
		return err
	}
	c.mu.RLock()
	current := c.seq >= seq
	c.mu.RUnlock()
	if current {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seq >= seq {
		return nil
	}
	changed, err := c.store.DatasetsSince(ctx, c.seq)
	if err != nil {
		c.stale.Store(true)
		return err
	}
	for _, d := range changed {
		if old := c.docs[d.ID]; old != nil {
			delete(c.byName, old.d.Name)
		}
		if d.State == Deleted {
			delete(c.docs, d.ID)
			continue
		}
		doc := c.build(d)
		c.docs[d.ID] = doc
		c.byName[d.Name] = doc
		seq = max(seq, d.Seq)
	}
	if c.groups, err = c.store.Groups(ctx); err != nil {
		c.stale.Store(true)
		return err
	}
	c.seq = seq
	if len(changed) > 0 {
		c.list = c.list[:0]
		for _, doc := range c.docs {
			c.list = append(c.list, doc)
		}
		// A stable order, so that equal scores page the same way each time.
		slices.SortFunc(c.list, func(a, b *catDoc) int { return strings.Compare(a.d.ID, b.d.ID) })
		c.post()
	}
	return nil
}

// post rebuilds the postings.
func (c *catalogue) post() {
	c.wpost = make(map[uint32][]int32, len(c.dict))
	for i := range c.fpost {
		c.fpost[i] = make([][]int32, len(c.fnames[i]))
	}
	for pos, doc := range c.list {
		doc.pos = pos
		for _, w := range doc.words {
			c.wpost[w] = append(c.wpost[w], int32(pos))
		}
		for fi, vals := range doc.facets {
			for _, v := range vals {
				c.fpost[fi][v] = append(c.fpost[fi][v], int32(pos))
			}
		}
	}
}

// wordSet returns the documents holding every word of ids.
func (c *catalogue) wordSet(ids []uint32) bitset {
	var set bitset
	for _, id := range ids {
		one := newBitset(len(c.list))
		for _, pos := range c.wpost[id] {
			one[pos>>6] |= 1 << (pos & 63)
		}
		if set != nil {
			for i := range one {
				one[i] &= set[i]
			}
		}
		set = one
	}
	return set
}

// facetSet returns the documents whose facet field fi holds value (any
// case for formats).
func (c *catalogue) facetSet(fi int, value string) bitset {
	set := newBitset(len(c.list))
	for id, name := range c.fnames[fi] {
		if name == value || facetFields[fi] == "res_format" && strings.EqualFold(name, value) {
			for _, pos := range c.fpost[fi][id] {
				set[pos>>6] |= 1 << (pos & 63)
			}
		}
	}
	return set
}

// words splits text into folded words.
func words(s string) []string {
	return strings.FieldsFunc(FoldCell(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
}

func (c *catalogue) ids(text string, add bool) []uint32 {
	var out []uint32
	for _, w := range words(text) {
		id, ok := c.dict[w]
		if !ok {
			if !add {
				continue
			}
			id = uint32(len(c.dict) + 1)
			c.dict[w] = id
		}
		out = append(out, id)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func (c *catalogue) build(d *Dataset) *catDoc {
	doc := &catDoc{d: d, modified: d.Modified.UTC().Format(timeLayout), created: d.Created.UTC().Format(timeLayout),
		mod: d.Modified.UnixNano(), cre: d.Created.UnixNano()}
	var text strings.Builder
	text.WriteString(d.Title + " " + d.Name + " " + d.Notes + " " + d.Spatial + " ")
	for _, t := range d.Tags {
		text.WriteString(t + " ")
	}
	for _, g := range d.Groups {
		text.WriteString(strings.ReplaceAll(g, "-", " ") + " ")
	}
	var names strings.Builder
	for _, r := range d.Resources {
		if r.State == Deleted {
			continue
		}
		text.WriteString(r.Name + " " + r.Description + " " + r.Format + " ")
		names.WriteString(r.Name + " ")
		if f := strings.ToUpper(r.Format); f != "" && !slices.Contains(doc.formats, f) {
			doc.formats = append(doc.formats, f)
		}
	}
	doc.resNames = names.String()
	doc.words = c.ids(text.String(), true)
	doc.title = c.ids(d.Title, true)
	for i, f := range facetFields {
		var vals []string
		switch f {
		case "groups":
			vals = d.Groups
		case "tags":
			vals = d.Tags
		case "res_format":
			vals = doc.formats
		case "license_id":
			vals = []string{d.LicenseID}
		}
		for _, v := range vals {
			doc.facets[i] = append(doc.facets[i], c.facetValue(i, v))
		}
	}
	n, ok := c.sites[d.SiteID]
	if !ok {
		n = uint32(len(c.siteID))
		c.sites[d.SiteID] = n
		c.siteID = append(c.siteID, d.SiteID)
	}
	doc.site = n
	return doc
}

// facetFields are the facets counted by number; "organization" is counted
// by the owner's site.
var facetFields = [...]string{"groups", "tags", "res_format", "license_id"}

func (c *catalogue) facetValue(field int, v string) uint32 {
	n, ok := c.fvals[field][v]
	if !ok {
		n = uint32(len(c.fnames[field]))
		c.fvals[field][v] = n
		c.fnames[field] = append(c.fnames[field], v)
	}
	return n
}

func has(sorted []uint32, id uint32) bool {
	_, ok := slices.BinarySearch(sorted, id)
	return ok
}
