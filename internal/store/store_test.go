package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/congvn/cong/internal/auditlog"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/staff"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/store/storetest"
)

func TestMigrate_Twice(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		applied, err := db.Migrate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) != 0 {
			t.Errorf("second Migrate applied %v; want nothing", applied)
		}
		if n, err := db.Pending(ctx); err != nil || n != 0 {
			t.Errorf("Pending = %d, %v", n, err)
		}
	})
}

func mustUnit(t *testing.T, db *store.DB, code, name string, kind site.UnitKind, parent int64) *site.Unit {
	t.Helper()
	u := &site.Unit{Code: code, Name: name, Kind: kind, ParentID: parent, Status: site.Active}
	if err := db.CreateUnit(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

func mustSite(t *testing.T, db *store.DB, code string, unit int64, hosts ...string) *site.Site {
	t.Helper()
	s := &site.Site{Code: code, UnitID: unit, Kind: site.Portal, Name: "Cổng " + code, Langs: []string{"vi", "en"}, Status: site.Active, Hosts: hosts}
	if err := db.CreateSite(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestUnits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		city := mustUnit(t, db, "01", "Thành phố Hà Nội", site.City, 0)
		mustUnit(t, db, "10489", "Xã Hương Sơn", site.Commune, city.ID)
		mustUnit(t, db, "00454", "Xã Đông Anh", site.Commune, city.ID)
		mustUnit(t, db, "10180", "Xã Dân Hòa", site.Commune, city.ID)

		t.Run("ErrConflict", func(t *testing.T) {
			err := db.CreateUnit(ctx, &site.Unit{Code: "01", Name: "Trùng", Kind: site.City, Status: site.Active})
			if !fault.Is(err, fault.Invalid) || fault.As(err).Key != "unit.code_taken" {
				t.Errorf("duplicate code: err = %v", err)
			}
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			if _, err := db.UnitByCode(ctx, "nope"); !fault.Is(err, fault.NotFound) {
				t.Errorf("err = %v; want not found", err)
			}
			err := db.CreateUnit(ctx, &site.Unit{Code: "x1", Name: "Mồ côi", Kind: site.Other, ParentID: 9999, Status: site.Active})
			if err == nil {
				t.Errorf("unit with a missing parent was created")
			}
		})
		t.Run("VietnameseOrder", func(t *testing.T) {
			units, err := db.Units(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, u := range units {
				names = append(names, u.Name)
			}
			want := []string{"Thành phố Hà Nội", "Xã Dân Hòa", "Xã Đông Anh", "Xã Hương Sơn"}
			if !slices.Equal(names, want) {
				t.Errorf("order = %q; want %q", names, want)
			}
		})
		t.Run("RoundTrip", func(t *testing.T) {
			u, err := db.UnitByCode(ctx, "00454")
			if err != nil {
				t.Fatal(err)
			}
			if u.Name != "Xã Đông Anh" || u.ParentID != city.ID || u.Kind != site.Commune || u.Status != site.Active {
				t.Errorf("unit = %+v", u)
			}
			if time.Since(u.CreatedAt) > time.Minute || u.CreatedAt.Location() != time.UTC {
				t.Errorf("created_at = %v", u.CreatedAt)
			}
		})
	})
}

func TestSites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		city := mustUnit(t, db, "01", "Thành phố Hà Nội", site.City, 0)
		ward := mustUnit(t, db, "00004", "Phường Ba Đình", site.Ward, city.ID)
		hn := mustSite(t, db, "hanoi", city.ID, "hanoi.localhost", "localhost")
		bd := mustSite(t, db, "phuong-ba-dinh", ward.ID, "phuong-ba-dinh.hanoi.localhost")

		t.Run("Hosts", func(t *testing.T) {
			got, err := db.SiteByCode(ctx, "hanoi")
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got.Hosts, []string{"hanoi.localhost", "localhost"}) {
				t.Errorf("hosts = %q; want primary first", got.Hosts)
			}
			err = db.SetSiteHosts(ctx, bd.ID, []string{"phuong-ba-dinh.hanoi.localhost", "localhost"})
			if !fault.Is(err, fault.Invalid) || fault.As(err).Key != "site.host_taken" {
				t.Errorf("taking another site's host: err = %v", err)
			}
			// Nothing half-written: the failed change left the old hosts.
			got, _ = db.SiteByCode(ctx, "phuong-ba-dinh")
			if !slices.Equal(got.Hosts, []string{"phuong-ba-dinh.hanoi.localhost"}) {
				t.Errorf("hosts after failed change = %q", got.Hosts)
			}
		})
		t.Run("OptimisticLock", func(t *testing.T) {
			a, _ := db.SiteByCode(ctx, "hanoi")
			b, _ := db.SiteByCode(ctx, "hanoi")
			a.Contact.Phone = "024 3825 3536"
			if err := db.UpdateSite(ctx, a); err != nil {
				t.Fatal(err)
			}
			b.Contact.Phone = "024 0000 0000"
			if err := db.UpdateSite(ctx, b); !fault.Is(err, fault.Conflict) {
				t.Errorf("second concurrent save: err = %v; want conflict", err)
			}
			got, _ := db.SiteByCode(ctx, "hanoi")
			if got.Contact.Phone != "024 3825 3536" || got.Version != hn.Version+1 {
				t.Errorf("site after conflict: phone %q version %d", got.Contact.Phone, got.Version)
			}
		})
		t.Run("All", func(t *testing.T) {
			all, err := db.Sites(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(all) != 2 || all[0].Code != "hanoi" && all[1].Code != "hanoi" {
				t.Fatalf("sites = %d", len(all))
			}
			for _, s := range all {
				if len(s.Hosts) == 0 {
					t.Errorf("site %s has no hosts", s.Code)
				}
				if !slices.Equal(s.Langs, []string{"vi", "en"}) {
					t.Errorf("site %s langs = %q", s.Code, s.Langs)
				}
			}
		})
		t.Run("Redirects", func(t *testing.T) {
			if err := db.AddRedirect(ctx, bd.ID, "/gioi-thieu-cu", bd.ID, "/gioi-thieu"); err != nil {
				t.Fatal(err)
			}
			if err := db.MoveSiteContent(ctx, bd.ID, hn.ID); err != nil {
				t.Fatal(err)
			}
			to, path, err := db.Redirect(ctx, bd.ID, "/gioi-thieu-cu")
			if err != nil || to != hn.ID || path != "/gioi-thieu" {
				t.Errorf("Redirect = %d %q %v; want it to follow the move", to, path, err)
			}
			if _, _, err := db.Redirect(ctx, bd.ID, "/khong-co"); !fault.Is(err, fault.NotFound) {
				t.Errorf("missing redirect: %v", err)
			}
		})
	})
}

func TestTransactions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		city := mustUnit(t, db, "01", "Thành phố Hà Nội", site.City, 0)
		committed := false
		err := db.InTx(ctx, func(ctx context.Context) error {
			db.AfterCommit(ctx, "", func() { committed = true })
			if err := db.CreateUnit(ctx, &site.Unit{Code: "a", Name: "A", Kind: site.Other, ParentID: city.ID, Status: site.Active}); err != nil {
				return err
			}
			return fault.New(fault.Invalid, "test.rollback")
		})
		if !fault.Is(err, fault.Invalid) {
			t.Fatalf("err = %v", err)
		}
		if committed {
			t.Errorf("AfterCommit ran for a rolled-back transaction")
		}
		if _, err := db.UnitByCode(ctx, "a"); !fault.Is(err, fault.NotFound) {
			t.Errorf("rolled-back unit exists: %v", err)
		}
		calls := 0
		err = db.InTx(ctx, func(ctx context.Context) error {
			db.AfterCommit(ctx, "", func() { committed = true })
			for range 3 {
				db.AfterCommit(ctx, "reload", func() { calls++ })
			}
			return db.CreateUnit(ctx, &site.Unit{Code: "b", Name: "B", Kind: site.Other, ParentID: city.ID, Status: site.Active})
		})
		if err != nil || !committed || calls != 1 {
			t.Errorf("commit: err %v, AfterCommit ran %v, keyed callback ran %d times", err, committed, calls)
		}
	})
}

func TestStaffStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		city := mustUnit(t, db, "01", "Thành phố Hà Nội", site.City, 0)
		hn := mustSite(t, db, "hanoi", city.ID, "hanoi.localhost")
		now := time.Now().UTC()
		u := &staff.User{Email: "a@hanoi.gov.vn", Name: "Nguyễn Văn A", PasswordHash: "x", Created: now, Updated: now, PasswordChangedAt: now}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateUser(ctx, &staff.User{Email: "a@hanoi.gov.vn", Name: "B", PasswordHash: "x"}); !fault.Is(err, fault.Invalid) {
			t.Errorf("duplicate e-mail: %v", err)
		}
		t.Run("Grants", func(t *testing.T) {
			if err := db.AddGrant(ctx, staff.Grant{UserID: u.ID, SiteID: hn.ID, Role: "editor"}); err != nil {
				t.Fatal(err)
			}
			if err := db.AddGrant(ctx, staff.Grant{UserID: u.ID, Role: "supervisor"}); err != nil {
				t.Fatal(err)
			}
			if err := db.AddGrant(ctx, staff.Grant{UserID: u.ID, Role: "supervisor"}); !fault.Is(err, fault.Conflict) {
				t.Errorf("duplicate city grant: %v", err)
			}
			gs, _ := db.Grants(ctx, u.ID)
			if len(gs) != 2 || gs[0].SiteID != 0 || gs[1].SiteID != hn.ID {
				t.Errorf("grants = %+v", gs)
			}
			users, _ := db.Users(ctx, hn.ID)
			if len(users) != 1 {
				t.Errorf("users of site = %d", len(users))
			}
			if err := db.RemoveGrant(ctx, staff.Grant{UserID: u.ID, Role: "supervisor"}); err != nil {
				t.Error(err)
			}
			if err := db.RemoveGrant(ctx, staff.Grant{UserID: u.ID, Role: "supervisor"}); !fault.Is(err, fault.NotFound) {
				t.Errorf("removing a missing grant: %v", err)
			}
		})
		t.Run("LoginCounters", func(t *testing.T) {
			for i := 1; i <= 3; i++ {
				n, err := db.RecordLoginFailure(ctx, u.ID)
				if err != nil || n != i {
					t.Fatalf("failure %d: n=%d err=%v", i, n, err)
				}
			}
			until := now.Add(15 * time.Minute)
			if err := db.LockUser(ctx, u.ID, until); err != nil {
				t.Fatal(err)
			}
			got, _ := db.User(ctx, u.ID)
			if got.FailedLogins != 0 || !got.LockedUntil.Equal(until.Truncate(time.Microsecond)) {
				t.Errorf("after lock: failures %d, locked until %v (want %v)", got.FailedLogins, got.LockedUntil, until)
			}
		})
		t.Run("TOTPStep", func(t *testing.T) {
			ok, _ := db.AdvanceTOTPStep(ctx, u.ID, 100)
			again, _ := db.AdvanceTOTPStep(ctx, u.ID, 100)
			older, _ := db.AdvanceTOTPStep(ctx, u.ID, 99)
			if !ok || again || older {
				t.Errorf("AdvanceTOTPStep: first %v, replay %v, older %v", ok, again, older)
			}
		})
		t.Run("RecoveryCodes", func(t *testing.T) {
			if err := db.ReplaceRecoveryCodes(ctx, u.ID, []string{"h1", "h2"}); err != nil {
				t.Fatal(err)
			}
			used, _ := db.UseRecoveryCode(ctx, u.ID, "h1", now)
			twice, _ := db.UseRecoveryCode(ctx, u.ID, "h1", now)
			n, _ := db.UnusedRecoveryCodes(ctx, u.ID)
			if !used || twice || n != 1 {
				t.Errorf("recovery codes: used %v, twice %v, left %d", used, twice, n)
			}
		})
		t.Run("Sessions", func(t *testing.T) {
			s := &staff.Session{IDHash: "abc", UserID: u.ID, Stage: staff.StageFull, CSRF: "c", Created: now, LastSeen: now, Expires: now.Add(time.Hour)}
			if err := db.CreateSession(ctx, s); err != nil {
				t.Fatal(err)
			}
			got, err := db.Session(ctx, "abc")
			if err != nil || got.UserID != u.ID || got.Stage != staff.StageFull || !got.Expires.Equal(s.Expires) {
				t.Errorf("session = %+v, %v", got, err)
			}
			n, err := db.DeleteExpiredSessions(ctx, now.Add(-time.Minute), now)
			if err != nil || n != 0 {
				t.Errorf("DeleteExpiredSessions removed %d live sessions: %v", n, err)
			}
			if err := db.DeleteUserSessions(ctx, u.ID, ""); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Session(ctx, "abc"); !fault.Is(err, fault.NotFound) {
				t.Errorf("deleted session: %v", err)
			}
		})
		t.Run("Tokens", func(t *testing.T) {
			tok := &staff.Token{UserID: u.ID, Name: "CI", Hash: "th", Prefix: "cong_ab", Created: now}
			if err := db.CreateToken(ctx, tok); err != nil {
				t.Fatal(err)
			}
			if err := db.RevokeToken(ctx, tok.ID, now); err != nil {
				t.Fatal(err)
			}
			got, err := db.TokenByHash(ctx, "th")
			if err != nil || got.Revoked.IsZero() {
				t.Errorf("revoked token = %+v, %v", got, err)
			}
			if err := db.RevokeToken(ctx, tok.ID, now); !fault.Is(err, fault.NotFound) {
				t.Errorf("revoking twice: %v", err)
			}
		})
		t.Run("Settings", func(t *testing.T) {
			if _, err := db.Setting(ctx, "k"); !fault.Is(err, fault.NotFound) {
				t.Errorf("missing setting: %v", err)
			}
			db.SetSetting(ctx, "k", "1")
			db.SetSetting(ctx, "k", "2")
			if v, _ := db.Setting(ctx, "k"); v != "2" {
				t.Errorf("setting = %q", v)
			}
		})
	})
}

func TestAuditLogStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		log := auditlog.New(db)
		for i := range 5 {
			if err := log.Record(ctx, "test.action", int64(i%2), "target", map[string]int{"i": i}); err != nil {
				t.Fatal(err)
			}
		}
		res, err := log.Verify(ctx)
		if err != nil || res.Break != nil || res.Entries != 5 {
			t.Fatalf("Verify = %+v, %v", res, err)
		}
		t.Run("AppendOnly", func(t *testing.T) {
			if _, err := db.ExecForTest(ctx, `UPDATE audit_log SET target = 'x' WHERE seq = 2`); err == nil {
				t.Errorf("UPDATE of the audit log succeeded")
			}
			if _, err := db.ExecForTest(ctx, `DELETE FROM audit_log WHERE seq = 2`); err == nil {
				t.Errorf("DELETE from the audit log succeeded")
			}
		})
		t.Run("Filter", func(t *testing.T) {
			es, total, err := log.Entries(ctx, auditlog.Filter{SiteID: 1})
			if err != nil || total != 2 || len(es) != 2 || es[0].Seq != 4 {
				t.Errorf("site 1 entries: total %d, %d rows, %v", total, len(es), err)
			}
			_, total, _ = log.Entries(ctx, auditlog.Filter{AllSites: true})
			if total != 5 {
				t.Errorf("all entries: %d", total)
			}
		})
	})
}

func TestVisits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		city := mustUnit(t, db, "01", "Thành phố Hà Nội", site.City, 0)
		hn := mustSite(t, db, "hanoi", city.ID, "hanoi.localhost")
		db.AddVisits(ctx, "2026-11-27", map[int64]int64{hn.ID: 3})
		db.AddVisits(ctx, "2026-11-27", map[int64]int64{hn.ID: 4})
		db.AddVisits(ctx, "2026-11-28", map[int64]int64{hn.ID: 1})
		got, err := db.VisitTotals(ctx)
		if err != nil || got[hn.ID] != 8 {
			t.Errorf("totals = %v, %v", got, err)
		}
	})
}
