// Package disclosure serves mandatory disclosure over HTTP: the public
// pages of documents ("Tra cứu văn bản"), procedures, drafts for comment,
// plans, investment, budget, statistics and science listings, the contact
// points and the list of information to be disclosed; the staff pages that
// keep them; and the supervisor's compliance dashboard. Handlers translate
// HTTP to service calls; the services check permissions.
package disclosure

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/attach"
	"github.com/congvn/cong/internal/compliance"
	"github.com/congvn/cong/internal/consultation"
	"github.com/congvn/cong/internal/contactpoint"
	"github.com/congvn/cong/internal/document"
	"github.com/congvn/cong/internal/listing"
	"github.com/congvn/cong/internal/procedure"
	"github.com/congvn/cong/internal/rulepack"
	"github.com/congvn/cong/internal/web"
)

// Services are the domain services the handlers use.
type Services struct {
	Documents     *document.Service
	Procedures    *procedure.Service
	Consultations *consultation.Service
	Listings      *listing.Service
	ContactPoints *contactpoint.Service
	Compliance    *compliance.Service
	Files         *attach.Files
}

// Handler serves the pages of mandatory disclosure.
type Handler struct {
	*web.Server
	Services
}

// New returns the handler and adds the rule pack's sections to the main
// menu.
func New(s *web.Server, svc Services) *Handler {
	h := &Handler{Server: s, Services: svc}
	h.addMenu()
	return h
}

// uploadLimit bounds a form that carries files.
const uploadLimit = attach.MaxSize*2 + 1<<20

// Routes lists the routes with their access rules.
func (h *Handler) Routes() []web.Route {
	pub := func(method, pattern string, f http.HandlerFunc) web.Route {
		return web.Route{Method: method, Pattern: pattern, Handler: f}
	}
	site := func(method, pattern string, p access.Permission, f http.HandlerFunc) web.Route {
		return web.Route{Method: method, Pattern: pattern, Auth: web.AuthSession, Scope: web.ScopeSite, Perm: p, Handler: f}
	}
	upload := func(method, pattern string, p access.Permission, f http.HandlerFunc) web.Route {
		rt := site(method, pattern, p, f)
		rt.MaxBody = uploadLimit
		return rt
	}
	city := func(method, pattern string, p access.Permission, f http.HandlerFunc) web.Route {
		return web.Route{Method: method, Pattern: pattern, Auth: web.AuthSession, Scope: web.ScopeCity, Perm: p, Handler: f}
	}
	rs := []web.Route{
		pub("GET", "/van-ban", h.documents),
		pub("GET", "/van-ban/{id}", h.document),
		pub("GET", "/van-ban/feed.atom", h.documentFeed),
		pub("GET", "/van-ban/loai/{type}/feed.atom", h.documentFeed),
		pub("GET", "/tep/{id}/{name}", h.file),
		pub("GET", "/thu-tuc", h.procedures),
		pub("GET", "/thu-tuc/thong-ke", h.procedureStats),
		pub("GET", "/thu-tuc/{code}", h.procedure),
		pub("GET", "/du-thao", h.consultations),
		pub("GET", "/du-thao/{id}", h.consultation),
		{Method: "POST", Pattern: "/du-thao/{id}", Handler: h.comment, MaxBody: 64 << 10},
		pub("GET", "/danh-muc-cong-khai", h.disclosureList),
		pub("GET", "/dau-moi", h.contactPoints),

		site("GET", "/quan-tri/trang/{site}/van-ban", access.ViewSite, h.adminDocuments),
		upload("POST", "/quan-tri/trang/{site}/van-ban", access.EditDisclosure, h.createDocument),
		upload("POST", "/quan-tri/trang/{site}/van-ban/nhap", access.EditDisclosure, h.importDocuments),
		site("GET", "/quan-tri/trang/{site}/van-ban/{doc}", access.ViewSite, h.adminDocument),
		upload("POST", "/quan-tri/trang/{site}/van-ban/{doc}", access.EditDisclosure, h.updateDocument),
		site("POST", "/quan-tri/trang/{site}/van-ban/{doc}/cong-bo", access.PublishDisclosure, h.publishDocument),
		site("POST", "/quan-tri/trang/{site}/van-ban/{doc}/lien-ket", access.EditDisclosure, h.relateDocument),
		site("GET", "/quan-tri/trang/{site}/thu-tuc", access.ViewSite, h.adminProcedures),
		upload("POST", "/quan-tri/trang/{site}/thu-tuc/nhap", access.EditDisclosure, h.importProcedures),
		upload("POST", "/quan-tri/trang/{site}/thu-tuc/thong-ke", access.EditDisclosure, h.importStats),
		site("GET", "/quan-tri/trang/{site}/du-thao", access.ViewSite, h.adminConsultations),
		upload("POST", "/quan-tri/trang/{site}/du-thao", access.EditDisclosure, h.createConsultation),
		site("GET", "/quan-tri/trang/{site}/du-thao/{draft}", access.ViewSite, h.adminConsultation),
		site("POST", "/quan-tri/trang/{site}/du-thao/{draft}/cong-bo", access.PublishDisclosure, h.publishConsultation),
		site("POST", "/quan-tri/trang/{site}/du-thao/{draft}/kiem-duyet", access.ModerateComments, h.moderateComment),
		site("POST", "/quan-tri/trang/{site}/du-thao/{draft}/ket-qua", access.PublishDisclosure, h.consultationResult),
		site("GET", "/quan-tri/trang/{site}/cong-khai", access.ViewSite, h.adminListings),
		upload("POST", "/quan-tri/trang/{site}/cong-khai", access.EditDisclosure, h.createListing),
		site("POST", "/quan-tri/trang/{site}/cong-khai/{item}/cong-bo", access.PublishDisclosure, h.publishListing),
		site("GET", "/quan-tri/trang/{site}/dau-moi", access.ViewSite, h.adminContactPoints),
		site("POST", "/quan-tri/trang/{site}/dau-moi", access.EditSite, h.saveContactPoints),

		city("GET", "/quan-tri/giam-sat", access.ViewCompliance, h.supervision),
		city("GET", "/quan-tri/giam-sat/bao-cao.xlsx", access.ViewCompliance, h.supervisionXLSX),
		city("POST", "/quan-tri/giam-sat", access.RunCompliance, h.recordRun),
		city("GET", "/quan-tri/danh-muc-van-ban", access.ViewSite, h.adminTerms),
		city("POST", "/quan-tri/danh-muc-van-ban", access.ManageDocTerms, h.addTerm),
	}
	for _, k := range listing.Kinds {
		rs = append(rs, pub("GET", k.Path, h.listing))
	}
	return rs
}

// menuPaths are the paths this part serves that the rule pack may put in
// the main menu; the pages of other parts join when they are installed.
func (h *Handler) addMenu() {
	seen := map[string]bool{}
	for _, sec := range rulepack.Default().Sections {
		if sec.MenuOrder == 0 || sec.Path == "" || seen[sec.Path] {
			continue
		}
		seen[sec.Path] = true
		path, order := sec.Path, sec.MenuOrder
		h.AddMenu(web.MenuItem{
			Key: "menu.disclosure", Path: path, Order: order,
			Show:  func(q *web.Req) bool { return h.menuSection(q, path) != nil },
			Label: func(q *web.Req) string { return sectionName(h.menuSection(q, path), q.Lang) },
		})
	}
}

// menuSection returns the current pack's menu rule for path on the
// request's site, when the rule applies to the site's kind and some
// installed part serves it.
func (h *Handler) menuSection(q *web.Req, path string) *rulepack.Section {
	if q.Site == nil {
		return nil
	}
	kind := rulepack.KindOf(q.Site, q.Unit)
	for _, sec := range h.Compliance.Rules().Menu(kind) {
		if sec.Path == path && h.Compliance.Answers(sec.Check) {
			return &sec
		}
	}
	return nil
}

func sectionName(sec *rulepack.Section, lang string) string {
	if sec == nil {
		return ""
	}
	if lang != "vi" && sec.NameEn != "" {
		return sec.NameEn
	}
	return sec.Name
}

// fmtDate writes YYYY-MM-DD as Vietnamese readers write dates, 24/06/2022.
func fmtDate(d string) string {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return d
	}
	return t.Format("02/01/2006")
}

// helpers are methods every page of this package offers its template.
type helpers struct{}

// Date writes a YYYY-MM-DD date as 24/06/2022.
func (helpers) Date(d string) string { return fmtDate(d) }

// Size writes a file size in KB or MB.
func (helpers) Size(n int64) string {
	if n >= 1<<20 {
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	}
	return strconv.FormatInt(max(n/1024, 1), 10) + " KB"
}

// Upper upper-cases a file kind for display.
func (helpers) Upper(s string) string { return strings.ToUpper(s) }

// Lines splits a text into its paragraphs.
func (helpers) Lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// fileURL is where a file is downloaded (or, for PDF, previewed).
func fileURL(q *web.Req, f *attach.File) string {
	return q.URL("/tep/" + strconv.FormatInt(f.ID, 10) + "/" + urlName(f.Name))
}

// urlName keeps a file name readable in a URL.
func urlName(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r == '/' || r == '?' || r == '#' || r == '%' || r == '\\':
			b.WriteByte('-')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// pageNumber reads ?trang=N.
func pageNumber(r *http.Request) int {
	n, _ := strconv.Atoi(r.URL.Query().Get("trang"))
	return min(max(n, 1), 1000)
}

// pager describes the links to other pages of a list.
type pager struct {
	Page, Pages int
	Prev, Next  string
}

func newPager(r *http.Request, q *web.Req, page, total, size int) pager {
	p := pager{Page: page, Pages: max((total+size-1)/size, 1)}
	link := func(n int) string {
		v := r.URL.Query()
		v.Set("trang", strconv.Itoa(n))
		return q.URL(q.Path) + "?" + v.Encode()
	}
	if page > 1 {
		p.Prev = link(page - 1)
	}
	if page < p.Pages {
		p.Next = link(page + 1)
	}
	return p
}
