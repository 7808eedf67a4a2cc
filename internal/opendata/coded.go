package opendata

import (
	"container/list"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/bits"
	"strings"
	"sync"
)

// Coded columns. A column with few distinct values (a district, a station,
// a level, a year, a date) is stored twice: typed in the table, and as one
// small code per row (the number of its value in the column's dictionary),
// kept in the database and read into memory on first use. A filtered page
// of a million rows and its total are then a scan of a few megabytes and a
// count of bits, on either engine, instead of index reads that grow with
// the number of matching rows; only the page's rows are read from the
// table, by _id.

// codePart is how many rows one stored part of a coded column holds.
const codePart = 1 << 20

// codedColumn is a coded column in memory.
type codedColumn struct {
	vals   []any    // the typed value of each code; vals[0] is nil (an empty cell)
	folded []string // the folded text of each code, for q
	c8     []uint8  // the codes, one byte a row when the dictionary allows
	c16    []uint16
	rest   *restText // instead, the text of the uncoded columns
}

func (c *codedColumn) size() int64 {
	if c.rest != nil {
		return c.rest.size()
	}
	n := int64(len(c.c8) + 2*len(c.c16))
	for _, f := range c.folded {
		n += int64(len(f)) + 32
	}
	return n
}

func (c *codedColumn) rows() int { return max(len(c.c8), len(c.c16)) }

// newCodedColumn builds a column from its dictionary (values as written,
// numbered from 1) for a table of n rows.
func newCodedColumn(dict []string, typ string, n int) *codedColumn {
	c := &codedColumn{vals: make([]any, len(dict)+1), folded: make([]string, len(dict)+1)}
	for i, v := range dict {
		c.vals[i+1] = typed(v, typ)
		c.folded[i+1] = FoldCell(cellText(c.vals[i+1], v))
	}
	if len(dict) < 256 {
		c.c8 = make([]uint8, n)
	} else {
		c.c16 = make([]uint16, n)
	}
	return c
}

// cellText is the text a typed cell shows in the folded row text: the
// string itself, or the number or date as written.
func cellText(v any, raw string) string {
	if s, ok := v.(string); ok {
		return s
	}
	return raw
}

func (c *codedColumn) set(row int, code uint16) {
	if c.c8 != nil {
		c.c8[row] = uint8(code)
	} else {
		c.c16[row] = code
	}
}

// encode returns the stored form: the dictionary and the parts.
func (c *codedColumn) encode(dict []string) ([]byte, [][]byte, error) {
	d, err := json.Marshal(dict)
	if err != nil {
		return nil, nil, err
	}
	var parts [][]byte
	if c.c8 != nil {
		for i := 0; i < len(c.c8); i += codePart {
			parts = append(parts, c.c8[i:min(i+codePart, len(c.c8))])
		}
	} else {
		for i := 0; i < len(c.c16); i += codePart {
			chunk := c.c16[i:min(i+codePart, len(c.c16))]
			b := make([]byte, 2*len(chunk))
			for j, v := range chunk {
				binary.LittleEndian.PutUint16(b[2*j:], v)
			}
			parts = append(parts, b)
		}
	}
	return d, parts, nil
}

// decodeColumn reads a stored coded column back.
func decodeColumn(dictJSON []byte, parts [][]byte, typ string, rows int) (*codedColumn, error) {
	var dict []string
	if err := json.Unmarshal(dictJSON, &dict); err != nil {
		return nil, err
	}
	c := newCodedColumn(dict, typ, 0)
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	if c.c8 != nil {
		c.c8 = make([]uint8, 0, n)
		for _, p := range parts {
			c.c8 = append(c.c8, p...)
		}
	} else {
		c.c16 = make([]uint16, 0, n/2)
		for _, p := range parts {
			for j := 0; j+1 < len(p); j += 2 {
				c.c16 = append(c.c16, binary.LittleEndian.Uint16(p[j:]))
			}
		}
	}
	if c.rows() != rows {
		return nil, fmt.Errorf("opendata: coded column has %d rows, the table %d", c.rows(), rows)
	}
	return c, nil
}

// bitset is a set of row numbers (row i is _id i+1).
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (b bitset) has(i int) bool { return b[i>>6]&(1<<(i&63)) != 0 }

func (b bitset) count() int64 {
	var n int
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return int64(n)
}

// keep returns the rows of c whose code is wanted, within in (nil: all).
func (c *codedColumn) keep(want []bool, in bitset, n int) bitset {
	out := newBitset(n)
	if c.c8 != nil {
		var w8 [256]bool
		copy(w8[:], want)
		for i, code := range c.c8 {
			if w8[code] {
				out[i>>6] |= 1 << (i & 63)
			}
		}
	} else {
		for i, code := range c.c16 {
			if want[code] {
				out[i>>6] |= 1 << (i & 63)
			}
		}
	}
	if in != nil {
		for i := range out {
			out[i] &= in[i]
		}
	}
	return out
}

// page returns the ids of the rows in set, skipping offset of them, at
// most limit, in _id order or its reverse.
func (b bitset) page(offset, limit int, desc bool) []int64 {
	var ids []int64
	if !desc {
		for i, w := range b {
			if w == 0 {
				continue
			}
			if n := bits.OnesCount64(w); offset >= n {
				offset -= n
				continue
			}
			for w != 0 {
				j := bits.TrailingZeros64(w)
				w &= w - 1
				if offset > 0 {
					offset--
					continue
				}
				ids = append(ids, int64(i*64+j+1))
				if len(ids) == limit {
					return ids
				}
			}
		}
		return ids
	}
	for i := len(b) - 1; i >= 0; i-- {
		w := b[i]
		if w == 0 {
			continue
		}
		if n := bits.OnesCount64(w); offset >= n {
			offset -= n
			continue
		}
		for w != 0 {
			j := 63 - bits.LeadingZeros64(w)
			w &^= 1 << j
			if offset > 0 {
				offset--
				continue
			}
			ids = append(ids, int64(i*64+j+1))
			if len(ids) == limit {
				return ids
			}
		}
	}
	return ids
}

// codedCache keeps coded columns in memory, the least recently used
// dropped past a size. Tables never change once loaded (a new file is a
// new table), so entries never go stale.
type codedCache struct {
	mu    sync.Mutex
	max   int64
	size  int64
	lru   *list.List // of *codedEntry, most recent first
	byKey map[string]*list.Element
}

type codedEntry struct {
	key  string
	col  *codedColumn
	size int64
	once sync.Once
	err  error
}

// DefaultCodedMemory is how much memory coded columns may hold.
const DefaultCodedMemory = 512 << 20

func newCodedCache(max int64) *codedCache {
	return &codedCache{max: max, lru: list.New(), byKey: map[string]*list.Element{}}
}

// column returns a coded column, reading it with load the first time.
func (cc *codedCache) column(table string, col int, load func() (*codedColumn, error)) (*codedColumn, error) {
	key := fmt.Sprintf("%s/%d", table, col)
	cc.mu.Lock()
	el, ok := cc.byKey[key]
	if ok {
		cc.lru.MoveToFront(el)
	} else {
		el = cc.lru.PushFront(&codedEntry{key: key})
		cc.byKey[key] = el
	}
	e := el.Value.(*codedEntry)
	cc.mu.Unlock()
	e.once.Do(func() {
		e.col, e.err = load()
		if e.err != nil {
			return
		}
		e.size = e.col.size()
		cc.mu.Lock()
		cc.size += e.size
		for cc.size > cc.max && cc.lru.Len() > 1 {
			last := cc.lru.Back()
			le := last.Value.(*codedEntry)
			if le == e {
				break
			}
			cc.lru.Remove(last)
			delete(cc.byKey, le.key)
			cc.size -= le.size
		}
		cc.mu.Unlock()
	})
	if e.err != nil {
		cc.forget(key)
	}
	return e.col, e.err
}

// put keeps a column just built (by a load on this node).
func (cc *codedCache) put(table string, col int, c *codedColumn) {
	cc.column(table, col, func() (*codedColumn, error) { return c, nil })
}

// forgetTable drops every column of a table (loaded again under its name).
func (cc *codedCache) forgetTable(table string) {
	cc.mu.Lock()
	var keys []string
	for k := range cc.byKey {
		if strings.HasPrefix(k, table+"/") {
			keys = append(keys, k)
		}
	}
	cc.mu.Unlock()
	for _, k := range keys {
		cc.forget(k)
	}
}

func (cc *codedCache) forget(key string) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if el, ok := cc.byKey[key]; ok {
		e := el.Value.(*codedEntry)
		cc.lru.Remove(el)
		delete(cc.byKey, key)
		cc.size -= e.size
	}
}

// codedColumn returns column i of a resource's table from memory.
func (s *Service) codedColumn(ctx context.Context, r *Resource, i int) (*codedColumn, error) {
	return s.coded.column(r.Datastore, i, func() (*codedColumn, error) {
		dict, parts, err := s.store.ColumnCodes(context.WithoutCancel(ctx), r.Datastore, i)
		if err != nil {
			return nil, err
		}
		return decodeColumn(dict, parts, r.Columns[i].Type, int(r.Rows))
	})
}
