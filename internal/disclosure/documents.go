package disclosure

import (
	"encoding/xml"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/congvn/cong/internal/attach"
	"github.com/congvn/cong/internal/document"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/web"
)

// statusParams maps the status filter's URL values to statuses.
var statusParams = []struct {
	Param  string
	Status document.Status
}{
	{"con-hieu-luc", document.InForce}, {"het-hieu-luc-mot-phan", document.Partial},
	{"het-hieu-luc", document.Expired}, {"chua-co-hieu-luc", document.NotYet},
}

type option struct {
	Value, Label string
	Selected     bool
}

type docRow struct {
	Doc    *document.Document
	URL    string
	Status document.Status
	Site   string // the site's name, in city-wide results from other sites
}

type documentsPage struct {
	helpers
	Q, Signer, From, To    string
	Types, Issuers, Fields []option
	Statuses               []option
	CityWide, IsCity       bool
	Searched               bool
	Result                 *document.Result
	Rows                   []docRow
	Pager                  pager
	Feed                   string
}

func termOptions(terms []*document.Term, selected, lang string) ([]option, int64) {
	var out []option
	var id int64
	for _, t := range terms {
		o := option{Value: t.Code, Label: t.DisplayName(lang), Selected: t.Code == selected}
		if o.Selected {
			id = t.ID
		}
		out = append(out, o)
	}
	return out, id
}

const documentsPerPage = 20

// documents is "Tra cứu văn bản": search and filters over the site's
// published documents, or, on the city portal, every site's.
func (h *Handler) documents(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	ctx := r.Context()
	v := r.URL.Query()
	p := documentsPage{Q: v.Get("q"), Signer: v.Get("nguoi-ky"), From: v.Get("tu-ngay"), To: v.Get("den-ngay"),
		IsCity: q.Dir.City != nil && q.Site.ID == q.Dir.City.ID}
	p.CityWide = p.IsCity && v.Get("pham-vi") == "toan-thanh-pho"
	query := document.Query{SiteID: q.Site.ID, Text: p.Q, Signer: p.Signer, IssuedFrom: p.From, IssuedTo: p.To}
	if p.CityWide {
		query.SiteID = 0
	}
	for _, l := range []struct {
		list  string
		param string
		opts  *[]option
		id    *int64
	}{{document.ListType, "loai", &p.Types, &query.TypeID}, {document.ListIssuer, "co-quan", &p.Issuers, &query.IssuerID}, {document.ListField, "linh-vuc", &p.Fields, &query.FieldID}} {
		terms, err := h.Documents.Terms(ctx, l.list)
		if err != nil {
			h.Error(w, r, err)
			return
		}
		*l.opts, *l.id = termOptions(terms, v.Get(l.param), q.Lang)
	}
	for _, s := range statusParams {
		o := option{Value: s.Param, Label: q.T("document.status." + string(s.Status)), Selected: v.Get("hieu-luc") == s.Param}
		if o.Selected {
			query.Status = s.Status
		}
		p.Statuses = append(p.Statuses, o)
	}
	for _, k := range []string{"q", "loai", "co-quan", "linh-vuc", "nguoi-ky", "tu-ngay", "den-ngay", "hieu-luc"} {
		if v.Get(k) != "" {
			p.Searched = true
		}
	}
	page := pageNumber(r)
	query.Limit, query.Offset = documentsPerPage, (page-1)*documentsPerPage
	res, err := h.Documents.Search(ctx, query)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p.Result = res
	today := h.Documents.Today()
	for _, d := range res.Docs {
		row := docRow{Doc: d, Status: d.StatusOn(today), URL: q.URL(d.Path())}
		if d.SiteID != q.Site.ID {
			if st, ok := q.Dir.ByID(d.SiteID); ok {
				row.URL, row.Site = q.SiteURL(st, d.Path()), st.DisplayName(q.Lang)
			}
		}
		p.Rows = append(p.Rows, row)
	}
	total := res.Total
	if res.More {
		total += documentsPerPage
	}
	p.Pager = newPager(r, q, page, total, documentsPerPage)
	p.Feed = q.URL("/van-ban/feed.atom")
	view := &web.View{Title: q.T("document.search_title"), Page: p, NoIndex: p.Searched}
	h.Page(w, r, "pages/documents", view)
}

type relationRow struct {
	Label string
	Doc   *document.Document
	URL   string
}

type documentPage struct {
	helpers
	Doc       *document.Document
	Status    document.Status
	Files     []fileRow
	Preview   *fileRow
	Relations []relationRow
}

type fileRow struct {
	File    *attach.File
	URL     string
	ViewURL string
}

func fileRows(q *web.Req, files []*attach.File) ([]fileRow, *fileRow) {
	var out []fileRow
	var preview *fileRow
	for _, f := range files {
		row := fileRow{File: f, URL: fileURL(q, f)}
		if f.Previewable() {
			row.ViewURL = row.URL + "?xem=1"
		}
		out = append(out, row)
	}
	for i := range out {
		if out[i].ViewURL != "" {
			preview = &out[i]
			break
		}
	}
	return out, preview
}

func pathID(r *http.Request, name string) int64 {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

// document shows one document: its fields, status, files with a preview
// of the PDF, and its relations.
func (h *Handler) document(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	id := pathID(r, "id")
	if id == 0 {
		h.NotFound(w, r)
		return
	}
	d, err := h.Documents.Published(r.Context(), q.Site.ID, id)
	if err != nil {
		if fault.Is(err, fault.NotFound) {
			h.NotFound(w, r)
			return
		}
		h.Error(w, r, err)
		return
	}
	rels, err := h.Documents.Relations(r.Context(), d.ID, true)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p := documentPage{Doc: d, Status: d.StatusOn(h.Documents.Today())}
	p.Files, p.Preview = fileRows(q, d.Files)
	for _, rel := range rels {
		dir := "to"
		if rel.FromID == d.ID {
			dir = "from"
		}
		row := relationRow{Label: q.T("document.rel." + rel.Kind + "." + dir), Doc: rel.Other, URL: q.URL(rel.Other.Path())}
		if rel.Other.SiteID != q.Site.ID {
			if st, ok := q.Dir.ByID(rel.Other.SiteID); ok {
				row.URL = q.SiteURL(st, rel.Other.Path())
			}
		}
		p.Relations = append(p.Relations, row)
	}
	h.Page(w, r, "pages/document", &web.View{Title: d.Type + " " + d.Number, Page: p})
}

// Atom feed types.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomAuthor  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Href string `xml:"href,attr"`
	Type string `xml:"type,attr,omitempty"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	Title   string   `xml:"title"`
	ID      string   `xml:"id"`
	Updated string   `xml:"updated"`
	Link    atomLink `xml:"link"`
	Summary string   `xml:"summary"`
}

// documentFeed is the Atom feed of a site's newest documents, of all types
// or of one (/van-ban/loai/nghi-dinh/feed.atom).
func (h *Handler) documentFeed(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	ctx := r.Context()
	query := document.Query{SiteID: q.Site.ID, Limit: 50}
	title := q.T("document.feed_title", q.SiteName())
	if code := r.PathValue("type"); code != "" {
		terms, err := h.Documents.Terms(ctx, document.ListType)
		if err != nil {
			h.Error(w, r, err)
			return
		}
		for _, t := range terms {
			if t.Code == code {
				query.TypeID = t.ID
				title = q.T("document.feed_title_type", t.DisplayName(q.Lang), q.SiteName())
			}
		}
		if query.TypeID == 0 {
			h.NotFound(w, r)
			return
		}
	}
	res, err := h.Documents.Search(ctx, query)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	origin := q.Origin()
	f := atomFeed{Title: title, ID: origin + q.URL(q.Path), Author: atomAuthor{Name: q.SiteName()},
		Links: []atomLink{{Rel: "self", Href: origin + q.URL(q.Path), Type: "application/atom+xml"}, {Rel: "alternate", Href: origin + q.URL("/van-ban"), Type: "text/html"}}}
	updated := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, d := range res.Docs {
		at := d.PublishedAt
		if at.IsZero() {
			at = d.Updated
		}
		if at.After(updated) {
			updated = at
		}
		link := q.SiteURL(q.Site, d.Path())
		f.Entries = append(f.Entries, atomEntry{Title: d.Type + " " + d.Number, ID: link, Updated: at.UTC().Format(time.RFC3339),
			Link: atomLink{Href: link}, Summary: d.Title + " (" + q.T("document.issued_on") + " " + fmtDate(d.IssuedOn) + ")"})
	}
	f.Updated = updated.UTC().Format(time.RFC3339)
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write([]byte(xml.Header))
	enc := xml.NewEncoder(w)
	enc.Indent("", " ")
	enc.Encode(f)
}

// file serves an attached file of a published item of the site: as a
// download, or inline for a PDF asked with ?xem=1 (the document page shows
// it in a frame). The type comes from the checked content, never from the
// upload; nosniff is set for every response.
func (h *Handler) file(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	ctx := r.Context()
	id := pathID(r, "id")
	f, err := h.Files.Get(ctx, id)
	if id == 0 || err != nil || f.SiteID != q.Site.ID || !h.visible(r, f) {
		h.NotFound(w, r)
		return
	}
	body, err := h.Files.Open(f)
	if err != nil {
		h.Logger.Error("attachment missing on disk", "id", f.ID, "err", err)
		h.NotFound(w, r)
		return
	}
	defer body.Close()
	disp := "attachment"
	hd := w.Header()
	if f.Previewable() && r.URL.Query().Get("xem") != "" {
		disp = "inline"
		// Only this site's pages may frame the file.
		hd.Set("X-Frame-Options", "SAMEORIGIN")
		hd.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'self'")
	} else {
		hd.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; sandbox")
	}
	hd.Set("Content-Type", f.ContentType())
	hd.Set("Content-Disposition", mime.FormatMediaType(disp, map[string]string{"filename": f.Name}))
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Cache-Control", "public, max-age=3600")
	hd.Set("ETag", `"`+f.SHA256[:32]+`"`)
	http.ServeContent(w, r, "", f.Created, body)
}

// visible reports whether the item a file belongs to is published.
func (h *Handler) visible(r *http.Request, f *attach.File) bool {
	ctx := r.Context()
	switch f.Owner {
	case "document":
		d, err := h.Documents.Published(ctx, f.SiteID, f.OwnerID)
		return err == nil && d != nil
	case "consultation":
		c, err := h.Consultations.Get(ctx, f.OwnerID)
		return err == nil && c.Published
	case "listing":
		it, err := h.Listings.Get(ctx, f.OwnerID)
		return err == nil && it.Published
	}
	return false
}
