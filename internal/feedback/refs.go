package feedback

import (
	"context"

	"github.com/congvn/cong/internal/fault"
)

// Target is the page a reference leads to: a document or a procedure in
// the registries, on the site that publishes it.
type Target struct {
	SiteID int64
	Path   string
	Title  string
	Ref    string // the number or code as the registry writes it
}

// Registry finds documents by number and procedures by code in the
// registries (internal/document, internal/procedure), for the references
// of answers. The server wires it; without one, references are kept as
// typed.
type Registry interface {
	// Document returns the published document with number, however typed,
	// preferring site siteID's, then the city's, then any site's; ok is
	// false when there is none.
	Document(ctx context.Context, siteID int64, number string) (t Target, ok bool, err error)
	// Procedure returns the published procedure with code on site siteID,
	// else on the city portal; ok is false when there is none.
	Procedure(ctx context.Context, siteID int64, code string) (t Target, ok bool, err error)
}

// Registered reports whether r refers to the registries: a document by its
// number or a procedure by its code, without a link of its own.
func (r Ref) Registered() bool {
	return (r.Kind == "document" || r.Kind == "procedure") && r.Ref != "" && r.URL == ""
}

// RefField is the form field of a reference's kind, for errors.
func RefField(kind string) string {
	switch kind {
	case "document":
		return "documents"
	case "procedure":
		return "procedures"
	}
	return "refs"
}

func (s *Service) lookup(ctx context.Context, siteID int64, r Ref) (Target, bool, error) {
	if r.Kind == "document" {
		return s.Registry.Document(ctx, siteID, r.Ref)
	}
	return s.Registry.Procedure(ctx, siteID, r.Ref)
}

// resolveRefs checks the references to the registries of an answer by
// the unit at siteID: each document number and procedure code must be
// found, or the staff are told which is unknown; the title comes from the
// registry unless one was typed.
func (s *Service) resolveRefs(ctx context.Context, siteID int64, refs []Ref) ([]Ref, error) {
	if s.Registry == nil {
		return refs, nil
	}
	var errs fault.List
	for i, r := range refs {
		if !r.Registered() {
			continue
		}
		t, ok, err := s.lookup(ctx, siteID, r)
		if err != nil {
			return nil, err
		}
		if !ok {
			errs = append(errs, fault.OnField(RefField(r.Kind), "feedback.ref_unknown_"+r.Kind, r.Ref))
			continue
		}
		if r.Title == "" || r.Title == r.Ref {
			refs[i].Title = t.Title
		}
		refs[i].Ref = t.Ref
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return refs, nil
}

// Targets returns where the references of an answer by the unit at siteID
// lead now: the page of each document or procedure referred to by number
// or code (a zero Target when it is no longer published), and a zero
// Target for the others, which carry their own link.
func (s *Service) Targets(ctx context.Context, siteID int64, refs []Ref) ([]Target, error) {
	out := make([]Target, len(refs))
	if s.Registry == nil {
		return out, nil
	}
	for i, r := range refs {
		if !r.Registered() {
			continue
		}
		t, ok, err := s.lookup(ctx, siteID, r)
		if err != nil {
			return nil, err
		}
		if ok {
			out[i] = t
		}
	}
	return out, nil
}
