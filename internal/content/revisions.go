package content

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/richtext"
)

// Revisions returns every saved version of an item, newest first.
func (s *Service) Revisions(ctx context.Context, id int64) ([]*Revision, error) {
	a, err := s.store.Article(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := access.Check(ctx, access.ViewSite, a.SiteID); err != nil {
		return nil, err
	}
	return s.store.Revisions(ctx, id)
}

// Op is one piece of a diff.
type Op struct {
	Kind string // "=", "+", "-"
	Text string
}

// FieldDiff is how one field differs between two revisions.
type FieldDiff struct {
	Field   string // catalog key suffix: title, summary, body, author…
	Old     string
	New     string
	Ops     []Op // for text fields: the word-level diff
	Changed bool
}

// Diff compares two revisions of an item (by version).
func (s *Service) Diff(ctx context.Context, id int64, from, to int) ([]FieldDiff, *Revision, *Revision, error) {
	a, err := s.store.Article(ctx, id)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := access.Check(ctx, access.ViewSite, a.SiteID); err != nil {
		return nil, nil, nil, err
	}
	ra, err := s.store.Revision(ctx, id, from)
	if err != nil {
		return nil, nil, nil, err
	}
	rb, err := s.store.Revision(ctx, id, to)
	if err != nil {
		return nil, nil, nil, err
	}
	return DiffRevisions(ra, rb), ra, rb, nil
}

// DiffRevisions compares a and b field by field; text fields get a
// word-level diff, the body compared as its text, block by block.
func DiffRevisions(a, b *Revision) []FieldDiff {
	var out []FieldDiff
	text := func(field, x, y string) {
		d := FieldDiff{Field: field, Old: x, New: y, Changed: x != y}
		if d.Changed {
			d.Ops = DiffWords(x, y)
		}
		out = append(out, d)
	}
	text("title", a.Title, b.Title)
	text("summary", a.Summary, b.Summary)
	text("body", richtext.Text(a.Body), richtext.Text(b.Body))
	if a.Body != b.Body && richtext.Text(a.Body) == richtext.Text(b.Body) {
		// Same words, different markup (a link, emphasis, an image).
		out[len(out)-1].Changed = true
		out[len(out)-1].Ops = []Op{{Kind: "=", Text: richtext.Text(b.Body)}}
	}
	plain := func(field, x, y string) {
		out = append(out, FieldDiff{Field: field, Old: x, New: y, Changed: x != y})
	}
	fa, fb := a.Fields, b.Fields
	plain("author", fa.Author, fb.Author)
	plain("source", fa.Source, fb.Source)
	plain("tags", strings.Join(fa.Tags, ", "), strings.Join(fb.Tags, ", "))
	plain("slug", fa.Slug, fb.Slug)
	plain("status", string(fa.Status), string(fb.Status))
	plain("category", itoa(fa.CategoryID), itoa(fb.CategoryID))
	plain("cover", itoa(fa.CoverID), itoa(fb.CoverID))
	return out
}

// Changed lists the fields that differ between two revisions.
func Changed(a, b *Revision) []string {
	var out []string
	for _, d := range DiffRevisions(a, b) {
		if d.Changed {
			out = append(out, d.Field)
		}
	}
	return out
}

// DiffWords returns a word-level diff of two texts (line breaks kept as
// words), by longest common subsequence. Very long texts fall back to
// comparing lines, to bound the work.
func DiffWords(a, b string) []Op {
	ta, tb := tokens(a), tokens(b)
	if len(ta)*len(tb) > 4_000_000 {
		ta, tb = lines(a), lines(b)
		if len(ta)*len(tb) > 4_000_000 {
			return []Op{{"-", a}, {"+", b}}
		}
	}
	// LCS table from the end.
	n, m := len(ta), len(tb)
	w := m + 1
	l := make([]int32, (n+1)*w)
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if ta[i] == tb[j] {
				l[i*w+j] = l[(i+1)*w+j+1] + 1
			} else {
				l[i*w+j] = max(l[(i+1)*w+j], l[i*w+j+1])
			}
		}
	}
	var ops []Op
	add := func(kind, t string) {
		if k := len(ops) - 1; k >= 0 && ops[k].Kind == kind {
			ops[k].Text += t
			return
		}
		ops = append(ops, Op{kind, t})
	}
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case ta[i] == tb[j]:
			add("=", ta[i])
			i, j = i+1, j+1
		case l[(i+1)*w+j] >= l[i*w+j+1]:
			add("-", ta[i])
			i++
		default:
			add("+", tb[j])
			j++
		}
	}
	for ; i < n; i++ {
		add("-", ta[i])
	}
	for ; j < m; j++ {
		add("+", tb[j])
	}
	return ops
}

// tokens splits text into words with their following space.
func tokens(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' || s[i] == '\n' {
			out = append(out, s[start:i+1])
			start = i + 1
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

func lines(s string) []string { return strings.SplitAfter(s, "\n") }

func itoa(n int64) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatInt(n, 10)
}

// Restore saves an old revision's content as the newest version (itself a
// new revision: nothing is lost).
func (s *Service) Restore(ctx context.Context, id int64, version int, from int) (*Article, error) {
	r, err := s.store.Revision(ctx, id, from)
	if err != nil {
		return nil, err
	}
	a, err := s.store.Article(ctx, id)
	if err != nil {
		return nil, err
	}
	f := r.Fields
	in := Input{Kind: a.Kind, CategoryID: f.CategoryID, Title: r.Title, Summary: r.Summary, Body: r.Body,
		CoverID: f.CoverID, Author: f.Author, Source: f.Source, Tags: slices.Clone(f.Tags), Slug: a.Slug,
		Template: f.Template, MediaIDs: f.MediaIDs, Position: a.Position, ExpireAt: f.ExpireAt}
	if in.CategoryID != 0 {
		if c, err := s.store.Category(ctx, in.CategoryID); err != nil || c.SiteID != a.SiteID {
			in.CategoryID = a.CategoryID // the category was deleted since
		}
	}
	out, err := s.Save(ctx, id, version, in, "restore:"+strconv.Itoa(from))
	if fault.Is(err, fault.Invalid) {
		return nil, fault.New(fault.Conflict, "article.restore_invalid")
	}
	return out, err
}
