package listing_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/attach"
	"github.com/congvn/cong/internal/auditlog"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/listing"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/store/storetest"
)

func TestKindsHaveTheirOwnPages(t *testing.T) {
	paths := map[string]bool{}
	for _, k := range listing.Kinds {
		if paths[k.Path] || !strings.HasPrefix(k.Path, "/") || listing.KindByID(k.ID) == nil {
			t.Errorf("kind %s: path %q repeated or malformed", k.ID, k.Path)
		}
		paths[k.Path] = true
	}
	if listing.KindByID("procurement-x") != nil {
		t.Error("an unknown kind was found")
	}
	if inv := listing.KindByID("investment"); !inv.Has("amount") || inv.Has("period") {
		t.Errorf("investment fields: %v", inv.Fields)
	}
}

func TestListingsValidationPublicationAndFiles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		log := auditlog.New(db)
		sites := site.NewService(db, log)
		sys := access.With(context.Background(), access.System("test", "cli"))
		var ids []int64
		for _, code := range []string{"so-tai-chinh", "so-y-te"} {
			u := &site.Unit{Code: "01." + code, Name: "Sở " + code, Kind: site.Agency}
			if err := sites.CreateUnit(sys, u); err != nil {
				t.Fatal(err)
			}
			st := &site.Site{Code: code, UnitID: u.ID, Kind: site.Portal, Name: "Sở " + code, Langs: []string{"vi"}}
			if err := sites.CreateSite(sys, st); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, st.ID)
		}
		own, other := ids[0], ids[1]
		as := func(role access.Role, siteID int64) context.Context {
			return access.With(context.Background(), &access.Actor{UserID: 7, Name: string(role), Sites: map[int64][]access.Role{siteID: {role}}, Via: "session"})
		}
		svc := listing.NewService(db, log, attach.New(db, t.TempDir()))

		// Every bad field is named at once.
		bad := &listing.Item{SiteID: own, Kind: "procurement-x", Title: " ", IssuedOn: "31/12/2025", Amount: -1, Number: strings.Repeat("1", 61)}
		err := svc.Create(sys, bad)
		fields := map[string]bool{}
		var errs fault.List
		if errors.As(err, &errs) {
			for _, e := range errs {
				fields[e.Field] = true
			}
		}
		for _, f := range []string{"kind", "title", "issued_on", "amount", "number"} {
			if !fields[f] {
				t.Errorf("no error on %s: %v", f, err)
			}
		}

		// An editor drafts (never publishes); the editor-in-chief publishes; a
		// collaborator does neither.
		it := &listing.Item{SiteID: own, Kind: "investment", Title: "Dự án cải tạo Bệnh viện Đa khoa Đống Đa", Number: "1234/QĐ-UBND",
			IssuedOn: "2025-06-30", Owner: "Ban Quản lý dự án", Location: "Phường Đống Đa", Amount: 125_000_000_000, Stage: "Đang thi công", Published: true}
		if err := svc.Create(as(access.Collaborator, own), it); fault.KindOf(err) != fault.Forbidden {
			t.Errorf("a collaborator created an item: %v", err)
		}
		if err := svc.Create(as(access.Editor, own), it); err != nil {
			t.Fatal(err)
		}
		if it.Published {
			t.Error("an editor published")
		}
		if _, err := svc.Get(context.Background(), it.ID); fault.KindOf(err) != fault.NotFound {
			t.Errorf("a reader sees a draft: %v", err)
		}
		if err := svc.Create(as(access.EditorInChief, other), &listing.Item{SiteID: own, Kind: "plan", Title: "Kế hoạch", IssuedOn: "2025-01-02"}); fault.KindOf(err) != fault.Forbidden {
			t.Errorf("another site's editor created an item: %v", err)
		}
		if err := svc.SetPublished(as(access.Editor, own), it.ID, true); fault.KindOf(err) != fault.Forbidden {
			t.Errorf("an editor published: %v", err)
		}
		if err := svc.SetPublished(as(access.EditorInChief, own), it.ID, true); err != nil {
			t.Fatal(err)
		}
		if err := svc.Attach(as(access.Editor, own), it.ID, "quyet-dinh.pdf", strings.NewReader("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")); err != nil {
			t.Fatal(err)
		}
		if err := svc.Attach(as(access.Editor, own), it.ID, "hoa-don.pdf", strings.NewReader("<html><script>alert(1)</script></html>")); err == nil {
			t.Error("an HTML page named .pdf was attached")
		}
		got, err := svc.Get(context.Background(), it.ID)
		if err != nil || !got.Published || got.Amount != 125_000_000_000 || len(got.Files) != 1 || got.Files[0].Name != "quyet-dinh.pdf" {
			t.Fatalf("published item: %+v %v", got, err)
		}
		list, total, err := svc.List(context.Background(), own, "investment", true, 10, 0)
		if err != nil || total != 1 || len(list) != 1 || list[0].ID != it.ID {
			t.Errorf("public list: %d %v", total, err)
		}
		if list, _, _ := svc.List(context.Background(), own, "plan", true, 10, 0); len(list) != 0 {
			t.Errorf("another kind's list has %d items", len(list))
		}
		if list, _, _ := svc.List(context.Background(), other, "", true, 10, 0); len(list) != 0 {
			t.Errorf("another site's list has %d items", len(list))
		}
	})
}
