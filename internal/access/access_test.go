package access

import (
	"context"
	"testing"

	"github.com/congvn/cong/internal/fault"
)

var all = []Permission{ViewSite, EditSite, ManageHosts, ManageStaff, ViewStaff, ReadAuditLog, ManageUnits, ManageUsers,
	DraftContent, EditContent, ApproveContent, HandleFeedback, PublishData, ManageOpen311Keys}

func TestSupervisorReadsEverythingChangesNothing(t *testing.T) {
	a := &Actor{UserID: 1, City: []Role{Supervisor}}
	for _, p := range all {
		for _, site := range []int64{0, 7} {
			if got := a.Can(p, site); got != p.Read {
				t.Errorf("supervisor Can(%s, %d) = %v, want %v", p.Name, site, got, p.Read)
			}
		}
	}
}

func TestSystemAdminCanEverything(t *testing.T) {
	a := System("cli", "cli")
	for _, p := range all {
		if !a.Can(p, 0) || !a.Can(p, 42) {
			t.Errorf("system admin cannot %s", p.Name)
		}
	}
}

func TestSiteRolesStayOnTheirSite(t *testing.T) {
	for _, r := range SiteRoles {
		a := &Actor{UserID: 1, Sites: map[int64][]Role{5: {r}}}
		if !a.Can(ViewSite, 5) {
			t.Errorf("%s cannot view its own site", r)
		}
		for _, p := range all {
			if a.Can(p, 6) {
				t.Errorf("%s on site 5 can %s on site 6", r, p.Name)
			}
			if p.City && (a.Can(p, 5) || a.Can(p, 0)) {
				t.Errorf("%s holds the city-wide %s", r, p.Name)
			}
		}
	}
	collab := &Actor{UserID: 1, Sites: map[int64][]Role{5: {Collaborator}}}
	for _, p := range []Permission{EditSite, ManageStaff, ApproveContent, EditContent, HandleFeedback, PublishData} {
		if collab.Can(p, 5) {
			t.Errorf("a collaborator can %s", p.Name)
		}
	}
	if !collab.Can(DraftContent, 5) {
		t.Errorf("a collaborator cannot draft")
	}
	chief := &Actor{UserID: 1, Sites: map[int64][]Role{5: {EditorInChief}}}
	if !chief.Can(ApproveContent, 5) || chief.Can(EditSite, 5) {
		t.Errorf("editor-in-chief permissions wrong")
	}
}

func TestCheck(t *testing.T) {
	if err := Check(context.Background(), ViewSite, 1); !fault.Is(err, fault.Unauthorized) {
		t.Errorf("no actor: %v", err)
	}
	ctx := With(context.Background(), &Actor{UserID: 1, Sites: map[int64][]Role{1: {Editor}}})
	if err := Check(ctx, EditSite, 1); !fault.Is(err, fault.Forbidden) {
		t.Errorf("editor editing site settings: %v", err)
	}
	if err := Check(ctx, EditContent, 1); err != nil {
		t.Errorf("editor editing content: %v", err)
	}
}

func TestRoles(t *testing.T) {
	if !SystemAdmin.CityWide() || Editor.CityWide() || Role("root").Valid() || !FeedbackOfficer.Valid() {
		t.Errorf("role classification wrong")
	}
}
