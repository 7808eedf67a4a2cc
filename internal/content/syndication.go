package content

import (
	"context"
	"slices"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/vietnamese"
)

// ancestorSites returns the active sites of the units above the unit of
// site st (its portal and its special sections).
func ancestorSites(d *site.Directory, st *site.Site) []*site.Site {
	var out []*site.Site
	for _, u := range d.Ancestors(st.UnitID) {
		out = append(out, d.SitesOf(u.ID)...)
	}
	return out
}

// descendantPortals returns the active portals of every unit below the unit
// of site st.
func descendantPortals(d *site.Directory, st *site.Site) []*site.Site {
	below := map[int64]bool{st.UnitID: true}
	for changed := true; changed; {
		changed = false
		for _, u := range d.Units {
			if !below[u.ID] && below[u.ParentID] && u.Status == site.Active {
				below[u.ID], changed = true, true
			}
		}
	}
	var out []*site.Site
	for _, x := range d.Sites {
		if x.Status == site.Active && x.Kind == site.Portal && below[x.UnitID] && x.UnitID != st.UnitID {
			out = append(out, x)
		}
	}
	return out
}

// ProposalTargets lists the sites an item of site siteID may be proposed to:
// the sites of every unit above.
func (s *Service) ProposalTargets(ctx context.Context, siteID int64) ([]*site.Site, error) {
	d, err := s.sites.Directory(ctx)
	if err != nil {
		return nil, err
	}
	st, ok := d.ByID(siteID)
	if !ok {
		return nil, fault.New(fault.NotFound, "site.not_found")
	}
	return ancestorSites(d, st), nil
}

// Propose offers a published item to an ancestor's site; that site's
// editors-in-chief are notified and accept or decline it.
func (s *Service) Propose(ctx context.Context, articleID, toSiteID int64, note string) (*Syndication, error) {
	var out *Syndication
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		a, err := s.store.Article(ctx, articleID)
		if err != nil {
			return err
		}
		if err := access.Check(ctx, access.EditContent, a.SiteID); err != nil {
			return err
		}
		if a.Status != Published || a.Kind == KindPage || a.OriginalID != 0 {
			return fault.New(fault.Conflict, "syndication.not_published")
		}
		targets, err := s.ProposalTargets(ctx, a.SiteID)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(targets, func(x *site.Site) bool { return x.ID == toSiteID }) {
			return fault.OnField("to", "syndication.not_ancestor")
		}
		existing, err := s.store.Syndications(ctx, SyndicationFilter{ArticleID: a.ID})
		if err != nil {
			return err
		}
		for _, x := range existing {
			if x.ToSiteID == toSiteID && x.Status != SynDeclined {
				return fault.New(fault.Conflict, "syndication.already")
			}
		}
		x := &Syndication{ArticleID: a.ID, FromSiteID: a.SiteID, ToSiteID: toSiteID, Kind: SynProposal, Status: SynProposed,
			Note: vietnamese.Clean(note), ProposedBy: actor(ctx).Name, Created: s.now()}
		if len([]rune(x.Note)) > MaxReason {
			return fault.OnField("note", "article.reason_too_long", MaxReason)
		}
		if err := s.store.CreateSyndication(ctx, x); err != nil {
			return err
		}
		out = x
		d, err := s.sites.Directory(ctx)
		if err != nil {
			return err
		}
		from, _ := d.ByID(a.SiteID)
		rs, err := s.store.Recipients(ctx, toSiteID, []access.Role{access.EditorInChief, access.Editor})
		if err != nil {
			return err
		}
		proxy := *a
		proxy.SiteID = toSiteID
		if err := s.notify(ctx, rs, &proxy, "notify.proposed", a.Title, from.Name); err != nil {
			return err
		}
		return s.log.Record(ctx, "syndication.propose", a.SiteID, target(a), map[string]any{"to": toSiteID})
	})
	return out, err
}

// Decide accepts or declines a proposal on the target site. An accepted
// item shows there, in the chosen category, with its origin named and the
// original as the canonical URL.
func (s *Service) Decide(ctx context.Context, id int64, accept bool, categoryID int64, reason string) (*Syndication, error) {
	var out *Syndication
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		x, err := s.store.Syndication(ctx, id)
		if err != nil {
			return err
		}
		if err := access.Check(ctx, access.ApproveContent, x.ToSiteID); err != nil {
			return err
		}
		if x.Status != SynProposed {
			return fault.New(fault.Conflict, "syndication.decided")
		}
		a, err := s.store.Article(ctx, x.ArticleID)
		if err != nil {
			return err
		}
		x.DecidedBy, x.Decided = actor(ctx).Name, s.now()
		result := "declined"
		if accept {
			if a.Status != Published {
				return fault.New(fault.Conflict, "syndication.not_published")
			}
			if categoryID != 0 {
				c, err := s.store.Category(ctx, categoryID)
				if err != nil || c.SiteID != x.ToSiteID {
					return fault.OnField("category", "article.category_unknown")
				}
			}
			if err := s.store.LockSlugs(ctx, x.ToSiteID); err != nil {
				return err
			}
			slug, err := s.uniqueSlug(ctx, x.ToSiteID, "vi", a.Slug, 0)
			if err != nil {
				return err
			}
			x.Status, x.CategoryID, x.Slug, result = SynAccepted, categoryID, slug, "accepted"
		} else {
			r, err := cleanReason(reason)
			if err != nil {
				return err
			}
			x.Status, x.Reason = SynDeclined, r
		}
		if err := s.store.UpdateSyndication(ctx, x); err != nil {
			return err
		}
		out = x
		if accept {
			if err := s.changed(ctx, a); err != nil {
				return err
			}
		}
		rs, err := s.store.Recipients(ctx, a.SiteID, []access.Role{access.EditorInChief, access.Editor})
		if err != nil {
			return err
		}
		word := map[string]string{"accepted": "đã nhận đăng", "declined": "không nhận đăng: " + x.Reason}[result]
		if err := s.notify(ctx, rs, a, "notify.proposal_decided", a.Title, word); err != nil {
			return err
		}
		return s.log.Record(ctx, "syndication."+result, x.ToSiteID, target(a), map[string]any{"from": x.FromSiteID, "reason": x.Reason})
	})
	return out, err
}

// Push sends a published item of the city (or any unit) to the portals of
// units below: all of them when to is empty. It shows there at once, as a
// notice from above, with the original as the canonical URL.
func (s *Service) Push(ctx context.Context, articleID int64, to []int64) (int, error) {
	n := 0
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		a, err := s.store.Article(ctx, articleID)
		if err != nil {
			return err
		}
		if err := access.Check(ctx, access.ApproveContent, a.SiteID); err != nil {
			return err
		}
		if a.Status != Published || a.Kind == KindPage || a.OriginalID != 0 {
			return fault.New(fault.Conflict, "syndication.not_published")
		}
		d, err := s.sites.Directory(ctx)
		if err != nil {
			return err
		}
		st, ok := d.ByID(a.SiteID)
		if !ok {
			return fault.New(fault.NotFound, "site.not_found")
		}
		below := descendantPortals(d, st)
		if len(below) == 0 {
			return fault.New(fault.Conflict, "syndication.no_descendants")
		}
		var targets []*site.Site
		for _, x := range below {
			if len(to) == 0 || slices.Contains(to, x.ID) {
				targets = append(targets, x)
			}
		}
		if len(targets) != len(to) && len(to) != 0 {
			return fault.OnField("to", "syndication.not_descendant")
		}
		existing, err := s.store.Syndications(ctx, SyndicationFilter{ArticleID: a.ID, Status: SynAccepted})
		if err != nil {
			return err
		}
		for _, t := range targets {
			if slices.ContainsFunc(existing, func(x *Syndication) bool { return x.ToSiteID == t.ID }) {
				continue
			}
			if err := s.store.LockSlugs(ctx, t.ID); err != nil {
				return err
			}
			slug, err := s.uniqueSlug(ctx, t.ID, "vi", a.Slug, 0)
			if err != nil {
				return err
			}
			x := &Syndication{ArticleID: a.ID, FromSiteID: a.SiteID, ToSiteID: t.ID, Kind: SynPush, Status: SynAccepted,
				Slug: slug, ProposedBy: actor(ctx).Name, DecidedBy: actor(ctx).Name, Created: s.now(), Decided: s.now()}
			if err := s.store.CreateSyndication(ctx, x); err != nil {
				return err
			}
			n++
		}
		if err := s.changed(ctx, a); err != nil {
			return err
		}
		return s.log.Record(ctx, "syndication.push", a.SiteID, target(a), map[string]any{"sites": n})
	})
	return n, err
}

// Proposals lists the proposals waiting on a site, with their items.
func (s *Service) Proposals(ctx context.Context, siteID int64, status string) ([]*Syndication, error) {
	if err := access.Check(ctx, access.ViewSite, siteID); err != nil {
		return nil, err
	}
	xs, err := s.store.Syndications(ctx, SyndicationFilter{ToSiteID: siteID, Kind: SynProposal, Status: status, Limit: 200})
	if err != nil {
		return nil, err
	}
	for _, x := range xs {
		if x.Article, err = s.store.Article(ctx, x.ArticleID); err != nil {
			return nil, err
		}
	}
	return xs, nil
}

// SyndicationsOf lists where an item is proposed or shown.
func (s *Service) SyndicationsOf(ctx context.Context, articleID int64) ([]*Syndication, error) {
	a, err := s.store.Article(ctx, articleID)
	if err != nil {
		return nil, err
	}
	if err := access.Check(ctx, access.ViewSite, a.SiteID); err != nil {
		return nil, err
	}
	return s.store.Syndications(ctx, SyndicationFilter{ArticleID: articleID})
}

// PushTargets lists the portals of the units below a site's unit.
func (s *Service) PushTargets(ctx context.Context, siteID int64) []*site.Site {
	d, err := s.sites.Directory(ctx)
	if err != nil {
		return nil
	}
	st, ok := d.ByID(siteID)
	if !ok {
		return nil
	}
	return descendantPortals(d, st)
}
