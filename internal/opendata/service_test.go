package opendata_test

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/auditlog"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/opendata"
	"github.com/congvn/cong/internal/search"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/store/storetest"
)

// recorder is a search.Indexer that remembers what it was told.
type recorder struct {
	mu   sync.Mutex
	docs map[string]search.Doc
}

func (r *recorder) Put(ctx context.Context, d search.Doc) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.docs[d.Ref] = d
	return nil
}

func (r *recorder) Delete(ctx context.Context, k search.Kind, ref string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.docs, ref)
	return nil
}

// world is a small city: the city portal, two agencies and the data portal.
type world struct {
	svc                         *opendata.Service
	sites                       *site.Service
	dir                         *site.Directory
	city, justice, health, data *site.Site
	index                       *recorder
}

func system() context.Context {
	return access.With(context.Background(), access.System("test", "cli"))
}

func setup(t *testing.T, db *store.DB) *world { return setupB(t, db) }

func setupB(t testing.TB, db *store.DB) *world {
	t.Helper()
	ctx := system()
	log := auditlog.New(db)
	w := &world{sites: site.NewService(db, log), index: &recorder{docs: map[string]search.Doc{}}}
	w.svc = opendata.NewService(db, log, t.TempDir())
	w.svc.SetIndexer(w.index)
	city := &site.Unit{Code: "01", Name: "Thành phố Hà Nội", Kind: site.City}
	if err := w.sites.CreateUnit(ctx, city); err != nil {
		t.Fatal(err)
	}
	mk := func(code, name string, kind site.SiteKind, unit int64) *site.Site {
		st := &site.Site{Code: code, UnitID: unit, Kind: kind, Name: name, Langs: []string{"vi"}, Hosts: []string{code + ".test"}}
		if err := w.sites.CreateSite(ctx, st); err != nil {
			t.Fatal(err)
		}
		return st
	}
	w.city = mk("hanoi", "Thành phố Hà Nội", site.Portal, city.ID)
	for _, a := range []struct {
		code, name string
		dst        **site.Site
	}{{"so-tu-phap", "Sở Tư pháp", &w.justice}, {"so-y-te", "Sở Y tế", &w.health}} {
		u := &site.Unit{Code: "01." + a.code, Name: a.name, Kind: site.Agency, ParentID: city.ID}
		if err := w.sites.CreateUnit(ctx, u); err != nil {
			t.Fatal(err)
		}
		*a.dst = mk(a.code, a.name, site.Portal, u.ID)
	}
	w.data = mk("data", "Cổng Dữ liệu", site.Data, city.ID)
	for _, g := range []string{"giao-duc", "y-te"} {
		if err := w.svc.CreateGroup(ctx, &opendata.Group{Name: g, Title: strings.ToUpper(g)}); err != nil {
			t.Fatal(err)
		}
	}
	var err error
	if w.dir, err = w.sites.Directory(ctx); err != nil {
		t.Fatal(err)
	}
	return w
}

func as(siteID int64, role access.Role) context.Context {
	return access.With(context.Background(), &access.Actor{UserID: 7, Name: "x@hanoi.gov.vn", Sites: map[int64][]access.Role{siteID: {role}}, Via: "session"})
}

func TestDatasetsAndPermissions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := setup(t, db)
		justicePublisher := as(w.justice.ID, access.DataPublisher)
		d := &opendata.Dataset{SiteID: w.justice.ID, Title: "Danh sách tổ chức hành nghề công chứng", Notes: "Các văn phòng công chứng trên địa bàn.",
			Tags: []string{"công chứng", "tư pháp"}, Groups: []string{"giao-duc"}, Frequency: "MONTHLY"}
		if err := w.svc.CreateDataset(justicePublisher, d); err != nil {
			t.Fatal(err)
		}
		if d.Name != "danh-sach-to-chuc-hanh-nghe-cong-chung" || d.LicenseID != opendata.DefaultLicense || !opendata.IsID(d.ID) {
			t.Errorf("created %+v", d)
		}
		if doc, ok := w.index.docs[d.ID]; !ok || doc.Kind != search.KindDataset || doc.SiteID != w.data.ID || doc.Path != "/du-lieu/"+d.Name ||
			doc.Category != "GIAO-DUC" || doc.Summary != d.Notes || strings.Contains(doc.Body, d.Notes) {
			t.Errorf("indexed %+v (the theme's title as category, the description once)", doc)
		}
		// A publisher of another unit, a collaborator, nobody: refused.
		for name, ctx := range map[string]context.Context{
			"other unit":   as(w.health.ID, access.DataPublisher),
			"collaborator": as(w.justice.ID, access.Collaborator),
		} {
			err := w.svc.CreateDataset(ctx, &opendata.Dataset{SiteID: w.justice.ID, Title: "X"})
			if !fault.Is(err, fault.Forbidden) {
				t.Errorf("%s: %v", name, err)
			}
		}
		if err := w.svc.CreateDataset(context.Background(), &opendata.Dataset{SiteID: w.justice.ID, Title: "X"}); !fault.Is(err, fault.Unauthorized) {
			t.Errorf("anonymous: %v", err)
		}
		// The data portal's publisher publishes for every unit.
		dataPublisher := as(w.data.ID, access.DataPublisher)
		d2 := &opendata.Dataset{SiteID: w.health.ID, Title: "Cơ sở khám chữa bệnh", LicenseID: "odc-odbl", Groups: []string{"y-te"}, Tags: []string{"y tế"}}
		if err := w.svc.CreateDataset(dataPublisher, d2); err != nil {
			t.Fatal(err)
		}
		// Bad input: every problem at once.
		err := w.svc.CreateDataset(dataPublisher, &opendata.Dataset{SiteID: w.health.ID, Name: "Tên Sai!", LicenseID: "proprietary",
			Frequency: "hourly", TemporalStart: "2026-02-30", ContactEmail: "not-an-email", Groups: []string{"khong-co"}})
		var list fault.List
		if !errorsAs(err, &list) || len(list) < 6 {
			t.Errorf("bad input: %v", err)
		}
		// The name is unique.
		if err := w.svc.CreateDataset(dataPublisher, &opendata.Dataset{SiteID: w.health.ID, Title: "Cơ sở khám chữa bệnh"}); !fault.Is(err, fault.Invalid) {
			t.Errorf("duplicate name: %v", err)
		}

		orgs := opendata.OrgsOf(w.dir)
		res, err := w.svc.Search(context.Background(), orgs, opendata.SearchQuery{Q: "cong chung", Rows: 10, FacetFields: opendata.FacetFields})
		if err != nil {
			t.Fatal(err)
		}
		if res.Count != 1 || res.Results[0].ID != d.ID {
			t.Errorf("q=cong chung: %d results", res.Count)
		}
		res, _ = w.svc.Search(context.Background(), orgs, opendata.SearchQuery{Rows: 10, FacetFields: []string{"organization", "license_id"}})
		if res.Count != 2 || len(res.Facets["organization"]) != 2 || res.Facets["license_id"][0].Count != 1 {
			t.Errorf("all: %d, facets %+v", res.Count, res.Facets)
		}
		for fq, want := range map[string]int{
			"organization:so-tu-phap":                         1,
			"groups:y-te":                                     1,
			`tags:"công chứng"`:                               1,
			"-license_id:odc-odbl":                            1,
			"tags:(tư\\ pháp OR y\\ tế)":                      2,
			"metadata_modified:[2020-01-01T00:00:00Z TO *]":   2,
			"metadata_modified:[* TO 2020-01-01]":             0,
			"organization:so-y-te OR organization:so-tu-phap": 2,
			"owner_org:01.so-y-te":                            1,
		} {
			res, err := w.svc.Search(context.Background(), orgs, opendata.SearchQuery{FQ: fq, Rows: 10})
			if err != nil || res.Count != want {
				t.Errorf("fq=%s: %v, %v; want %d", fq, res, err, want)
			}
		}
		for _, bad := range []string{"organization:(", `title:"open`, "nofield:x", "tags:"} {
			if _, err := w.svc.Search(context.Background(), orgs, opendata.SearchQuery{FQ: bad}); !fault.Is(err, fault.Invalid) {
				t.Errorf("fq=%s: %v", bad, err)
			}
		}
		if _, err := w.svc.Search(context.Background(), orgs, opendata.SearchQuery{Sort: "bogus desc"}); !fault.Is(err, fault.Invalid) {
			t.Errorf("bad sort: %v", err)
		}

		// Edits show in the search at once; deleting removes it everywhere.
		d.Title = "Tổ chức hành nghề công chứng và luật sư"
		d.State = opendata.Draft
		if err := w.svc.UpdateDataset(justicePublisher, d); err != nil {
			t.Fatal(err)
		}
		if _, ok := w.index.docs[d.ID]; ok {
			t.Errorf("a draft stays in the search index")
		}
		res, _ = w.svc.Search(context.Background(), orgs, opendata.SearchQuery{Rows: 10})
		if res.Count != 1 {
			t.Errorf("a draft is public: %d", res.Count)
		}
		if _, err := w.svc.Dataset(context.Background(), d.Name); !fault.Is(err, fault.NotFound) {
			t.Errorf("anonymous sees a draft: %v", err)
		}
		if _, err := w.svc.Dataset(justicePublisher, d.Name); err != nil {
			t.Errorf("its publisher does not see the draft: %v", err)
		}
		if err := w.svc.DeleteDataset(as(w.health.ID, access.DataPublisher), d.ID); !fault.Is(err, fault.Forbidden) {
			t.Errorf("delete by another unit: %v", err)
		}
		if err := w.svc.DeleteDataset(justicePublisher, d.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Dataset(justicePublisher, d.ID); !fault.Is(err, fault.NotFound) && err != nil {
			t.Errorf("deleted: %v", err)
		}
	})
}

func errorsAs(err error, l *fault.List) bool {
	x, ok := err.(fault.List)
	*l = x
	return ok
}

// cp1258 encodes text as Vietnamese Windows does: letters with their
// vowel marks precomposed (ă, ơ, ư…), tones as combining marks.
func cp1258(t *testing.T, s string) []byte {
	t.Helper()
	var out strings.Builder
	for _, r := range s {
		var base, tones []rune
		for _, m := range norm.NFD.String(string(r)) {
			switch m {
			case 0x300, 0x301, 0x303, 0x309, 0x323:
				tones = append(tones, m)
			default:
				base = append(base, m)
			}
		}
		out.WriteString(norm.NFC.String(string(base)) + string(tones))
	}
	b, err := charmap.Windows1258.NewEncoder().Bytes([]byte(out.String()))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestTabularResources(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := setup(t, db)
		ctx := as(w.data.ID, access.DataPublisher)
		d := &opendata.Dataset{SiteID: w.health.ID, Title: "Trạm y tế"}
		if err := w.svc.CreateDataset(ctx, d); err != nil {
			t.Fatal(err)
		}
		csv := "Mã;Tên trạm;Phường, xã;Số giường;Diện tích;Ngày thành lập;Ghi chú\n" +
			"1;Trạm y tế Ba Đình;Phường Ba Đình;12;150.5;01/02/2001;\n" +
			"2;Trạm y tế Hoàn Kiếm;Phường Hoàn Kiếm;8;90;2003-05-17;=HYPERLINK(\"x\")\n" +
			"3;Trạm y tế Sóc Sơn;Xã Sóc Sơn;20;300.25;15/09/1999;thiếu ô\n" +
			"4;Trạm y tế Đông Anh;Xã Đông Anh;15;210\n"
		r := &opendata.Resource{Name: "Danh sách trạm y tế", Format: "CSV"}
		if err := w.svc.AddResource(ctx, d.ID, r, &opendata.File{Name: "tram y te.csv", Body: bytes.NewReader(cp1258(t, csv))}); err != nil {
			t.Fatal(err)
		}
		if !r.Tabular() || r.Rows != 4 || r.Report == nil || r.Report.Encoding != opendata.EncCP1258 || r.Report.Ragged != 1 || r.Report.Delimiter != ";" {
			t.Fatalf("loaded %+v report %+v", r, r.Report)
		}
		types := []string{}
		for _, c := range r.Columns {
			types = append(types, c.Type)
		}
		if strings.Join(types, ",") != "int,text,text,int,numeric,date,text" || r.Columns[2].ID != "Phường, xã" {
			t.Errorf("columns %+v", r.Columns)
		}
		if !strings.HasPrefix(r.Hash, "sha256:") || r.Filename != "tram-y-te.csv" || r.Version != 1 {
			t.Errorf("file %+v", r)
		}
		search := func(req opendata.DatastoreRequest) *opendata.DatastoreResult {
			t.Helper()
			req.ResourceID = r.ID
			res, err := w.svc.DatastoreSearch(context.Background(), req)
			if err != nil {
				t.Fatalf("%+v: %v", req, err)
			}
			return res
		}
		res := search(opendata.DatastoreRequest{Filters: map[string]any{"Phường, xã": "Xã Sóc Sơn"}})
		if res.Total != 1 || res.Records[0][0] != int64(3) || res.Records[0][6] != "2001-02-01" && res.Records[0][6] != "1999-09-15" {
			t.Errorf("filter: %+v", res.Records)
		}
		// Text converted from Windows-1258 is NFC and matches what is typed.
		if res.Records[0][2] != "Trạm y tế Sóc Sơn" {
			t.Errorf("converted text %q", res.Records[0][2])
		}
		res = search(opendata.DatastoreRequest{Q: "hoan kiem"})
		if res.Total != 1 || res.Records[0][0] != int64(2) {
			t.Errorf("q without tones: %+v", res.Records)
		}
		res = search(opendata.DatastoreRequest{Sort: "Số giường desc", Limit: 2, Fields: []string{"Tên trạm", "Số giường"}})
		if res.Total != 4 || len(res.Records) != 2 || res.Records[0][1] != int64(20) || len(res.Fields) != 2 {
			t.Errorf("sort: %+v %+v", res.Records, res.Fields)
		}
		res = search(opendata.DatastoreRequest{Filters: map[string]any{"Số giường": []any{"8", 12.0}}})
		if res.Total != 2 {
			t.Errorf("int filter list: %d", res.Total)
		}
		for _, bad := range []opendata.DatastoreRequest{
			{Filters: map[string]any{"Không có": "x"}},
			{Filters: map[string]any{"Số giường": "nhiều"}},
			{Sort: "Không có"},
			{Fields: []string{"_id", "Không có"}},
		} {
			bad.ResourceID = r.ID
			if _, err := w.svc.DatastoreSearch(context.Background(), bad); !fault.Is(err, fault.Invalid) {
				t.Errorf("%+v: %v", bad, err)
			}
		}
		if _, err := w.svc.DatastoreSearch(context.Background(), opendata.DatastoreRequest{ResourceID: "khong-co"}); !fault.Is(err, fault.NotFound) {
			t.Errorf("unknown resource: %v", err)
		}
		// A new version replaces the rows; the earlier file is kept.
		utf8BOM := "\xEF\xBB\xBFMã,Tên trạm\n10,Trạm mới\n"
		if _, err := w.svc.UpdateResource(ctx, r.ID, opendata.ResourceChange{}, &opendata.File{Name: "v2.csv", Body: strings.NewReader(utf8BOM)}); err != nil {
			t.Fatal(err)
		}
		res = search(opendata.DatastoreRequest{})
		if res.Total != 1 || res.Records[0][2] != "Trạm mới" || res.Resource.Version != 2 || res.Resource.Report.Encoding != opendata.EncUTF8BOM {
			t.Errorf("version 2: %+v %+v", res.Records, res.Resource.Report)
		}
		vs, err := w.svc.FileVersions(context.Background(), r.ID)
		if err != nil || len(vs) != 2 || vs[0].Encoding != opendata.EncCP1258 {
			t.Fatalf("versions %v %v", vs, err)
		}
		f, v, err := w.svc.OpenFile(context.Background(), r.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		f.Close()
		if v.Version != 1 {
			t.Errorf("version %d", v.Version)
		}
		// A file in an encoding we do not guess (TCVN3, VNI…) is published
		// with an explanation instead of rows of garbage.
		bad := &opendata.Resource{Name: "Hỏng", Format: "CSV"}
		if err := w.svc.AddResource(ctx, d.ID, bad, &opendata.File{Name: "hong.csv", Body: strings.NewReader("a,b\n\x81\x8d,1\n")}); err != nil {
			t.Fatal(err)
		}
		if bad.Tabular() || bad.Report == nil || bad.Report.Error != "data.encoding_unknown" {
			t.Errorf("unreadable CSV: %+v", bad.Report)
		}
		// Too large: refused, nothing kept.
		w.svc.SetLimits(opendata.Limits{MaxFile: 10, MaxRows: 10, MaxCols: 5})
		if err := w.svc.AddResource(ctx, d.ID, &opendata.Resource{Name: "Lớn"}, &opendata.File{Name: "lon.csv", Body: strings.NewReader(strings.Repeat("x", 11))}); !fault.Is(err, fault.Invalid) {
			t.Errorf("too large: %v", err)
		}
	})
}

func TestFeeds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := setup(t, db)
		w.svc.RegisterFeed(opendata.SitesFeed(db))
		if err := w.svc.CreateGroup(system(), &opendata.Group{Name: "hanh-chinh-cong", Title: "Hành chính công"}); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.RefreshFeeds(context.Background()); err != nil {
			t.Fatal(err)
		}
		d, err := w.svc.Dataset(context.Background(), "danh-sach-cong-thong-tin-thanh-phan")
		if err != nil || len(d.Resources) != 1 || d.Resources[0].Rows != 4 || d.Feed == "" {
			t.Fatalf("feed dataset %+v %v", d, err)
		}
		// Nothing changed: no new version. A change: a new version.
		w.svc.RefreshFeeds(context.Background())
		d, _ = w.svc.Dataset(context.Background(), d.ID)
		if d.Resources[0].Version != 1 {
			t.Errorf("unchanged feed made version %d", d.Resources[0].Version)
		}
		if _, err := w.sites.UpdateSettings(system(), "so-y-te", 1, site.Settings{Name: "Sở Y tế Hà Nội", Langs: []string{"vi"}}); err != nil {
			t.Fatal(err)
		}
		w.svc.RefreshFeeds(context.Background())
		d, _ = w.svc.Dataset(context.Background(), d.ID)
		if d.Resources[0].Version != 2 {
			t.Errorf("changed feed: version %d", d.Resources[0].Version)
		}
	})
}

func TestSafeCell(t *testing.T) {
	for in, want := range map[string]string{"=1+1": "'=1+1", "+84 24": "'+84 24", "-5": "'-5", "@SUM": "'@SUM", "\tx": "'\tx", "\rx": "'\rx", "Hà Nội": "Hà Nội", "": ""} {
		if got := opendata.SafeCell(in); got != want {
			t.Errorf("SafeCell(%q) = %q", in, got)
		}
	}
}
