package e2e

import (
	"net/http"
	"regexp"
	"testing"

	"github.com/congvn/cong/internal/server/servertest"
)

// A page is one kind of page the checks visit. A new kind of page is one
// line in publicPages or staffPages.
type page struct {
	name   string // unique; names the page in failures and the file vnu reads
	site   string // site code; "" is the city portal (hanoi.localhost)
	path   string
	status int    // expected status; 0 means 200
	prefs  string // value of the display-choices cookie (cong_hien_thi), if any
	has    string // a CSS selector the page must match, so the variant meant is the one checked
}

func (p page) wantStatus() int {
	if p.status == 0 {
		return http.StatusOK
	}
	return p.status
}

// publicPages are the pages a reader sees, one of each kind on several
// sites, in both languages.
var publicPages = []page{
	{name: "city-home", path: "/"},
	{name: "city-home-en", path: "/en/", has: `html[lang="en"]`},
	{name: "ward-home", site: "phuong-ba-dinh", path: "/"},
	{name: "agency-home", site: "so-tu-phap", path: "/"},
	{name: "section-home", site: "chuyen-doi-so", path: "/"},
	{name: "data-portal-home", site: "data", path: "/"},
	{name: "mounted-site-home", path: "/don-vi/xa-soc-son/"},
	{name: "units", path: "/don-vi/"},
	{name: "contact", path: "/lien-he"},
	{name: "contact-en", path: "/en/lien-he", has: `html[lang="en"]`},
	{name: "search", path: "/tim-kiem?q=ba+dinh", has: "ol.ket-qua li"},
	{name: "search-empty", path: "/tim-kiem?q=khong+co+ket+qua+nao+zzz", has: `main [role="status"]`},
	{name: "not-found", path: "/khong-co-trang-nay", status: http.StatusNotFound},
	{name: "not-found-en", path: "/en/khong-co", status: http.StatusNotFound, has: `html[lang="en"]`},
	{name: "login", path: "/quan-tri/dang-nhap", has: "form input#email"},
	{name: "city-home-large-contrast", path: "/", prefs: "lon-cao", has: "html.chu-lon.tuong-phan-cao"},
	// Mandatory disclosure.
	{name: "documents", path: "/van-ban", has: "table.bang-van-ban"},
	{name: "documents-search", path: "/van-ban?q=42+2022&hieu-luc=con-hieu-luc", has: "table.bang-van-ban"},
	{name: "documents-en", site: "so-tu-phap", path: "/en/van-ban", has: `html[lang="en"]`},
	{name: "document-pdf", path: "/van-ban/5", has: "iframe.xem-pdf"},
	{name: "procedures", path: "/thu-tuc", has: "main table"},
	{name: "procedure", path: "/thu-tuc/2.001417", has: "main dl.thong-tin"},
	{name: "procedure-stats", path: "/thu-tuc/thong-ke", has: "main table"},
	{name: "consultations", path: "/du-thao", has: "ul.danh-sach-du-thao"},
	{name: "consultation", path: "/du-thao/1", has: "form textarea#body"},
	{name: "listing-investment", path: "/dau-tu", has: "ul.danh-sach-muc"},
	{name: "disclosure-list", site: "phuong-ba-dinh", path: "/danh-muc-cong-khai", has: "table.danh-muc-cong-khai"},
	{name: "contact-points-en", path: "/en/dau-moi", has: `html[lang="en"] div.dau-moi`},
}

// staffPages are the staff interface's pages, seen by the system
// administrator. The pages met while signing in (second factor, set-up,
// recovery codes, forms with errors) are visited by the flows in the tests.
var staffPages = []page{
	{name: "staff-dashboard", path: "/quan-tri/"},
	{name: "staff-account", path: "/quan-tri/tai-khoan"},
	{name: "staff-sites", path: "/quan-tri/trang/"},
	{name: "staff-site", path: "/quan-tri/trang/phuong-ba-dinh/"},
	{name: "staff-site-staff", path: "/quan-tri/trang/phuong-ba-dinh/nhan-su"},
	{name: "staff-units", path: "/quan-tri/don-vi"},
	{name: "staff-users", path: "/quan-tri/nguoi-dung"},
	{name: "staff-log", path: "/quan-tri/nhat-ky"},
	{name: "staff-policy", path: "/quan-tri/bao-mat"},
	{name: "staff-documents", path: "/quan-tri/trang/phuong-ba-dinh/van-ban"},
	{name: "staff-document", path: "/quan-tri/trang/hanoi/van-ban/5"},
	{name: "staff-procedures", path: "/quan-tri/trang/hanoi/thu-tuc"},
	{name: "staff-consultations", path: "/quan-tri/trang/hanoi/du-thao"},
	{name: "staff-consultation", path: "/quan-tri/trang/hanoi/du-thao/1"},
	{name: "staff-listings", path: "/quan-tri/trang/hanoi/cong-khai"},
	{name: "staff-contact-points", path: "/quan-tri/trang/phuong-ba-dinh/dau-moi"},
	{name: "staff-doc-terms", path: "/quan-tri/danh-muc-van-ban"},
	{name: "staff-supervision", path: "/quan-tri/giam-sat", has: "table.bang-giam-sat"},
}

// The accounts the checks sign in with.
const (
	adminEmail    = "quantri@hanoi.gov.vn" // system administrator, enrolled
	newStaffEmail = "ctv.moi@hanoi.gov.vn" // has not set up two-step verification
	unknownEmail  = "khong-co-ai@hanoi.gov.vn"
)

var secretRE = regexp.MustCompile(`data-secret="([A-Z2-7]+)"`)

// pageSecret returns the TOTP secret the set-up page shows.
func pageSecret(t *testing.T, body string) string {
	t.Helper()
	m := secretRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no data-secret on the set-up page")
	}
	return m[1]
}

// url returns the page's address on env.
func (p page) url(env *servertest.Env) string { return env.URL(p.site, p.path) }
