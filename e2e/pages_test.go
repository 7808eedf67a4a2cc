package e2e

import (
	"html"
	"io"
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
	// via, when set, makes path a list: the page checked is the first link
	// on it whose address matches this pattern (for pages whose address
	// depends on the demo's data, such as an answer's number).
	via string
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
	{name: "search-content", site: "phuong-ba-dinh", path: "/tim-kiem?q=ha+noi&sort=date", has: "nav.tim-kiem-loc"},
	{name: "search-filtered", path: "/tim-kiem?q=ho+tich&type=procedure", has: "ol.ket-qua-tim-kiem li"},
	{name: "search-en", path: "/en/tim-kiem?q=UBND", has: `html[lang="en"]`},
	{name: "not-found", path: "/khong-co-trang-nay", status: http.StatusNotFound},
	{name: "not-found-en", path: "/en/khong-co", status: http.StatusNotFound, has: `html[lang="en"]`},
	{name: "login", path: "/quan-tri/dang-nhap", has: "form input#email"},
	{name: "city-home-large-contrast", path: "/", prefs: "lon-cao", has: "html.chu-lon.tuong-phan-cao"},
	{name: "data-search", site: "data", path: "/du-lieu?groups=moi-truong", has: "ol.danh-sach-du-lieu li"},
	{name: "data-search-en", site: "data", path: "/en/du-lieu?q=y+te", has: `html[lang="en"]`},
	{name: "data-dataset", site: "data", path: "/du-lieu/danh-sach-co-so-kham-benh-chua-benh", has: "dl.thong-tin"},
	{name: "data-resource-preview", site: "data", path: "/du-lieu/quan-trac-chat-luong-khong-khi-tu-dong-theo-gio-quy-i-2025/tai-nguyen/1?f0=Ho%C3%A0n+Ki%E1%BA%BFm&trang=2", has: "table.bang-du-lieu tbody tr"},
	{name: "data-api", site: "data", path: "/huong-dan-api", has: "main table"},
	{name: "data-orgs", site: "data", path: "/to-chuc", has: "ul.danh-sach-chu-so-huu li"},
	{name: "data-org", site: "data", path: "/to-chuc/so-y-te", has: "ol.danh-sach-du-lieu li"},
	{name: "data-groups", site: "data", path: "/chu-de", has: "ul.danh-sach-chu-so-huu li"},
	{name: "data-group-en", site: "data", path: "/en/chu-de/moi-truong", has: `html[lang="en"] ol.danh-sach-du-lieu li`},
	{name: "feedback-list", path: "/phan-anh", has: "ol.danh-sach-tra-loi li"},
	{name: "feedback-form", site: "phuong-ba-dinh", path: "/phan-anh/gui", has: "form.phan-anh input#consent:not([checked])"},
	{name: "question-form-en", path: "/en/hoi-dap/gui", has: `html[lang="en"] form.phan-anh`},
	{name: "qa-by-field", path: "/hoi-dap", has: "nav.linh-vuc"},
	{name: "qa-field", path: "/hoi-dap?linh-vuc=thu-tuc", has: "ol.danh-sach-tra-loi li"},
	{name: "qa-search-empty", path: "/hoi-dap?q=khong+co+zzz", has: `main p.trong[role="status"]`},
	{name: "question-answer", path: "/hoi-dap", via: `/hoi-dap/[0-9]+`, has: "section.tra-loi"},
	{name: "feedback-answer", path: "/phan-anh/155", has: "section.tra-loi"},
	{name: "feedback-track", path: "/tra-cuu?ma=PA-N94F4-PT25E", has: "ol.tien-trinh li"},
	{name: "feedback-track-waiting", path: "/tra-cuu?ma=PA-QU6RF-A2CXT", has: `form[action="/tra-cuu/bo-sung"]`},
	{name: "feedback-track-unknown", path: "/tra-cuu?ma=PA-AAAAA-BBBBB", status: http.StatusNotFound, has: "#loi-bieu-mau"},
	{name: "feedback-stats", path: "/phan-anh/thong-ke", has: "table.thong-ke"},
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
	// Publishing (the demo's showcase items have fixed slugs).
	{name: "news", path: "/tin-tuc", has: "ul.danh-sach-tin li"},
	{name: "news-page-2", path: "/tin-tuc?trang=2", has: `a[rel="prev"]`},
	{name: "news-en", path: "/en/tin-tuc", has: `html[lang="en"] ul.danh-sach-tin li`},
	{name: "category", path: "/chuyen-muc/chuyen-doi-so", has: "ul.danh-sach-tin li"},
	{name: "article", path: "/tin-tuc/ha-noi-day-manh-chuyen-doi-so-trong-cac-co-quan-nha-nuoc", has: "article.bai-viet table"},
	{name: "article-en", path: "/en/tin-tuc/ha-noi-day-manh-chuyen-doi-so-trong-cac-co-quan-nha-nuoc", has: `html[lang="en"] article.bai-viet`},
	{name: "article-print", path: "/tin-tuc/ha-noi-day-manh-chuyen-doi-so-trong-cac-co-quan-nha-nuoc/in", has: ".ban-in"},
	{name: "article-contrast", path: "/tin-tuc/ha-noi-day-manh-chuyen-doi-so-trong-cac-co-quan-nha-nuoc", prefs: "lon-cao", has: "html.tuong-phan-cao article"},
	{name: "article-pushed-to-ward", site: "phuong-ba-dinh", path: "/tin-tuc/ha-noi-day-manh-chuyen-doi-so-trong-cac-co-quan-nha-nuoc", has: ".nguon-goc"},
	{name: "gallery", path: "/tin-tuc/phong-su-anh-ha-noi-vao-thu", has: "ul.bo-anh img"},
	{name: "video", path: "/tin-tuc/video-pho-phuong-ha-noi-dau-dong", has: "video track[kind=captions]"},
	{name: "audio", path: "/tin-tuc/ban-tin-phat-thanh-nop-ho-so-truc-tuyen-tren-cong-dich-vu-cong", has: "figure.audio audio"},
	{name: "longform", path: "/tin-tuc/ha-noi-tren-hanh-trinh-xay-dung-chinh-quyen-so", has: "article.dai blockquote"},
	{name: "infographic", path: "/tin-tuc/infographic-ket-qua-cai-cach-hanh-chinh-nam-2025", has: "article figure img"},
	{name: "withdrawn", path: "/tin-tuc/thong-bao-tam-dung-tiep-cong-dan-ngay-20-11", status: http.StatusGone, has: `[role="status"]`},
	{name: "multimedia", path: "/da-phuong-tien", has: "nav.loc"},
	{name: "about", path: "/gioi-thieu/", has: "ul.muc-gioi-thieu li"},
	{name: "about-leaders", path: "/gioi-thieu/lanh-dao", has: "ul.lanh-dao li"},
	{name: "about-org-chart", path: "/gioi-thieu/co-cau-to-chuc", has: ".so-do .cay"},
	{name: "about-en", site: "so-tu-phap", path: "/en/gioi-thieu/chuc-nang-nhiem-vu", has: `html[lang="en"] article`},
	{name: "schedule", path: "/lich-cong-tac", has: "table.lich"},
	{name: "links", path: "/lien-ket-website", has: "ul.lien-ket-web li"},
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
	{name: "staff-open311-keys", path: "/quan-tri/open311", has: "table th[scope=row]"},
	{name: "staff-data-list", path: "/quan-tri/trang/data/du-lieu/"},
	{name: "staff-data-new", path: "/quan-tri/trang/data/du-lieu/tao"},
	{name: "staff-data-edit", path: "/quan-tri/trang/data/du-lieu/danh-sach-co-so-kham-benh-chua-benh"},
	{name: "staff-feedback-queue", path: "/quan-tri/phan-anh/hanoi/", has: "table.hang-doi"},
	{name: "staff-feedback-overdue", path: "/quan-tri/phan-anh/hanoi/?xem=qua-han", has: "table.hang-doi"},
	{name: "staff-feedback-item", path: "/quan-tri/phan-anh/hanoi/muc?ma=PA-QA9VD-TAFEX", has: `form[action="/quan-tri/phan-anh/hanoi/giao"]`},
	{name: "staff-feedback-approve", path: "/quan-tri/phan-anh/hanoi/muc?ma=PA-N94F4-PT25E", has: `form[action="/quan-tri/phan-anh/hanoi/duyet"]`},
	{name: "staff-feedback-stats", path: "/quan-tri/phan-anh/hanoi/thong-ke", has: "table.thong-ke"},
	{name: "staff-documents", path: "/quan-tri/trang/phuong-ba-dinh/van-ban"},
	{name: "staff-document", path: "/quan-tri/trang/hanoi/van-ban/5"},
	{name: "staff-procedures", path: "/quan-tri/trang/hanoi/thu-tuc"},
	{name: "staff-consultations", path: "/quan-tri/trang/hanoi/du-thao"},
	{name: "staff-consultation", path: "/quan-tri/trang/hanoi/du-thao/1"},
	{name: "staff-listings", path: "/quan-tri/trang/hanoi/cong-khai"},
	{name: "staff-contact-points", path: "/quan-tri/trang/phuong-ba-dinh/dau-moi"},
	{name: "staff-doc-terms", path: "/quan-tri/danh-muc-van-ban"},
	{name: "staff-supervision", path: "/quan-tri/giam-sat", has: "table.bang-giam-sat"},
	{name: "staff-content", path: "/quan-tri/trang/hanoi/noi-dung", has: "table input[name=chon]"},
	{name: "staff-content-waiting", path: "/quan-tri/trang/hanoi/noi-dung?trang-thai=submitted", has: "table"},
	{name: "staff-editor-new", path: "/quan-tri/trang/hanoi/noi-dung/moi", has: "textarea#body"},
	{name: "staff-editor", path: "/quan-tri/trang/hanoi/noi-dung/1", has: "aside form"},
	{name: "staff-history", path: "/quan-tri/trang/hanoi/noi-dung/1/lich-su", has: "table"},
	{name: "staff-proposals", path: "/quan-tri/trang/hanoi/de-xuat", has: "form select"},
	{name: "staff-categories", path: "/quan-tri/trang/hanoi/chuyen-muc", has: "table"},
	{name: "staff-library", path: "/quan-tri/trang/hanoi/thu-vien", has: "ul.thu-vien img"},
	{name: "staff-schedule", path: "/quan-tri/trang/hanoi/lich-cong-tac", has: "table"},
	{name: "staff-links", path: "/quan-tri/trang/hanoi/lien-ket", has: "form"},
	{name: "staff-organisation", path: "/quan-tri/trang/hanoi/to-chuc", has: "table"},
	{name: "staff-notifications", path: "/quan-tri/thong-bao"},
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
func (p page) url(env *servertest.Env) string {
	u := env.URL(p.site, p.path)
	if p.via == "" {
		return u
	}
	resp, err := env.Client().Get(u)
	if err != nil {
		return u
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if m := regexp.MustCompile(`href="(` + p.via + `)"`).FindSubmatch(b); m != nil {
		return env.URL(p.site, html.UnescapeString(string(m[1])))
	}
	return u // the check then fails on the list, naming it
}
