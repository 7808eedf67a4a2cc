package opendata

import (
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"slices"
	"sort"
	"strings"
)

// restCol is where the text of a table's uncoded columns is stored among
// its coded columns.
const restCol = -2

// restText is the folded text of the uncoded columns of every row, rows
// separated by a newline, for q.
type restText struct {
	text []byte
	ends []uint32 // where each row's text ends
}

func (t *restText) size() int64 { return int64(len(t.text) + 4*len(t.ends)) }

// appendRow closes a row.
func (t *restText) endRow() {
	t.text = append(t.text, '\n')
	t.ends = append(t.ends, uint32(len(t.text)))
}

// appendCell adds a cell's folded text to the current row.
func (t *restText) appendCell(s []byte) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\n' || c == '\r' {
			c = ' '
		}
		t.text = append(t.text, c)
	}
	t.text = append(t.text, ' ')
}

// restPart is how many bytes of text one stored part holds.
const restPart = 16 << 20

func (t *restText) encode() ([]byte, [][]byte) {
	ends := make([]byte, 4*len(t.ends))
	for i, e := range t.ends {
		binary.LittleEndian.PutUint32(ends[4*i:], e)
	}
	var parts [][]byte
	for i := 0; i < len(t.text); i += restPart {
		parts = append(parts, t.text[i:min(i+restPart, len(t.text))])
	}
	if len(parts) == 0 {
		parts = [][]byte{{}}
	}
	return ends, parts
}

func decodeRest(endsB []byte, parts [][]byte) *restText {
	t := &restText{ends: make([]uint32, len(endsB)/4)}
	for i := range t.ends {
		t.ends[i] = binary.LittleEndian.Uint32(endsB[4*i:])
	}
	for _, p := range parts {
		t.text = append(t.text, p...)
	}
	return t
}

// match adds to out the rows whose text holds w.
func (t *restText) match(w []byte, out bitset) {
	pos, row := 0, 0
	for pos < len(t.text) {
		i := bytes.Index(t.text[pos:], w)
		if i < 0 {
			return
		}
		at := uint32(pos + i)
		row += sort.Search(len(t.ends)-row, func(k int) bool { return t.ends[row+k] > at })
		if row >= len(t.ends) {
			return
		}
		out[row>>6] |= 1 << (row & 63)
		pos = int(t.ends[row])
		row++
	}
}

// codedSearch answers q from memory when the table allows it (see
// LoadReport.Layout): filters on coded columns, words, and an order by _id
// or by one coded column. ok is false when the database must answer.
func (s *Service) codedSearch(ctx context.Context, r *Resource, q *TableQuery) (res *TableResult, ok bool, err error) {
	if r.Report == nil || r.Report.Layout < 2 || len(q.Sort) > 1 {
		return nil, false, nil
	}
	for _, f := range q.Filters {
		if f.Col < 0 || !r.Columns[f.Col].Coded {
			return nil, false, nil
		}
	}
	var sortBy *codedColumn
	desc := false
	if len(q.Sort) == 1 {
		k := q.Sort[0]
		desc = k.Desc
		if k.Col >= 0 {
			if !r.Columns[k.Col].Coded {
				return nil, false, nil
			}
			if sortBy, err = s.codedColumn(ctx, r, k.Col); err != nil {
				return nil, false, err
			}
		}
	}
	n := int(r.Rows)
	var set bitset // nil: every row
	for _, f := range q.Filters {
		c, err := s.codedColumn(ctx, r, f.Col)
		if err != nil {
			return nil, false, err
		}
		want := make([]bool, len(c.vals))
		for code, v := range c.vals {
			for _, fv := range f.Values {
				if v != nil && v == fv {
					want[code] = true
				}
			}
		}
		set = c.keep(want, set, n)
	}
	if len(q.Words) > 0 {
		if set, err = s.matchWords(ctx, r, q.Words, set); err != nil {
			return nil, false, err
		}
	}
	res = &TableResult{Total: r.Rows}
	if set != nil {
		res.Total = set.count()
	}
	var ids []int64
	switch {
	case sortBy != nil:
		ids = sortBy.page(set, q.Offset, q.Limit, desc, n)
	case set == nil:
		ids = allPage(n, q.Offset, q.Limit, desc)
	default:
		ids = set.page(q.Offset, q.Limit, desc)
	}
	if res.Rows, err = s.store.TableRowsByID(ctx, r.Datastore, q.Fields, ids); err != nil {
		return nil, false, err
	}
	return res, true, nil
}

// allPage is a page of every row in _id order.
func allPage(n, offset, limit int, desc bool) []int64 {
	var ids []int64
	for i := offset; i < n && len(ids) < limit; i++ {
		if desc {
			ids = append(ids, int64(n-i))
		} else {
			ids = append(ids, int64(i+1))
		}
	}
	return ids
}

// matchWords keeps the rows of in (nil: all) that hold every word, in a
// coded column's value or in the text of the others.
func (s *Service) matchWords(ctx context.Context, r *Resource, words []string, in bitset) (bitset, error) {
	n := int(r.Rows)
	rest, err := s.restText(ctx, r)
	if err != nil {
		return nil, err
	}
	set := in
	for _, w := range words {
		hit := newBitset(n)
		for i, col := range r.Columns {
			if !col.Coded {
				continue
			}
			c, err := s.codedColumn(ctx, r, i)
			if err != nil {
				return nil, err
			}
			want := make([]bool, len(c.vals))
			any := false
			for code, f := range c.folded {
				if code > 0 && strings.Contains(f, w) {
					want[code], any = true, true
				}
			}
			if any {
				part := c.keep(want, nil, n)
				for j := range hit {
					hit[j] |= part[j]
				}
			}
		}
		rest.match([]byte(w), hit)
		if set != nil {
			for j := range hit {
				hit[j] &= set[j]
			}
		}
		set = hit
	}
	return set, nil
}

func (s *Service) restText(ctx context.Context, r *Resource) (*restText, error) {
	c, err := s.coded.column(r.Datastore, restCol, func() (*codedColumn, error) {
		ends, parts, err := s.store.ColumnCodes(context.WithoutCancel(ctx), r.Datastore, restCol)
		if err != nil {
			return nil, err
		}
		return &codedColumn{rest: decodeRest(ends, parts)}, nil
	})
	if err != nil {
		return nil, err
	}
	return c.rest, nil
}

// ranks orders the codes of a column by their values, as the databases
// do: empty first, then numbers, then text; equal values share a rank.
func (c *codedColumn) ranks() []int {
	order := make([]int, len(c.vals)-1)
	for i := range order {
		order[i] = i + 1
	}
	kind := func(v any) int {
		switch v.(type) {
		case int64, float64:
			return 1
		}
		return 2
	}
	num := func(v any) float64 {
		switch x := v.(type) {
		case int64:
			return float64(x)
		case float64:
			return x
		}
		return 0
	}
	compare := func(a, b any) int {
		if r := cmp.Compare(kind(a), kind(b)); r != 0 {
			return r
		}
		if kind(a) == 1 {
			return cmp.Compare(num(a), num(b))
		}
		return strings.Compare(a.(string), b.(string))
	}
	slices.SortFunc(order, func(a, b int) int { return compare(c.vals[a], c.vals[b]) })
	rank := make([]int, len(c.vals))
	r := 0
	for i, code := range order {
		if i > 0 && compare(c.vals[order[i-1]], c.vals[code]) != 0 {
			r++
		}
		rank[code] = r + 1
	}
	return rank
}

// page returns a page of the rows of set (nil: all) ordered by this
// column, then by _id; empty cells first ascending, last descending.
func (c *codedColumn) page(set bitset, offset, limit int, desc bool, n int) []int64 {
	rank := c.ranks()
	top := 0
	for _, r := range rank {
		top = max(top, r)
	}
	if desc { // reversed ranks; empty cells (rank 0) go last
		for code, r := range rank {
			if code == 0 {
				rank[code] = top + 1
			} else {
				rank[code] = top + 1 - r
			}
		}
		top++
	}
	in := func(i int) bool { return set == nil || set[i>>6]&(1<<(i&63)) != 0 }
	code := func(i int) int {
		if c.c8 != nil {
			return int(c.c8[i])
		}
		return int(c.c16[i])
	}
	hist := make([]int, top+1)
	for i := 0; i < n; i++ {
		if in(i) {
			hist[rank[code(i)]]++
		}
	}
	// The ranks the page falls in.
	lo, hi, seen := -1, -1, 0
	for r, k := range hist {
		if k == 0 {
			continue
		}
		if lo < 0 && seen+k > offset {
			lo = r
		}
		if lo >= 0 {
			hi = r
		}
		seen += k
		if seen >= offset+limit {
			break
		}
	}
	if lo < 0 {
		return nil
	}
	skip := offset
	for r := 0; r < lo; r++ {
		skip -= hist[r]
	}
	type item struct{ rank, row int }
	var items []item
	for i := 0; i < n; i++ {
		if in(i) {
			if r := rank[code(i)]; r >= lo && r <= hi {
				items = append(items, item{r, i})
			}
		}
	}
	slices.SortStableFunc(items, func(a, b item) int { return cmp.Compare(a.rank, b.rank) })
	items = items[min(skip, len(items)):]
	ids := make([]int64, 0, min(limit, len(items)))
	for _, it := range items[:min(limit, len(items))] {
		ids = append(ids, int64(it.row+1))
	}
	return ids
}
