// Package access decides who may do what, on which site. Every service calls
// Check before it reads protected data or changes anything; the web layer
// calls the same function to hide links and refuse routes early.
package access

import (
	"context"
	"slices"

	"github.com/congvn/cong/internal/fault"
)

// Role is a named set of permissions held by a staff member, either on one
// site or city-wide.
type Role string

// Roles held on one site.
const (
	SiteAdmin       Role = "site_admin"
	EditorInChief   Role = "editor_in_chief"
	Editor          Role = "editor"
	Collaborator    Role = "collaborator"
	FeedbackOfficer Role = "feedback_officer"
	DataPublisher   Role = "data_publisher"
)

// Roles held city-wide.
const (
	SystemAdmin Role = "system_admin"
	Supervisor  Role = "supervisor"
)

// SiteRoles lists the roles that are granted on one site, in the order the
// staff interface shows them.
var SiteRoles = []Role{SiteAdmin, EditorInChief, Editor, Collaborator, FeedbackOfficer, DataPublisher}

// CityRoles lists the roles that are granted city-wide.
var CityRoles = []Role{SystemAdmin, Supervisor}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(SiteRoles, r) || slices.Contains(CityRoles, r) }

// CityWide reports whether r is held city-wide rather than on one site.
func (r Role) CityWide() bool { return slices.Contains(CityRoles, r) }

// Permission names one thing a staff member may do.
type Permission struct {
	Name string
	// Read marks permissions that change nothing; supervisors hold every one.
	Read bool
	// City marks permissions that only make sense city-wide (creating units,
	// merging them); site roles never grant them.
	City bool
}

// The permissions. Later capabilities add theirs here, next to the roles that
// hold them, so the whole policy reads in one file.
var (
	ViewSite       = Permission{Name: "site.view", Read: true}
	EditSite       = Permission{Name: "site.edit"}
	ManageHosts    = Permission{Name: "site.hosts", City: true}
	ManageStaff    = Permission{Name: "site.staff"}
	ViewStaff      = Permission{Name: "staff.view", Read: true}
	ReadAuditLog   = Permission{Name: "audit.read", Read: true}
	ManageUnits    = Permission{Name: "unit.manage", City: true}
	ManageUsers    = Permission{Name: "user.manage", City: true}
	DraftContent   = Permission{Name: "content.draft"}
	EditContent    = Permission{Name: "content.edit"}
	ApproveContent = Permission{Name: "content.approve"}
	HandleFeedback = Permission{Name: "feedback.handle"}
	// ViewFeedback reads a site's feedback queue and items (contacts
	// included); ApproveFeedback publishes answers (internal/feedback says
	// who does what).
	ViewFeedback    = Permission{Name: "feedback.view", Read: true}
	ApproveFeedback = Permission{Name: "feedback.approve"}
	PublishData     = Permission{Name: "data.publish"}

	// Mandatory disclosure: documents, procedures, drafts for comment,
	// listings and contact points; the managed lists of documents; the
	// compliance audit.
	EditDisclosure    = Permission{Name: "disclosure.edit"}
	PublishDisclosure = Permission{Name: "disclosure.publish"}
	ModerateComments  = Permission{Name: "disclosure.moderate"}
	ManageDocTerms    = Permission{Name: "disclosure.terms", City: true}
	ViewCompliance    = Permission{Name: "compliance.view", Read: true, City: true}
	RunCompliance     = Permission{Name: "compliance.run", City: true}

	// ManageOpen311Keys lists, creates and revokes the Open311 application
	// keys (api_key): a city-wide setting, held by system administrators
	// only.
	ManageOpen311Keys = Permission{Name: "open311.keys", City: true}
)

// grants says which site permissions each site role holds.
var grants = map[Role][]Permission{
	SiteAdmin:       {ViewSite, EditSite, ManageStaff, ViewStaff, ReadAuditLog},
	EditorInChief:   {ViewSite, DraftContent, EditContent, ApproveContent, ViewFeedback, ApproveFeedback, EditDisclosure, PublishDisclosure, ModerateComments},
	Editor:          {ViewSite, DraftContent, EditContent, EditDisclosure, ModerateComments},
	Collaborator:    {ViewSite, DraftContent},
	FeedbackOfficer: {ViewSite, HandleFeedback, ViewFeedback},
	DataPublisher:   {ViewSite, PublishData},
}

// Actor is whoever asks a service to do something: a signed-in staff member,
// an API token's owner, or the command line.
type Actor struct {
	UserID int64
	Name   string // for the audit log: e-mail, "cli", "system"
	City   []Role
	Sites  map[int64][]Role
	Addr   string // client address as seen through trusted proxies
	Via    string // session, token, cli, system
}

// System returns an actor that holds every permission, for commands run by
// the operator on the server and for scheduled jobs.
func System(name, via string) *Actor {
	return &Actor{Name: name, City: []Role{SystemAdmin}, Via: via}
}

// Can reports whether a holds p on the site with id siteID (0 for city-wide
// permissions).
func (a *Actor) Can(p Permission, siteID int64) bool {
	if a == nil {
		return false
	}
	if slices.Contains(a.City, SystemAdmin) {
		return true
	}
	if p.Read && slices.Contains(a.City, Supervisor) {
		return true
	}
	if p.City || siteID == 0 {
		return false
	}
	for _, r := range a.Sites[siteID] {
		if slices.Contains(grants[r], p) {
			return true
		}
	}
	return false
}

// IsStaff reports whether a is a signed-in staff member or the operator.
func (a *Actor) IsStaff() bool {
	return a != nil && (a.UserID != 0 || a.Via == "cli" || a.Via == "system")
}

// SitesWith returns the ids of the sites on which a holds p through a site
// role (city-wide roles are not listed; check them with Can(p, 0)).
func (a *Actor) SitesWith(p Permission) []int64 {
	if a == nil {
		return nil
	}
	var ids []int64
	for id, roles := range a.Sites {
		for _, r := range roles {
			if slices.Contains(grants[r], p) {
				ids = append(ids, id)
				break
			}
		}
	}
	slices.Sort(ids)
	return ids
}

type actorKey struct{}

// With returns ctx carrying a.
func With(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// From returns the actor in ctx, or nil.
func From(ctx context.Context) *Actor {
	a, _ := ctx.Value(actorKey{}).(*Actor)
	return a
}

// Check returns nil when the actor in ctx holds p on siteID, an Unauthorized
// fault when nobody is signed in, and a Forbidden fault otherwise. It is the
// one permission check every service uses.
func Check(ctx context.Context, p Permission, siteID int64) error {
	a := From(ctx)
	if a == nil {
		return fault.New(fault.Unauthorized, "access.sign_in")
	}
	if !a.Can(p, siteID) {
		return fault.New(fault.Forbidden, "access.forbidden")
	}
	return nil
}
