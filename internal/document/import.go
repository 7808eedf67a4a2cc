package document

import (
	"context"
	"strconv"
	"strings"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/bulk"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/vietnamese"
)

// The import columns, in Vietnamese (as the national databases name them)
// with English aliases. Type, issuer and field are names (or codes) from the
// managed lists; dates are YYYY-MM-DD or DD/MM/YYYY; cong_bo (published) is
// yes unless "no"/"khong"/"false"/"0".
var (
	colNumber    = []string{"so_ky_hieu", "number"}
	colType      = []string{"hinh_thuc", "loai_van_ban", "type"}
	colIssuer    = []string{"co_quan_ban_hanh", "issuer"}
	colField     = []string{"linh_vuc", "field"}
	colTitle     = []string{"trich_yeu", "title", "summary"}
	colSigner    = []string{"nguoi_ky", "signer"}
	colIssued    = []string{"ngay_ban_hanh", "issued_on"}
	colEffective = []string{"ngay_hieu_luc", "effective_on"}
	colExpires   = []string{"ngay_het_hieu_luc", "expires_on"}
	colPublished = []string{"cong_bo", "published"}
	colBody      = []string{"noi_dung", "body"}
)

// termIndex finds a list's entries by folded name or by code.
type termIndex map[string]*Term

func (s *Service) termIndex(ctx context.Context, list string) (termIndex, error) {
	terms, err := s.store.DocTerms(ctx, list)
	if err != nil {
		return nil, err
	}
	idx := termIndex{}
	for _, t := range terms {
		idx[vietnamese.Fold(t.Name)] = t
		idx[t.Code] = t
	}
	return idx, nil
}

func (idx termIndex) find(name string) *Term { return idx[vietnamese.Fold(vietnamese.Clean(name))] }

// Import adds documents to a site from rows of a CSV or JSON Lines file.
// Every bad row is reported by its line. Unless partial is set, one bad row
// means nothing is imported; with partial, the good rows are.
func (s *Service) Import(ctx context.Context, siteID int64, rows []bulk.Row, bad []bulk.RowError, partial bool) (*bulk.Report, error) {
	if err := access.Check(ctx, access.EditDisclosure, siteID); err != nil {
		return nil, err
	}
	rep := &bulk.Report{Rows: len(rows) + len(bad), Errors: append([]bulk.RowError(nil), bad...), Partial: partial}
	types, err := s.termIndex(ctx, ListType)
	if err != nil {
		return nil, err
	}
	issuers, err := s.termIndex(ctx, ListIssuer)
	if err != nil {
		return nil, err
	}
	fields, err := s.termIndex(ctx, ListField)
	if err != nil {
		return nil, err
	}
	existing, err := s.store.DocumentKeys(ctx, siteID)
	if err != nil {
		return nil, err
	}
	publishAny := access.Check(ctx, access.PublishDisclosure, siteID) == nil
	now := s.Now()
	var docs []*Document
	for _, r := range rows {
		d, errs := s.rowDocument(r, siteID, types, issuers, fields)
		if d != nil {
			key := strconv.FormatInt(d.IssuerID, 10) + "|" + NumberKey(d.Number) + "|" + d.IssuedOn
			if existing[key] {
				errs = append(errs, fault.OnField("so_ky_hieu", "document.number_taken", d.Number))
			}
			existing[key] = true
			if d.Published && !publishAny {
				errs = append(errs, fault.OnField("cong_bo", "document.publish_forbidden"))
			}
		}
		if len(errs) > 0 {
			rep.Errors = append(rep.Errors, bulk.RowError{Line: r.Line, Err: errs})
			continue
		}
		if d.Published {
			d.PublishedAt = now
		}
		docs = append(docs, d)
	}
	if rep.Failed() && !partial {
		return rep, nil
	}
	if len(docs) == 0 {
		return rep, nil
	}
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.InsertDocuments(ctx, docs); err != nil {
			return err
		}
		for _, d := range docs {
			if err := s.index(ctx, d); err != nil {
				return err
			}
		}
		return s.log.Record(ctx, "document.import", siteID, strconv.Itoa(len(docs)), map[string]any{"imported": len(docs), "bad_rows": len(rep.Errors)})
	})
	if err != nil {
		return nil, err
	}
	rep.Imported = len(docs)
	return rep, nil
}

// rowDocument builds a document from an import row, collecting every problem.
func (s *Service) rowDocument(r bulk.Row, siteID int64, types, issuers, fields termIndex) (*Document, fault.List) {
	var errs fault.List
	d := &Document{SiteID: siteID, Number: r.Get(colNumber...), Title: r.Get(colTitle...), Signer: r.Get(colSigner...), Body: r.Get(colBody...)}
	lookup := func(col string, idx termIndex, name string, required bool, id *int64, label *string) {
		if strings.TrimSpace(name) == "" {
			if required {
				errs = append(errs, fault.OnField(col, "field.required"))
			}
			return
		}
		t := idx.find(name)
		if t == nil {
			errs = append(errs, fault.OnField(col, "document.term_not_listed", name))
			return
		}
		*id, *label = t.ID, t.Name
	}
	lookup("hinh_thuc", types, r.Get(colType...), true, &d.TypeID, &d.Type)
	lookup("co_quan_ban_hanh", issuers, r.Get(colIssuer...), true, &d.IssuerID, &d.Issuer)
	lookup("linh_vuc", fields, r.Get(colField...), false, &d.FieldID, &d.Field)
	for _, c := range []struct {
		col  string
		in   string
		dest *string
	}{{"ngay_ban_hanh", r.Get(colIssued...), &d.IssuedOn}, {"ngay_hieu_luc", r.Get(colEffective...), &d.EffectiveOn}, {"ngay_het_hieu_luc", r.Get(colExpires...), &d.ExpiresOn}} {
		v, ok := ParseDate(c.in)
		if !ok {
			errs = append(errs, fault.OnField(c.col, "field.date_invalid"))
			continue
		}
		*c.dest = v
	}
	switch strings.ToLower(strings.TrimSpace(r.Get(colPublished...))) {
	case "no", "khong", "không", "false", "0":
	default:
		d.Published = true
	}
	if err := d.validate(); err != nil {
		if l, ok := err.(fault.List); ok {
			for _, e := range l {
				// Name the column, not the form field.
				e.Field = importColumn(e.Field)
				if e.Field != "hinh_thuc" && e.Field != "co_quan_ban_hanh" {
					errs = append(errs, e) // those two were reported by lookup
				}
			}
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return d, nil
}

func importColumn(field string) string {
	switch field {
	case "number":
		return "so_ky_hieu"
	case "title":
		return "trich_yeu"
	case "signer":
		return "nguoi_ky"
	case "issued_on":
		return "ngay_ban_hanh"
	case "effective_on":
		return "ngay_hieu_luc"
	case "expires_on":
		return "ngay_het_hieu_luc"
	case "type":
		return "hinh_thuc"
	case "issuer":
		return "co_quan_ban_hanh"
	case "body":
		return "noi_dung"
	}
	return field
}

// Insert adds documents built by a program (the demo, benchmarks) in one
// go, after checking each; the caller holds the permission.
func (s *Service) Insert(ctx context.Context, docs []*Document) error {
	for _, d := range docs {
		if err := access.Check(ctx, access.EditDisclosure, d.SiteID); err != nil {
			return err
		}
		if err := d.validate(); err != nil {
			return err
		}
	}
	return s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.InsertDocuments(ctx, docs); err != nil {
			return err
		}
		for _, d := range docs {
			if err := s.index(ctx, d); err != nil {
				return err
			}
		}
		return nil
	})
}
