package disclosure

import (
	"net/http"
	"strconv"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/compliance"
	"github.com/congvn/cong/internal/document"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/web"
)

// APIRoutes are the JSON routes of mandatory disclosure under /api/v1,
// described in internal/api/openapi/disclosure.json.
func (h *Handler) APIRoutes() []web.Route {
	return []web.Route{
		{Method: "GET", Pattern: "/api/v1/documents", Auth: web.AuthTokenOptional, Handler: h.apiDocuments},
		{Method: "GET", Pattern: "/api/v1/documents/{id}", Auth: web.AuthTokenOptional, Handler: h.apiDocument},
		{Method: "GET", Pattern: "/api/v1/compliance", Auth: web.AuthToken, Scope: web.ScopeCity, Perm: access.ViewCompliance, Handler: h.apiCompliance},
	}
}

// apiDoc is a document as the API gives it.
type apiDoc struct {
	ID          int64    `json:"id"`
	Site        string   `json:"site"`
	Number      string   `json:"number"`
	Type        string   `json:"type"`
	Issuer      string   `json:"issuer"`
	Field       string   `json:"field,omitempty"`
	Title       string   `json:"title"`
	Signer      string   `json:"signer,omitempty"`
	IssuedOn    string   `json:"issued_on"`
	EffectiveOn string   `json:"effective_on"`
	EndsOn      string   `json:"ends_on,omitempty"`
	Status      string   `json:"status"`
	URL         string   `json:"url"`
	Files       []string `json:"files,omitempty"`
}

func (h *Handler) apiDocOf(q *web.Req, d *document.Document, today string) apiDoc {
	out := apiDoc{ID: d.ID, Number: d.Number, Type: d.Type, Issuer: d.Issuer, Field: d.Field, Title: d.Title, Signer: d.Signer,
		IssuedOn: d.IssuedOn, EffectiveOn: d.EffectiveOn, EndsOn: d.EndsOn, Status: string(d.StatusOn(today))}
	if st, ok := q.Dir.ByID(d.SiteID); ok {
		out.Site, out.URL = st.Code, q.SiteURL(st, d.Path())
		for _, f := range d.Files {
			out.Files = append(out.Files, q.SiteURL(st, "/tep/"+strconv.FormatInt(f.ID, 10)+"/"+urlName(f.Name)))
		}
	}
	return out
}

// apiDocuments searches published documents: ?q= (words or a number),
// site=, type=, issuer=, field= (codes of the managed lists), status=,
// from=, to=, page=.
func (h *Handler) apiDocuments(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	ctx := r.Context()
	v := r.URL.Query()
	query := document.Query{Text: v.Get("q"), IssuedFrom: v.Get("from"), IssuedTo: v.Get("to"), Status: document.Status(v.Get("status")), Limit: 50}
	if code := v.Get("site"); code != "" {
		st, ok := q.Dir.ByCode(code)
		if !ok {
			h.JSONFault(w, r, fault.New(fault.NotFound, "site.not_found"))
			return
		}
		query.SiteID = st.ID
	}
	switch query.Status {
	case document.AnyStatus, document.InForce, document.Partial, document.Expired, document.NotYet:
	default:
		h.JSONFault(w, r, fault.OnField("status", "document.status_invalid"))
		return
	}
	for _, l := range []struct {
		list, param string
		id          *int64
	}{{document.ListType, "type", &query.TypeID}, {document.ListIssuer, "issuer", &query.IssuerID}, {document.ListField, "field", &query.FieldID}} {
		code := v.Get(l.param)
		if code == "" {
			continue
		}
		terms, err := h.Documents.Terms(ctx, l.list)
		if err != nil {
			h.JSONFault(w, r, err)
			return
		}
		for _, t := range terms {
			if t.Code == code {
				*l.id = t.ID
			}
		}
		if *l.id == 0 {
			h.JSONFault(w, r, fault.OnField(l.param, "document.term_unknown"))
			return
		}
	}
	page, _ := strconv.Atoi(v.Get("page"))
	page = min(max(page, 1), 40)
	query.Offset = (page - 1) * query.Limit
	res, err := h.Documents.Search(ctx, query)
	if err != nil {
		h.JSONFault(w, r, err)
		return
	}
	today := h.Documents.Today()
	out := struct {
		Documents []apiDoc `json:"documents"`
		Page      int      `json:"page"`
		More      bool     `json:"more"`
		ByNumber  bool     `json:"by_number"`
	}{Documents: []apiDoc{}, Page: page, More: res.More, ByNumber: res.ByNumber}
	for _, d := range res.Docs {
		out.Documents = append(out.Documents, h.apiDocOf(q, d, today))
	}
	web.JSON(w, http.StatusOK, out)
}

func (h *Handler) apiDocument(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	d, err := h.Documents.Get(r.Context(), pathID(r, "id"))
	if err != nil || !d.Published {
		h.JSONFault(w, r, fault.New(fault.NotFound, "document.not_found"))
		return
	}
	rels, err := h.Documents.Relations(r.Context(), d.ID, true)
	if err != nil {
		h.JSONFault(w, r, err)
		return
	}
	type rel struct {
		Kind      string `json:"kind"`
		Direction string `json:"direction"`
		Number    string `json:"number"`
		ID        int64  `json:"id"`
	}
	out := struct {
		apiDoc
		Relations []rel `json:"relations"`
	}{apiDoc: h.apiDocOf(q, d, h.Documents.Today()), Relations: []rel{}}
	for _, x := range rels {
		dir := "to"
		if x.FromID == d.ID {
			dir = "from"
		}
		out.Relations = append(out.Relations, rel{Kind: x.Kind, Direction: dir, Number: x.Other.Number, ID: x.Other.ID})
	}
	web.JSON(w, http.StatusOK, out)
}

// apiCompliance gives the audit of every site (or ?site=CODE), as cong
// audit --json does, to supervisors' tokens.
func (h *Handler) apiCompliance(w http.ResponseWriter, r *http.Request) {
	rep, err := h.Compliance.Audit(r.Context(), r.URL.Query().Get("site"))
	if err != nil {
		h.JSONFault(w, r, err)
		return
	}
	web.JSON(w, http.StatusOK, struct {
		*compliance.Report
		OK bool `json:"ok"`
	}{rep, rep.Failing == 0})
}
