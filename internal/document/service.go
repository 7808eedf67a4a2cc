package document

import (
	"context"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/attach"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/search"
	"github.com/congvn/cong/internal/vietnamese"
)

// Store keeps documents, their relations and word index, and the managed
// lists. Lookups of something missing return fault.NotFound.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error

	DocTerms(ctx context.Context, list string) ([]*Term, error)
	DocTerm(ctx context.Context, id int64) (*Term, error)
	CreateDocTerm(ctx context.Context, t *Term) error

	CreateDocument(ctx context.Context, d *Document) error
	// UpdateDocument stores d when its Version matches, and increments it;
	// otherwise fault.Conflict.
	UpdateDocument(ctx context.Context, d *Document) error
	Document(ctx context.Context, id int64) (*Document, error)
	// SetDocumentWords replaces the word index of a document (nil removes it).
	SetDocumentWords(ctx context.Context, d *Document, words []string) error
	SearchDocuments(ctx context.Context, q Query) (*Result, error)

	AddRelation(ctx context.Context, r Relation) error
	DeleteRelation(ctx context.Context, r Relation) error
	// Relations returns the relations from and to a document, with the
	// other document filled in.
	Relations(ctx context.Context, id int64) ([]Relation, error)
	// RelationTargets returns the documents that the given ones point to.
	RelationTargets(ctx context.Context, ids []int64) ([]int64, error)
	// SetDocumentEnds stores the computed end and amendment dates.
	SetDocumentEnds(ctx context.Context, id int64, endsOn, amendedOn string) error
	// InsertDocuments adds many documents with their word index.
	InsertDocuments(ctx context.Context, docs []*Document) error
	// DocumentKeys returns "issuer id|number key|issue date" of a site's
	// documents.
	DocumentKeys(ctx context.Context, siteID int64) (map[string]bool, error)
}

// Recorder writes the audit log entry of a change, inside its transaction.
type Recorder interface {
	Record(ctx context.Context, action string, siteID int64, target string, detail any) error
}

// Service is the document registry.
type Service struct {
	store Store
	log   Recorder
	Files *attach.Files
	// Index receives published documents; nil until the search part is
	// wired in.
	Index search.Indexer
	Now   func() time.Time
}

// NewService returns a Service.
func NewService(s Store, log Recorder, files *attach.Files) *Service {
	return &Service{store: s, log: log, Files: files, Now: time.Now}
}

// Today returns today's date in Vietnam, YYYY-MM-DD.
func (s *Service) Today() string { return s.Now().In(vietnam).Format(time.DateOnly) }

var vietnam = time.FixedZone("ICT", 7*3600)

// Terms returns a managed list in Vietnamese order.
func (s *Service) Terms(ctx context.Context, list string) ([]*Term, error) {
	return s.store.DocTerms(ctx, list)
}

// AddTerm adds an entry to a managed list (city-wide).
func (s *Service) AddTerm(ctx context.Context, t *Term) error {
	if err := access.Check(ctx, access.ManageDocTerms, 0); err != nil {
		return err
	}
	var errs fault.List
	t.Name, t.NameEn = vietnamese.Clean(t.Name), vietnamese.Clean(t.NameEn)
	if t.Code == "" {
		t.Code = vietnamese.Slug(t.Name, 60)
	}
	if t.Name == "" || len(t.Name) > 300 {
		errs = append(errs, fault.OnField("name", "document.term_name_required"))
	}
	if !validList(t.List) {
		errs = append(errs, fault.OnField("list", "document.list_invalid"))
	}
	if err := errs.Err(); err != nil {
		return err
	}
	return s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.CreateDocTerm(ctx, t); err != nil {
			return err
		}
		return s.log.Record(ctx, "document.term_add", 0, t.List+":"+t.Code, map[string]any{"name": t.Name})
	})
}

func validList(l string) bool { return l == ListType || l == ListIssuer || l == ListField }

// Get returns a document with its files. Unpublished documents are shown
// only to the site's staff.
func (s *Service) Get(ctx context.Context, id int64) (*Document, error) {
	d, err := s.store.Document(ctx, id)
	if err != nil {
		return nil, err
	}
	if !d.Published {
		if err := access.Check(ctx, access.ViewSite, d.SiteID); err != nil {
			return nil, fault.New(fault.NotFound, "document.not_found")
		}
	}
	if s.Files != nil {
		if d.Files, err = s.Files.Of(ctx, "document", d.ID); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// Published returns a published document of a site, for public pages.
func (s *Service) Published(ctx context.Context, siteID, id int64) (*Document, error) {
	d, err := s.store.Document(ctx, id)
	if err != nil || !d.Published || d.SiteID != siteID {
		return nil, fault.New(fault.NotFound, "document.not_found")
	}
	if s.Files != nil {
		if d.Files, err = s.Files.Of(ctx, "document", d.ID); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// Create adds a document to a site, unpublished.
func (s *Service) Create(ctx context.Context, d *Document) error {
	if err := access.Check(ctx, access.EditDisclosure, d.SiteID); err != nil {
		return err
	}
	if err := d.validate(); err != nil {
		return err
	}
	d.Published = false
	return s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.checkTerms(ctx, d); err != nil {
			return err
		}
		if err := s.store.CreateDocument(ctx, d); err != nil {
			return err
		}
		return s.log.Record(ctx, "document.create", d.SiteID, d.Number, map[string]any{"id": d.ID, "title": d.Title})
	})
}

// checkTerms makes sure the type, issuer and field exist in their lists.
func (s *Service) checkTerms(ctx context.Context, d *Document) error {
	var errs fault.List
	for _, c := range []struct {
		field, list string
		id          int64
		name        *string
	}{{"type", ListType, d.TypeID, &d.Type}, {"issuer", ListIssuer, d.IssuerID, &d.Issuer}, {"field", ListField, d.FieldID, &d.Field}} {
		if c.id == 0 {
			continue
		}
		t, err := s.store.DocTerm(ctx, c.id)
		if err != nil || t.List != c.list {
			errs = append(errs, fault.OnField(c.field, "document.term_unknown"))
			continue
		}
		*c.name = t.Name
	}
	return errs.Err()
}

// Update changes a document's fields; version is the one the editor saw.
// A published document's index entry and status follow.
func (s *Service) Update(ctx context.Context, id int64, version int, in Document) (*Document, error) {
	d, err := s.store.Document(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := access.Check(ctx, access.EditDisclosure, d.SiteID); err != nil {
		return nil, err
	}
	d.Number, d.TypeID, d.IssuerID, d.FieldID = in.Number, in.TypeID, in.IssuerID, in.FieldID
	d.Title, d.Signer, d.IssuedOn, d.EffectiveOn, d.ExpiresOn, d.Body = in.Title, in.Signer, in.IssuedOn, in.EffectiveOn, in.ExpiresOn, in.Body
	if err := d.validate(); err != nil {
		return nil, err
	}
	if d.Version != version {
		return nil, fault.New(fault.Conflict, "document.edited_meanwhile")
	}
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.checkTerms(ctx, d); err != nil {
			return err
		}
		if err := s.store.UpdateDocument(ctx, d); err != nil {
			return err
		}
		if err := s.refresh(ctx, d); err != nil {
			return err
		}
		return s.log.Record(ctx, "document.update", d.SiteID, d.Number, map[string]any{"id": d.ID})
	})
	return d, err
}

// SetPublished publishes or withdraws a document: it enters or leaves the
// search, and the documents it replaces or amends change status.
func (s *Service) SetPublished(ctx context.Context, id int64, publish bool) (*Document, error) {
	d, err := s.store.Document(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := access.Check(ctx, access.PublishDisclosure, d.SiteID); err != nil {
		return nil, err
	}
	if d.Published == publish {
		return d, nil
	}
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		d.Published = publish
		if publish {
			d.PublishedAt = s.Now()
		}
		if err := s.store.UpdateDocument(ctx, d); err != nil {
			return err
		}
		if err := s.refresh(ctx, d); err != nil {
			return err
		}
		action := "document.publish"
		if !publish {
			action = "document.unpublish"
		}
		return s.log.Record(ctx, action, d.SiteID, d.Number, map[string]any{"id": d.ID})
	})
	return d, err
}

// refresh brings derived data up to date after d changed: its word index
// and search entry, its own end dates and those of the documents it points
// to.
func (s *Service) refresh(ctx context.Context, d *Document) error {
	var words []string
	if d.Published {
		words = d.indexWords()
	}
	if err := s.store.SetDocumentWords(ctx, d, words); err != nil {
		return err
	}
	if err := s.index(ctx, d); err != nil {
		return err
	}
	targets, err := s.store.RelationTargets(ctx, []int64{d.ID})
	if err != nil {
		return err
	}
	return s.recomputeEnds(ctx, append(targets, d.ID))
}

func (s *Service) index(ctx context.Context, d *Document) error {
	if s.Index == nil {
		return nil
	}
	ref := strconv.FormatInt(d.ID, 10)
	if !d.Published {
		return s.Index.Delete(ctx, search.KindDocument, ref)
	}
	return s.Index.Put(ctx, search.Doc{
		SiteID: d.SiteID, Kind: search.KindDocument, Ref: ref, Lang: "vi",
		Title: d.Type + " " + d.Number + " " + d.Title, Summary: d.Title, Body: d.Body,
		Numbers: []string{d.Number}, Category: d.Field, Path: d.Path(), Published: d.PublishedAt,
	})
}

// recomputeEnds sets, for each document, the date it ends (its own expiry,
// or the effective date of the earliest published document replacing it)
// and the date it was first amended.
func (s *Service) recomputeEnds(ctx context.Context, ids []int64) error {
	seen := map[int64]bool{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		d, err := s.store.Document(ctx, id)
		if err != nil {
			return err
		}
		rels, err := s.store.Relations(ctx, id)
		if err != nil {
			return err
		}
		ends, amended := d.ExpiresOn, ""
		for _, r := range rels {
			if r.ToID != id || r.Other == nil || !r.Other.Published {
				continue
			}
			on := r.Other.EffectiveOn
			switch r.Kind {
			case Replaces:
				if ends == "" || on < ends {
					ends = on
				}
			case Amends:
				if amended == "" || on < amended {
					amended = on
				}
			}
		}
		if ends != d.EndsOn || amended != d.AmendedOn {
			if err := s.store.SetDocumentEnds(ctx, id, ends, amended); err != nil {
				return err
			}
		}
	}
	return nil
}

// maxWalk bounds the search for a cycle among relations.
const maxWalk = 100000

// Relate records that document from does kind to document to (from amends
// to, replaces it, implements or guides it). A relation that would close a
// cycle (a document replacing, through others, one that replaces it) is
// refused.
func (s *Service) Relate(ctx context.Context, r Relation) error {
	from, err := s.store.Document(ctx, r.FromID)
	if err != nil {
		return err
	}
	if err := access.Check(ctx, access.EditDisclosure, from.SiteID); err != nil {
		return err
	}
	if !validRelation(r.Kind) {
		return fault.OnField("kind", "document.relation_invalid")
	}
	if r.FromID == r.ToID {
		return fault.OnField("to", "document.relation_self")
	}
	to, err := s.store.Document(ctx, r.ToID)
	if err != nil {
		return fault.OnField("to", "document.not_found")
	}
	if !to.Published && to.SiteID != from.SiteID {
		return fault.OnField("to", "document.not_found")
	}
	return s.store.InTx(ctx, func(ctx context.Context) error {
		// A cycle exists when from is reachable from to.
		frontier, seen := []int64{r.ToID}, map[int64]bool{r.ToID: true}
		for len(frontier) > 0 && len(seen) < maxWalk {
			next, err := s.store.RelationTargets(ctx, frontier)
			if err != nil {
				return err
			}
			frontier = frontier[:0]
			for _, id := range next {
				if id == r.FromID {
					return fault.OnField("to", "document.relation_cycle", to.Number)
				}
				if !seen[id] {
					seen[id] = true
					frontier = append(frontier, id)
				}
			}
		}
		if err := s.store.AddRelation(ctx, r); err != nil {
			return err
		}
		if err := s.recomputeEnds(ctx, []int64{r.ToID}); err != nil {
			return err
		}
		return s.log.Record(ctx, "document.relate", from.SiteID, from.Number, map[string]any{"kind": r.Kind, "to": to.Number, "to_id": to.ID})
	})
}

// Unrelate removes a relation.
func (s *Service) Unrelate(ctx context.Context, r Relation) error {
	from, err := s.store.Document(ctx, r.FromID)
	if err != nil {
		return err
	}
	if err := access.Check(ctx, access.EditDisclosure, from.SiteID); err != nil {
		return err
	}
	return s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.DeleteRelation(ctx, r); err != nil {
			return err
		}
		if err := s.recomputeEnds(ctx, []int64{r.ToID}); err != nil {
			return err
		}
		return s.log.Record(ctx, "document.unrelate", from.SiteID, from.Number, map[string]any{"kind": r.Kind, "to_id": r.ToID})
	})
}

// Relations returns a document's relations; public callers see only those
// with published documents.
func (s *Service) Relations(ctx context.Context, id int64, publicOnly bool) ([]Relation, error) {
	rels, err := s.store.Relations(ctx, id)
	if err != nil || !publicOnly {
		return rels, err
	}
	out := rels[:0]
	for _, r := range rels {
		if r.Other != nil && r.Other.Published {
			out = append(out, r)
		}
	}
	return out, nil
}

// Attach adds a file to a document.
func (s *Service) Attach(ctx context.Context, id int64, name string, r io.Reader) error {
	d, err := s.store.Document(ctx, id)
	if err != nil {
		return err
	}
	if err := access.Check(ctx, access.EditDisclosure, d.SiteID); err != nil {
		return err
	}
	return s.store.InTx(ctx, func(ctx context.Context) error {
		f, err := s.Files.Add(ctx, d.SiteID, "document", d.ID, name, r)
		if err != nil {
			return err
		}
		return s.log.Record(ctx, "document.attach", d.SiteID, d.Number, map[string]any{"file": f.Name, "kind": f.Kind, "sha256": f.SHA256})
	})
}

// Query is a document search.
type Query struct {
	SiteID     int64  // 0: every site (city-wide)
	Text       string // words of the summary, or a number however typed
	TypeID     int64
	IssuerID   int64
	FieldID    int64
	Signer     string
	IssuedFrom string // YYYY-MM-DD
	IssuedTo   string
	Status     Status
	Today      string // the day statuses are computed for; set by the service
	Limit      int
	Offset     int
	// Drafts includes unpublished documents (staff lists of one site).
	Drafts bool
}

// Result is a page of documents.
type Result struct {
	Docs []*Document
	// Total is how many documents this page and the ones before hold; it
	// is the number of matches when More is false.
	Total int
	// More says that more documents match, on the next pages.
	More bool
	// ByNumber is set when the query was taken as a document number.
	ByNumber bool
}

// MaxOffset bounds paging: past it, a reader narrows the search.
const MaxOffset = 2000

// maxQuery bounds the search text, in characters.
const maxQuery = 200

// Search finds published documents (and, for staff with Drafts, the
// site's unpublished ones).
func (s *Service) Search(ctx context.Context, q Query) (*Result, error) {
	if q.Drafts {
		if err := access.Check(ctx, access.ViewSite, q.SiteID); err != nil {
			return nil, err
		}
	}
	q.Text = vietnamese.Clean(q.Text)
	if len([]rune(q.Text)) > maxQuery {
		q.Text = string([]rune(q.Text)[:maxQuery])
	}
	q.Signer = strings.TrimSpace(q.Signer)
	if q.Limit <= 0 || q.Limit > 100 {
		q.Limit = 20
	}
	if q.Offset < 0 || q.Offset > MaxOffset {
		q.Offset = 0
	}
	if d, ok := ParseDate(q.IssuedFrom); ok {
		q.IssuedFrom = d
	} else {
		q.IssuedFrom = ""
	}
	if d, ok := ParseDate(q.IssuedTo); ok {
		q.IssuedTo = d
	} else {
		q.IssuedTo = ""
	}
	q.Today = s.Today()
	return s.store.SearchDocuments(ctx, q)
}
