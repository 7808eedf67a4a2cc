package staff_test

import (
	"context"
	"testing"
	"time"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/auditlog"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/staff"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/store/storetest"
)

func setup(t *testing.T, db *store.DB) (*staff.Service, context.Context, int64, int64) {
	t.Helper()
	log := auditlog.New(db)
	sites := site.NewService(db, log)
	sys := access.With(context.Background(), access.System("test", "cli"))
	city := &site.Unit{Code: "01", Name: "Thành phố Hà Nội", Kind: site.City}
	if err := sites.CreateUnit(sys, city); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, code := range []string{"phuong-a", "phuong-b"} {
		s := &site.Site{Code: code, UnitID: city.ID, Kind: site.Section, Name: code, Langs: []string{"vi"}}
		if err := sites.CreateSite(sys, s); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, s.ID)
	}
	return staff.NewService(db, log), sys, ids[0], ids[1]
}

func TestStaff_GrantPermissions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		svc, sys, a, b := setup(t, db)
		adminA := access.With(context.Background(), &access.Actor{UserID: 1, Name: "qt.a", Sites: map[int64][]access.Role{a: {access.SiteAdmin}}})
		newUser := func(email string, g staff.Grant) staff.NewUser {
			return staff.NewUser{Email: email, Name: "Nguyễn Văn A", Password: "mat-khau-du-dai", Grants: []staff.Grant{g}}
		}
		if _, err := svc.AddUser(adminA, newUser("ctv@a.vn", staff.Grant{SiteID: a, Role: access.Collaborator})); err != nil {
			t.Errorf("site admin adding a collaborator to own site: %v", err)
		}
		for name, g := range map[string]staff.Grant{
			"another site": {SiteID: b, Role: access.Collaborator},
			"a city role":  {Role: access.SystemAdmin},
		} {
			if _, err := svc.AddUser(adminA, newUser("x-"+string(g.Role)+"@a.vn", g)); !fault.Is(err, fault.Forbidden) {
				t.Errorf("site admin granting %s: %v", name, err)
			}
		}
		if _, err := svc.AddUser(sys, newUser("y@a.vn", staff.Grant{SiteID: a, Role: access.SystemAdmin})); !fault.Is(err, fault.Invalid) {
			t.Errorf("city role on a site: %v", err)
		}
		if _, err := svc.AddUser(sys, staff.NewUser{Email: "z@a.vn", Name: "Z", Password: "ngan"}); !fault.Is(err, fault.Invalid) {
			t.Errorf("short password: %v", err)
		}
		if _, err := svc.AddUser(sys, staff.NewUser{Email: "khong-phai-email", Name: "Z", Password: "mat-khau-du-dai"}); !fault.Is(err, fault.Invalid) {
			t.Errorf("bad e-mail: %v", err)
		}
		users, _, err := svc.Users(adminA, a)
		if err != nil || len(users) != 1 {
			t.Errorf("site admin listing own staff: %d, %v", len(users), err)
		}
		if _, _, err := svc.Users(adminA, b); !fault.Is(err, fault.Forbidden) {
			t.Errorf("site admin listing another site's staff: %v", err)
		}
		if _, _, err := svc.Users(access.With(context.Background(), &access.Actor{UserID: 2, City: []access.Role{access.Supervisor}}), 0); err != nil {
			t.Errorf("supervisor listing everyone: %v", err)
		}
	})
}

func TestStaff_LoginLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		svc, sys, a, _ := setup(t, db)
		now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
		svc.SetClock(func() time.Time { return now })
		u, err := svc.AddUser(sys, staff.NewUser{Email: "BienTap@Hanoi.gov.vn", Name: "Biên tập", Password: "mat-khau-du-dai", Grants: []staff.Grant{{SiteID: a, Role: access.Editor}}})
		if err != nil {
			t.Fatal(err)
		}
		if u.Email != "bientap@hanoi.gov.vn" {
			t.Errorf("e-mail not lower-cased: %q", u.Email)
		}
		token, sess, err := svc.Login(context.Background(), "bientap@hanoi.gov.vn", "mat-khau-du-dai", "10.0.0.1", "test")
		if err != nil || sess.Stage != staff.StageEnrol {
			t.Fatalf("login without TOTP: stage %v, %v", sess, err)
		}
		e, err := svc.StartEnrolment(context.Background(), sess)
		if err != nil {
			t.Fatal(err)
		}
		code, _ := staff.TOTPCode(e.Secret, now)
		token, full, codes, err := svc.ConfirmEnrolment(context.Background(), sess, code)
		if err != nil || full.Stage != staff.StageFull || len(codes) != 10 {
			t.Fatalf("confirm: %v %v %d", full, err, len(codes))
		}
		if _, _, err := svc.Authenticate(context.Background(), token); err != nil {
			t.Errorf("new session: %v", err)
		}
		// Idle for 16 minutes: the session is gone.
		now = now.Add(16 * time.Minute)
		if _, _, err := svc.Authenticate(context.Background(), token); !fault.Is(err, fault.Unauthorized) {
			t.Errorf("idle session: %v", err)
		}
		// With TOTP on, the password leads to the second factor.
		_, sess, err = svc.Login(context.Background(), "bientap@hanoi.gov.vn", "mat-khau-du-dai", "10.0.0.1", "test")
		if err != nil || sess.Stage != staff.StageSecondFactor {
			t.Fatalf("login with TOTP: %v %v", sess, err)
		}
		if _, _, err := svc.VerifySecondFactor(context.Background(), sess, codes[3]); err != nil {
			t.Errorf("recovery code: %v", err)
		}
		// Tokens stop working when revoked or when the account is disabled.
		plain, tok, err := svc.CreateToken(sys, "bientap@hanoi.gov.vn", "CI")
		if err != nil {
			t.Fatal(err)
		}
		if actor, err := svc.ActorForToken(context.Background(), plain, "10.0.0.2"); err != nil || !actor.Can(access.EditContent, a) {
			t.Errorf("token actor: %v %v", actor, err)
		}
		if err := svc.SetDisabled(sys, u.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.ActorForToken(context.Background(), plain, ""); !fault.Is(err, fault.Unauthorized) {
			t.Errorf("token of a disabled account: %v", err)
		}
		if _, _, err := svc.Login(context.Background(), "bientap@hanoi.gov.vn", "mat-khau-du-dai", "", ""); !fault.Is(err, fault.Unauthorized) {
			t.Errorf("login of a disabled account: %v", err)
		}
		svc.SetDisabled(sys, u.ID, false)
		if err := svc.RevokeToken(sys, u.ID, tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.ActorForToken(context.Background(), plain, ""); !fault.Is(err, fault.Unauthorized) {
			t.Errorf("revoked token: %v", err)
		}
	})
}
