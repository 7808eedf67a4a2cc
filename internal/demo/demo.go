// Package demo builds the Hà Nội demonstration installation from the real
// lists of units in data/ (see data/SOURCES.md): the city portal, the city
// agencies, all 126 communes and wards, the special sections and the data
// portal, the pre-2025 districts merged into their successors, and staff
// accounts for several roles.
package demo

import (
	"context"
	"embed"
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/search"
	"github.com/congvn/cong/internal/server"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/staff"
	"github.com/congvn/cong/internal/vietnamese"
)

//go:embed data/*.csv
var data embed.FS

// Domain is the parent domain of every demo host: CODE.hanoi.localhost
// (browsers resolve *.localhost to this machine).
const Domain = "hanoi.localhost"

// CityCode is the code of the city portal.
const CityCode = "hanoi"

// Password is the password of every demo account. The demo listens on
// 127.0.0.1 by default; never expose it to a network as is.
const Password = "DemoHaNoi@2026"

// Login is a demo account as printed at start.
type Login struct {
	Email  string
	Role   access.Role
	Site   string // site code, "" for city-wide roles
	Secret string // TOTP secret, "" when the account has not enrolled
}

// Result is what Build created.
type Result struct {
	Units  int
	Sites  int
	Merged int
	// Datasets counts the open datasets published.
	Datasets int
	// Feedback is how many feedback items and questions were made.
	Feedback int
	Logins   []Login
	// Mandatory disclosure.
	Documents  int
	Procedures int
	// Articles is how many published articles the publishing step made.
	Articles int
}

func readCSV(name string) ([]map[string]string, error) {
	f, err := data.Open("data/" + name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("demo: %s: %w", name, err)
	}
	var out []map[string]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("demo: %s: %w", name, err)
		}
		m := map[string]string{}
		for i, h := range head {
			m[h] = vietnamese.NFC(strings.TrimSpace(rec[i]))
		}
		out = append(out, m)
	}
	return out, nil
}

// agencyCodes shortens the site codes of agencies whose names make long host
// names; the others use the slug of their name.
var agencyCodes = map[string]string{
	"Văn phòng UBND Thành phố":     "vp-ubnd",
	"Sở Nông nghiệp và Môi trường": "so-nong-nghiep-moi-truong",
	"Sở Khoa học và Công nghệ":     "so-khoa-hoc-cong-nghe",
	"Sở Văn hóa và Thể thao":       "so-van-hoa-the-thao",
	"Sở Giáo dục và Đào tạo":       "so-giao-duc-dao-tao",
	"Sở Dân tộc và Tôn giáo":       "so-dan-toc-ton-giao",
	"Thanh tra Thành phố":          "thanh-tra",
	"Ban quản lý Khu công nghệ cao và Khu công nghiệp thành phố Hà Nội": "bql-khu-cong-nghe-cao",
	"Trung tâm Phục vụ hành chính công Thành phố Hà Nội":                "trung-tam-phuc-vu-hcc",
}

// agencyEnglish gives the agencies' English names (Decree 42 Art. 7.2 asks
// for English organisation and contact pages).
var agencyEnglish = map[string]string{
	"Văn phòng UBND Thành phố":     "Office of the City People's Committee",
	"Sở Nội vụ":                    "Department of Home Affairs",
	"Sở Tư pháp":                   "Department of Justice",
	"Sở Tài chính":                 "Department of Finance",
	"Sở Công Thương":               "Department of Industry and Trade",
	"Sở Nông nghiệp và Môi trường": "Department of Agriculture and Environment",
	"Sở Xây dựng":                  "Department of Construction",
	"Sở Khoa học và Công nghệ":     "Department of Science and Technology",
	"Sở Văn hóa và Thể thao":       "Department of Culture and Sports",
	"Sở Giáo dục và Đào tạo":       "Department of Education and Training",
	"Sở Y tế":                      "Department of Health",
	"Thanh tra Thành phố":          "City Inspectorate",
	"Sở Dân tộc và Tôn giáo":       "Department of Ethnic Minorities and Religions",
	"Sở Du lịch":                   "Department of Tourism",
	"Sở Quy hoạch - Kiến trúc":     "Department of Planning and Architecture",
	"Ban quản lý Khu công nghệ cao và Khu công nghiệp thành phố Hà Nội": "Hanoi Hi-Tech and Industrial Parks Authority",
	"Trung tâm Phục vụ hành chính công Thành phố Hà Nội":                "Hanoi Public Administrative Service Centre",
}

// section is a special section (chuyên trang) or the data portal.
type section struct {
	code, name, nameEn, owner string
	kind                      site.SiteKind
}

var sections = []section{
	{"cai-cach-hanh-chinh", "Chuyên trang Cải cách hành chính", "Administrative Reform", "Sở Nội vụ", site.Section},
	{"chuyen-doi-so", "Chuyên trang Chuyển đổi số", "Digital Transformation", "Sở Khoa học và Công nghệ", site.Section},
	{"de-an-06", "Chuyên trang Đề án 06", "Project 06", "Văn phòng UBND Thành phố", site.Section},
	{"data", "Cổng Dữ liệu Thành phố Hà Nội", "Hanoi Open Data Portal", "Sở Khoa học và Công nghệ", site.Data},
}

// englishName writes a commune-level unit's English name: "Phường Ba Đình"
// is "Ba Dinh Ward" (proper names lose their diacritics in English).
func englishName(name string) string {
	kind, rest, _ := strings.Cut(name, " ")
	words := strings.Fields(vietnamese.Fold(rest))
	for i, w := range words {
		if w != "-" {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	suffix := " Commune"
	if kind == "Phường" {
		suffix = " Ward"
	}
	return strings.Join(words, " ") + suffix
}

// mergeTargets names successors whose names differ from the old district's.
var mergeTargets = map[string]string{"Quận Nam Từ Liêm": "Phường Từ Liêm"}

// IsEmpty reports whether db holds no installation yet.
func IsEmpty(ctx context.Context, sites *site.Service) (bool, error) {
	units, err := sites.Units(ctx)
	return len(units) == 0, err
}

// steps add each part's demo content once the units, sites and accounts
// exist, in order, inside the same transaction. Each part of the product
// appends its own (content, documents, feedback, datasets).
var steps = []func(ctx context.Context, svc *server.Services, res *Result) error{}

// Build creates the demo in one transaction: all of it or nothing.
func Build(ctx context.Context, svc *server.Services) (*Result, error) {
	ctx = access.With(ctx, access.System("demo", "cli"))
	res := &Result{}
	err := svc.DB.InTx(ctx, func(ctx context.Context) error {
		// What the parts put into the search index one item at a time is
		// written in a few large statements at the end.
		ctx = search.Batch(ctx)
		var err error
		if res, err = build(ctx, svc.Sites, svc.Staff); err != nil {
			return err
		}
		for _, step := range steps {
			if err := step(ctx, svc, res); err != nil {
				return err
			}
		}
		if err := svc.Search.Flush(ctx); err != nil {
			return err
		}
		return svc.IndexSites(ctx)
	})
	return res, err
}

func build(ctx context.Context, sites *site.Service, people *staff.Service) (*Result, error) {
	res := &Result{}
	newUnit := func(u *site.Unit) error {
		res.Units++
		return sites.CreateUnit(ctx, u)
	}
	newSite := func(st *site.Site) error {
		res.Sites++
		demoSettings(st)
		if len(st.Langs) == 0 {
			st.Langs = []string{"vi", "en"}
		}
		if st.Code == CityCode {
			st.Hosts = []string{Domain, "localhost"}
		} else {
			st.Hosts = []string{st.Code + "." + Domain}
		}
		return sites.CreateSite(ctx, st)
	}

	city := &site.Unit{Code: "01", Name: "Thành phố Hà Nội", NameEn: "Hanoi City", Kind: site.City}
	if err := newUnit(city); err != nil {
		return nil, err
	}
	if err := newSite(&site.Site{Code: CityCode, UnitID: city.ID, Kind: site.Portal, Name: "Thành phố Hà Nội", NameEn: "Hanoi City",
		Contact: site.Contact{
			Address: "Số 79 Đinh Tiên Hoàng, phường Hoàn Kiếm, thành phố Hà Nội", AddressEn: "79 Dinh Tien Hoang Street, Hoan Kiem Ward, Hanoi",
			Phone: "024 3825 3536", Email: "congthongtin@hanoi.gov.vn",
			ResponsibleName: "Trưởng Ban Biên tập", ResponsibleTitle: "Trưởng Ban Biên tập Cổng Thông tin điện tử Thành phố",
			ResponsibleTitleEn: "Head of the Editorial Board of the City Portal",
		}}); err != nil {
		return nil, err
	}

	agencies, err := readCSV("hanoi-departments.csv")
	if err != nil {
		return nil, err
	}
	unitByName := map[string]*site.Unit{}
	for i, a := range agencies {
		name := a["name"]
		code := agencyCodes[name]
		if code == "" {
			code = vietnamese.Slug(name, 40)
		}
		u := &site.Unit{Code: fmt.Sprintf("01.%03d", i+1), Name: name, ShortName: a["short_name"], NameEn: agencyEnglish[name], Kind: site.Agency, ParentID: city.ID}
		if err := newUnit(u); err != nil {
			return nil, err
		}
		unitByName[name] = u
		if err := newSite(&site.Site{Code: code, UnitID: u.ID, Kind: site.Portal, Name: name, NameEn: u.NameEn,
			Contact: site.Contact{Address: "Thành phố Hà Nội", AddressEn: "Hanoi", Email: code + "@hanoi.gov.vn"}}); err != nil {
			return nil, err
		}
	}

	communes, err := readCSV("hanoi-communes-2025.csv")
	if err != nil {
		return nil, err
	}
	for i, c := range communes {
		kind := site.Commune
		if c["kind"] == "phuong" {
			kind = site.Ward
		}
		u := &site.Unit{Code: c["code"], Name: c["name"], NameEn: englishName(c["name"]), Kind: kind, ParentID: city.ID}
		if err := newUnit(u); err != nil {
			return nil, err
		}
		unitByName[u.Name] = u
		st := &site.Site{Code: vietnamese.Slug(u.Name, 60), UnitID: u.ID, Kind: site.Portal, Name: u.Name, NameEn: u.NameEn,
			Contact: site.Contact{Address: "Trụ sở UBND " + u.Name + ", thành phố Hà Nội"}}
		// Half of the communes have filled in their English address and
		// e-mail; the compliance audit has something to find in the rest.
		if i%2 == 0 {
			st.Contact.AddressEn = "People's Committee of " + u.NameEn + ", Hanoi"
			st.Contact.Email = st.Code + "@hanoi.gov.vn"
		}
		if err := newSite(st); err != nil {
			return nil, err
		}
	}

	for _, s := range sections {
		owner := unitByName[s.owner]
		if owner == nil {
			return nil, fmt.Errorf("demo: section %s: no unit %q", s.code, s.owner)
		}
		if err := newSite(&site.Site{Code: s.code, UnitID: owner.ID, Kind: s.kind, Name: s.name, NameEn: s.nameEn}); err != nil {
			return nil, err
		}
	}

	// The districts before 1 July 2025, merged into their successors: their
	// old host names and mounts answer 301 to the new portals.
	districts, err := readCSV("hanoi-units-pre2025.csv")
	if err != nil {
		return nil, err
	}
	for _, d := range districts {
		u := &site.Unit{Code: d["code"], Name: d["name"], Kind: site.District, ParentID: city.ID}
		if err := newUnit(u); err != nil {
			return nil, err
		}
		if err := newSite(&site.Site{Code: vietnamese.Slug(u.Name, 60), UnitID: u.ID, Kind: site.Portal, Name: u.Name}); err != nil {
			return nil, err
		}
	}
	for _, d := range districts {
		into := city.Code
		if succ := successor(d["name"], mergeTargets, unitByName); succ != nil {
			into = succ.Code
		}
		if err := sites.Merge(ctx, d["code"], into, "2025-07-01"); err != nil {
			return nil, err
		}
		res.Merged++
	}

	logins, err := accounts(ctx, sites, people)
	if err != nil {
		return nil, err
	}
	res.Logins = logins
	return res, nil
}

// successor finds the commune-level unit that bears a district's name.
func successor(district string, explicit map[string]string, byName map[string]*site.Unit) *site.Unit {
	if n, ok := explicit[district]; ok {
		return byName[n]
	}
	base := district
	for _, p := range []string{"Thị xã ", "Quận ", "Huyện "} {
		base = strings.TrimPrefix(base, p)
	}
	for _, p := range []string{"Phường ", "Xã "} {
		if u := byName[p+base]; u != nil {
			return u
		}
	}
	return nil
}

// demoAccounts are the demo's staff: one per kind of work.
var demoAccounts = []struct {
	email, name string
	role        access.Role
	site        string
	enrolled    bool
}{
	{"quantri@hanoi.gov.vn", "Quản trị hệ thống", access.SystemAdmin, "", true},
	{"giamsat@hanoi.gov.vn", "Cán bộ giám sát", access.Supervisor, "", true},
	{"tongbientap@hanoi.gov.vn", "Trưởng Ban Biên tập", access.EditorInChief, CityCode, true},
	{"bientap@hanoi.gov.vn", "Biên tập viên", access.Editor, CityCode, true},
	{"quantri.badinh@hanoi.gov.vn", "Quản trị Phường Ba Đình", access.SiteAdmin, "phuong-ba-dinh", true},
	{"ctv.badinh@hanoi.gov.vn", "Cộng tác viên Phường Ba Đình", access.Collaborator, "phuong-ba-dinh", true},
	{"phananh.badinh@hanoi.gov.vn", "Cán bộ xử lý phản ánh Phường Ba Đình", access.FeedbackOfficer, "phuong-ba-dinh", true},
	{"phananh@hanoi.gov.vn", "Ban Biên tập — tiếp nhận phản ánh", access.FeedbackOfficer, CityCode, true},
	{"dulieu@hanoi.gov.vn", "Cán bộ công bố dữ liệu", access.DataPublisher, "data", true},
	{"ctv.moi@hanoi.gov.vn", "Cộng tác viên mới (chưa bật xác thực 2 bước)", access.Collaborator, "xa-soc-son", false},
}

func accounts(ctx context.Context, sites *site.Service, people *staff.Service) ([]Login, error) {
	var out []Login
	hashed, err := staff.HashPassword(Password)
	if err != nil {
		return nil, err
	}
	for _, a := range demoAccounts {
		g := staff.Grant{Role: a.role}
		if a.site != "" {
			st, err := sites.Site(ctx, a.site)
			if err != nil {
				return nil, fmt.Errorf("demo: account %s: %w", a.email, err)
			}
			g.SiteID = st.ID
		}
		u, err := people.AddUser(ctx, staff.NewUser{Email: a.email, Name: a.name, Password: Password, Hashed: hashed, Grants: []staff.Grant{g}})
		if err != nil {
			return nil, fmt.Errorf("demo: account %s: %w", a.email, err)
		}
		l := Login{Email: a.email, Role: a.role, Site: a.site}
		if a.enrolled {
			if l.Secret, err = people.EnrolForDemo(ctx, u.ID); err != nil {
				return nil, err
			}
		}
		out = append(out, l)
	}
	return out, nil
}

// Logins reads the demo accounts back from the database, for printing at
// every start (the password is Password; the TOTP secrets are the accounts'
// own).
func Logins(ctx context.Context, people *staff.Service) ([]Login, error) {
	var out []Login
	for _, a := range demoAccounts {
		u, err := people.UserByEmail(ctx, a.email)
		if err != nil {
			continue // removed or renamed by the operator
		}
		l := Login{Email: u.Email, Role: a.role, Site: a.site}
		if u.TOTPEnabled {
			l.Secret = u.TOTPSecret
		}
		out = append(out, l)
	}
	return out, nil
}
