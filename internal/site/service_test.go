package site_test

import (
	"context"
	"strings"
	"testing"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/auditlog"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/store/storetest"
)

type fixture struct {
	svc  *site.Service
	log  *auditlog.Log
	sys  context.Context
	city *site.Unit
	a, b *site.Unit // two wards
	pa   *site.Site // a's portal
}

func setup(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	f := &fixture{log: auditlog.New(db)}
	f.svc = site.NewService(db, f.log)
	f.sys = access.With(context.Background(), access.System("test", "cli"))
	f.city = &site.Unit{Code: "01", Name: "Thành phố Hà Nội", Kind: site.City}
	must(t, f.svc.CreateUnit(f.sys, f.city))
	must(t, f.svc.CreateSite(f.sys, &site.Site{Code: "hanoi", UnitID: f.city.ID, Kind: site.Portal, Name: "Thành phố Hà Nội", Langs: []string{"vi", "en"}, Hosts: []string{"hanoi.localhost"}}))
	f.a = &site.Unit{Code: "00004", Name: "Phường Ba Đình", Kind: site.Ward, ParentID: f.city.ID}
	f.b = &site.Unit{Code: "00070", Name: "Phường Hoàn Kiếm", Kind: site.Ward, ParentID: f.city.ID}
	must(t, f.svc.CreateUnit(f.sys, f.a))
	must(t, f.svc.CreateUnit(f.sys, f.b))
	f.pa = &site.Site{Code: "phuong-ba-dinh", UnitID: f.a.ID, Kind: site.Portal, Name: "Phường Ba Đình", Langs: []string{"vi"}, Hosts: []string{"Phuong-Ba-Dinh.Hanoi.Localhost."}}
	must(t, f.svc.CreateSite(f.sys, f.pa))
	must(t, f.svc.CreateSite(f.sys, &site.Site{Code: "phuong-hoan-kiem", UnitID: f.b.ID, Kind: site.Portal, Name: "Phường Hoàn Kiếm", Langs: []string{"vi"}}))
	return f
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func as(roles map[int64][]access.Role, city ...access.Role) context.Context {
	return access.With(context.Background(), &access.Actor{UserID: 99, Name: "x@hanoi.gov.vn", Sites: roles, City: city, Via: "session"})
}

func TestService_Permissions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		collab := as(map[int64][]access.Role{f.pa.ID: {access.Collaborator}})
		admin := as(map[int64][]access.Role{f.pa.ID: {access.SiteAdmin}})
		supervisor := as(nil, access.Supervisor)
		in := site.Settings{Name: "Phường Ba Đình", Langs: []string{"vi", "en"}, Contact: site.Contact{Phone: "024 1234 5678"}}
		for name, ctx := range map[string]context.Context{"collaborator": collab, "supervisor": supervisor, "anonymous": context.Background()} {
			if _, err := f.svc.UpdateSettings(ctx, "phuong-ba-dinh", 1, in); !fault.Is(err, fault.Forbidden) && !fault.Is(err, fault.Unauthorized) {
				t.Errorf("%s UpdateSettings: %v", name, err)
			}
			if err := f.svc.Merge(ctx, "00004", "00070", "2025-07-01"); !fault.Is(err, fault.Forbidden) && !fault.Is(err, fault.Unauthorized) {
				t.Errorf("%s Merge: %v", name, err)
			}
			if _, err := f.svc.SetHosts(ctx, "phuong-ba-dinh", []string{"x.vn"}); !fault.Is(err, fault.Forbidden) && !fault.Is(err, fault.Unauthorized) {
				t.Errorf("%s SetHosts: %v", name, err)
			}
		}
		// A site admin edits their own site, not another, and not its hosts.
		if _, err := f.svc.UpdateSettings(admin, "phuong-hoan-kiem", 1, in); !fault.Is(err, fault.Forbidden) {
			t.Errorf("site admin on another site: %v", err)
		}
		if _, err := f.svc.SetHosts(admin, "phuong-ba-dinh", []string{"x.vn"}); !fault.Is(err, fault.Forbidden) {
			t.Errorf("site admin setting hosts: %v", err)
		}
		st, err := f.svc.UpdateSettings(admin, "phuong-ba-dinh", 1, in)
		if err != nil || st.Contact.Phone != "024 1234 5678" || st.Version != 2 {
			t.Fatalf("site admin on own site: %+v %v", st, err)
		}
		es, _, _ := f.log.Entries(f.sys, auditlog.Filter{SiteID: f.pa.ID})
		if len(es) == 0 || es[0].Action != "site.update" || es[0].ActorName != "x@hanoi.gov.vn" || es[0].Detail == "" {
			t.Errorf("audit entry: %+v", es)
		}
	})
}

func TestService_Validation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		got, _ := f.svc.Site(f.sys, "phuong-ba-dinh")
		if got.Hosts[0] != "phuong-ba-dinh.hanoi.localhost" {
			t.Errorf("host not normalised: %q", got.Hosts)
		}
		bad := []struct {
			name  string
			in    site.Settings
			field string
		}{
			{"empty name", site.Settings{Name: "  ", Langs: []string{"vi"}}, "name"},
			{"english first", site.Settings{Name: "X", Langs: []string{"en", "vi"}}, "languages"},
			{"bad email", site.Settings{Name: "X", Langs: []string{"vi"}, Contact: site.Contact{Email: "a@"}}, "email"},
			{"bad phone", site.Settings{Name: "X", Langs: []string{"vi"}, Contact: site.Contact{Phone: "<script>"}}, "phone"},
			{"bad emc", site.Settings{Name: "X", Langs: []string{"vi"}, EMCID: "abc"}, "emc_id"},
			{"long address", site.Settings{Name: "X", Langs: []string{"vi"}, Contact: site.Contact{Address: strings.Repeat("ă", 301)}}, "address"},
		}
		for _, tt := range bad {
			_, err := f.svc.UpdateSettings(f.sys, "phuong-ba-dinh", 1, tt.in)
			l, ok := err.(fault.List)
			if !ok || l[0].Field != tt.field {
				t.Errorf("%s: err = %v", tt.name, err)
			}
		}
		if st, _ := f.svc.Site(f.sys, "phuong-ba-dinh"); st.Version != 1 {
			t.Errorf("refused edits changed the version to %d", st.Version)
		}
		// Names are stored in NFC whatever the keyboard sent.
		st, err := f.svc.UpdateSettings(f.sys, "phuong-ba-dinh", 1, site.Settings{Name: "Phu\u031bo\u031b\u0300ng Ba \u0110i\u0300nh", Langs: []string{"vi"}})
		if err != nil {
			t.Fatalf("NFC: %v", err)
		}
		if st.Name != "Phường Ba Đình" {
			t.Errorf("NFC: %q", st.Name)
		}
		for _, code := range []string{"Hoa", "a_b", "-ab", "quan-tri", "tim-kiem", ""} {
			err := f.svc.CreateSite(f.sys, &site.Site{Code: code, UnitID: f.b.ID, Kind: site.Section, Name: "X", Langs: []string{"vi"}})
			if !fault.Is(err, fault.Invalid) {
				t.Errorf("code %q accepted: %v", code, err)
			}
		}
		err = f.svc.CreateSite(f.sys, &site.Site{Code: "trung-ten-mien", UnitID: f.b.ID, Kind: site.Section, Name: "X", Langs: []string{"vi"}, Hosts: []string{"phuong-ba-dinh.hanoi.localhost"}})
		if fe := fault.As(err); fe == nil || fe.Key != "site.host_taken" {
			t.Errorf("taken host: %v", err)
		}
		if _, err := f.svc.Site(f.sys, "trung-ten-mien"); !fault.Is(err, fault.NotFound) {
			t.Errorf("a site whose host was taken was half-created: %v", err)
		}
	})
}

func TestService_Merge(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		child := &site.Unit{Code: "00004.1", Name: "Tổ dân phố 1", Kind: site.Other, ParentID: f.a.ID}
		must(t, f.svc.CreateUnit(f.sys, child))
		section := &site.Site{Code: "chuyen-trang-ba-dinh", UnitID: f.a.ID, Kind: site.Section, Name: "Chuyên trang", Langs: []string{"vi"}}
		must(t, f.svc.CreateSite(f.sys, section))

		for _, tt := range []struct{ name, from, into, on, key string }{
			{"itself", "00004", "00004", "2025-07-01", "unit.merge_into_itself"},
			{"into a descendant", "00004", "00004.1", "2025-07-01", "unit.merge_into_descendant"},
			{"the root", "01", "00004", "2025-07-01", "unit.merge_root"},
			{"bad date", "00004", "00070", "1/7/2025", "field.date_invalid"},
			{"unknown", "nope", "00070", "2025-07-01", "unit.not_found"},
		} {
			err := f.svc.Merge(f.sys, tt.from, tt.into, tt.on)
			if fe := fault.As(err); fe == nil || fe.Key != tt.key {
				t.Errorf("%s: %v, want %s", tt.name, err, tt.key)
			}
		}
		must(t, f.svc.Merge(f.sys, "00004", "00070", "2025-07-01"))
		d, err := f.svc.Directory(f.sys)
		if err != nil {
			t.Fatal(err)
		}
		old, _ := d.ByCode("phuong-ba-dinh")
		hk, _ := d.ByCode("phuong-hoan-kiem")
		if old.Status != site.Merged || old.MergedTo != hk.ID || d.Live(old) != hk {
			t.Errorf("old portal: %+v", old)
		}
		if st, _ := d.ByHost("phuong-ba-dinh.hanoi.localhost"); st != old {
			t.Errorf("the old host no longer resolves to the old site (needed for its 301s)")
		}
		if sec, _ := d.ByCode("chuyen-trang-ba-dinh"); sec.UnitID != f.b.ID || sec.Status != site.Active {
			t.Errorf("special section not handed over: %+v", sec)
		}
		if u, _ := d.Unit(child.ID); u.ParentID != f.b.ID {
			t.Errorf("child unit not moved under the successor")
		}
		if u, _ := d.Unit(f.a.ID); u.Status != site.Merged || u.MergedIntoID != f.b.ID || u.MergedOn != "2025-07-01" {
			t.Errorf("merged unit: %+v", u)
		}
		if err := f.svc.Merge(f.sys, "00004", "01", "2025-07-02"); fault.As(err) == nil || fault.As(err).Key != "unit.merged_already" {
			t.Errorf("merging twice: %v", err)
		}
		if _, err := f.svc.UpdateSettings(f.sys, "phuong-ba-dinh", old.Version, site.Settings{Name: "X", Langs: []string{"vi"}}); !fault.Is(err, fault.Gone) {
			t.Errorf("editing a merged site: %v", err)
		}
	})
}
