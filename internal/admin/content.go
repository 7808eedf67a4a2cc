package admin

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/content"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/jobs"
	"github.com/congvn/cong/internal/media"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/web"
)

// Publishing is the staff interface of publishing: content lists and
// queues, the editor, revisions, proposals, categories, the media library,
// the work schedule and links, notifications and the dashboard's
// publishing block.
type Publishing struct {
	*Handler
	content *content.Service
	media   *media.Service
	jobs    *jobs.Queue
}

// NewPublishing returns the publishing screens and adds the dashboard
// block and the unread-notification count to the staff layout.
func NewPublishing(s *web.Server, c *content.Service, m *media.Service, q *jobs.Queue) *Publishing {
	p := &Publishing{Handler: New(s), content: c, media: m, jobs: q}
	s.Dashboard = p.dashboardBlock
	s.Unread = func(q *web.Req) int {
		_, n, err := c.Notifications(access.With(context.Background(), q.Actor), 1)
		if err != nil {
			return 0
		}
		return n
	}
	return p
}

// Routes lists the publishing screens with their access rules; the
// services check each item's own rules again (its site, its author, its
// state).
func (p *Publishing) Routes() []web.Route {
	site := func(method, pattern string, perm access.Permission, f http.HandlerFunc) web.Route {
		return web.Route{Method: method, Pattern: "/quan-tri/trang/{site}" + pattern, Auth: web.AuthSession, Scope: web.ScopeSite, Perm: perm, Handler: f}
	}
	self := func(method, pattern string, f http.HandlerFunc) web.Route {
		return web.Route{Method: method, Pattern: pattern, Auth: web.AuthSession, Scope: web.ScopeSelf, Handler: f}
	}
	return []web.Route{
		self("GET", "/quan-tri/noi-dung", p.chooseSite),
		self("GET", "/quan-tri/thong-bao", p.notifications),
		self("POST", "/quan-tri/thong-bao/da-doc", p.markRead),
		site("GET", "/noi-dung", access.ViewSite, p.list),
		site("POST", "/noi-dung/hang-loat", access.DraftContent, p.bulk),
		site("GET", "/noi-dung/moi", access.DraftContent, p.newForm),
		site("POST", "/noi-dung/moi", access.DraftContent, p.create),
		site("GET", "/noi-dung/{id}", access.ViewSite, p.editForm),
		site("POST", "/noi-dung/{id}", access.DraftContent, p.save),
		site("POST", "/noi-dung/{id}/chuyen", access.DraftContent, p.transition),
		site("GET", "/noi-dung/{id}/lich-su", access.ViewSite, p.history),
		site("POST", "/noi-dung/{id}/khoi-phuc", access.DraftContent, p.restore),
		site("POST", "/noi-dung/{id}/de-xuat", access.EditContent, p.propose),
		site("POST", "/noi-dung/{id}/gui-xuong", access.ApproveContent, p.push),
		site("GET", "/de-xuat", access.ViewSite, p.proposals),
		site("POST", "/de-xuat/{id}", access.ApproveContent, p.decide),
		site("POST", "/lich-dang/{id}/da-xem", access.ApproveContent, p.acknowledge),
		site("GET", "/chuyen-muc", access.ViewSite, p.categories),
		site("POST", "/chuyen-muc", access.EditContent, p.saveCategory),
		{Method: "POST", Pattern: "/quan-tri/trang/{site}/thu-vien", Auth: web.AuthSession, Scope: web.ScopeSite, Perm: access.DraftContent,
			MaxBody: media.MaxFileBytes + 1<<20, Handler: p.upload},
		site("GET", "/thu-vien", access.ViewSite, p.library),
		site("POST", "/thu-vien/{id}", access.EditContent, p.describe),
		site("GET", "/lich-cong-tac", access.ViewSite, p.schedule),
		site("POST", "/lich-cong-tac", access.EditContent, p.saveAppointment),
		site("GET", "/to-chuc", access.ViewSite, p.organisation),
		site("POST", "/to-chuc/lanh-dao", access.EditContent, p.saveLeader),
		site("POST", "/to-chuc/don-vi", access.EditContent, p.saveOrgUnit),
		site("GET", "/lien-ket", access.ViewSite, p.linksPage),
		site("POST", "/lien-ket", access.EditContent, p.saveLink),
	}
}

// siteOf returns the site named in the path (the route checked it exists).
func siteOf(r *http.Request) *site.Site {
	st, _ := web.FromRequest(r).Dir.ByCode(r.PathValue("site"))
	return st
}

func base(st *site.Site) string { return "/quan-tri/trang/" + st.Code }

func formID(r *http.Request, name string) int64 {
	id, _ := strconv.ParseInt(r.PathValue(name), 10, 64)
	return id
}

// chooseSite lists the sites whose content the user looks after.
func (p *Publishing) chooseSite(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	var sites []*site.Site
	for _, st := range q.Dir.Sites {
		if st.Status == site.Active && q.Actor.Can(access.DraftContent, st.ID) {
			sites = append(sites, st)
		}
	}
	if len(sites) == 1 {
		http.Redirect(w, r, base(sites[0])+"/noi-dung", http.StatusSeeOther)
		return
	}
	p.render(w, r, http.StatusOK, "content_sites", p.view(r, q.T("content.title"), sites))
}

// listPage is the content list of a site.
type listPage struct {
	Site       *site.Site
	Items      []*content.Article
	Total      int
	Filter     content.Filter
	Mine       bool
	Counts     map[content.Status]int
	Statuses   []content.Status
	Kinds      []content.Kind
	Categories []*content.Category
	Pages      []int
	CanDraft   bool
	CanApprove bool
	Query      string // the filter as a query string, for the pages' links
}

func (p *Publishing) list(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	st := siteOf(r)
	v := r.URL.Query()
	f := content.Filter{SiteID: st.ID, Status: content.Status(v.Get("trang-thai")), Kind: content.Kind(v.Get("loai")),
		Lang: v.Get("ngon-ngu"), Query: v.Get("q"), PerPage: 30}
	f.Page, _ = strconv.Atoi(v.Get("trang"))
	f.CategoryID, _ = strconv.ParseInt(v.Get("chuyen-muc"), 10, 64)
	lp := listPage{Site: st, Filter: f, Mine: v.Get("cua-toi") != "", Statuses: content.Statuses, Kinds: content.Kinds,
		CanDraft: q.Actor.Can(access.DraftContent, st.ID), CanApprove: q.Actor.Can(access.ApproveContent, st.ID)}
	if lp.Mine {
		f.AuthorID = q.Actor.UserID
	}
	var err error
	if lp.Items, lp.Total, err = p.content.Find(r.Context(), f); err != nil {
		p.Error(w, r, err)
		return
	}
	if lp.Counts, err = p.content.Counts(r.Context(), st.ID, lp.Mine); err != nil {
		p.Error(w, r, err)
		return
	}
	lp.Categories, _ = p.content.Categories(r.Context(), st.ID)
	for i := 1; i <= (lp.Total+29)/30 && i <= 200; i++ {
		lp.Pages = append(lp.Pages, i)
	}
	v.Del("trang")
	lp.Query = v.Encode()
	lp.Filter.Page = max(f.Page, 1)
	view := p.view(r, q.T("content.list_title", st.Name), lp)
	if msg := v.Get("xong"); msg != "" {
		view.Flash = q.T("content.bulk_done", msg)
	}
	p.render(w, r, http.StatusOK, "content_list", view)
}

// bulk applies one action to the ticked items; each is checked on its own
// and the result says how many went through.
func (p *Publishing) bulk(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	st := siteOf(r)
	action := r.PostFormValue("thao-tac")
	reason := r.PostFormValue("ly-do")
	done, failed := 0, 0
	var firstErr error
	for _, s := range r.PostForm["chon"] {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			continue
		}
		a, err := p.content.Article(r.Context(), id)
		if err == nil && a.SiteID != st.ID {
			err = fault.New(fault.NotFound, "article.not_found")
		}
		if err == nil {
			switch action {
			case "submit":
				_, err = p.content.Submit(r.Context(), id, 0)
			case "approve":
				_, err = p.content.Approve(r.Context(), id, 0, time.Time{})
			case "unpublish":
				_, err = p.content.Unpublish(r.Context(), id, 0, reason)
			case "delete":
				err = p.content.Delete(r.Context(), id)
			default:
				err = fault.OnField("thao-tac", "content.bulk_unknown")
			}
		}
		if err != nil {
			failed++
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		done++
	}
	if failed > 0 && done == 0 {
		p.Error(w, r, firstErr)
		return
	}
	msg := strconv.Itoa(done)
	if failed > 0 {
		msg += " (" + q.T("content.bulk_failed", failed, p.Message(r, firstErr)) + ")"
	}
	http.Redirect(w, r, base(st)+"/noi-dung?xong="+urlEscape(msg), http.StatusSeeOther)
}

func urlEscape(s string) string {
	return strings.NewReplacer("%", "%25", "&", "%26", "#", "%23", "+", "%2B", " ", "+", "?", "%3F").Replace(s)
}

// notifications lists the user's notifications.
func (p *Publishing) notifications(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	ns, unread, err := p.content.Notifications(r.Context(), 100)
	if err != nil {
		p.Error(w, r, err)
		return
	}
	type line struct {
		N    *content.Notification
		Text string
		Site *site.Site
	}
	var lines []line
	for _, n := range ns {
		args := make([]any, len(n.Args))
		for i, a := range n.Args {
			args[i] = a
		}
		st, _ := q.Dir.ByID(n.SiteID)
		lines = append(lines, line{N: n, Text: q.T(n.Key, args...), Site: st})
	}
	p.render(w, r, http.StatusOK, "notifications", p.view(r, q.T("notify.title"), map[string]any{"Lines": lines, "Unread": unread}))
}

func (p *Publishing) markRead(w http.ResponseWriter, r *http.Request) {
	if err := p.content.MarkNotificationsRead(r.Context()); err != nil {
		p.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/quan-tri/thong-bao", http.StatusSeeOther)
}

// dashBlock is the dashboard's publishing block: per site, the user's
// drafts, what waits for them, what was published lately, and missed
// schedules.
type dashBlock struct {
	Sites    []dashSite
	Problems []dashProblem
	Unread   int
}

type dashSite struct {
	Site      *site.Site
	Drafts    int // the user's own drafts and returned items
	Waiting   int // submitted items the user may review
	Proposals int // proposals from units below, for reviewers
	Recent    []*content.Listed
}

type dashProblem struct {
	Job     *jobs.Job
	Site    *site.Site
	Article *content.Article
	Late    string
	Can     bool
}

func (p *Publishing) dashboardBlock(r *http.Request) any {
	q := web.FromRequest(r)
	ctx := r.Context()
	var b dashBlock
	var ids []int64
	for _, st := range q.Dir.Sites {
		if st.Status != site.Active || !q.Actor.Can(access.DraftContent, st.ID) {
			continue
		}
		if len(b.Sites) >= 20 {
			break // system administrators: the first twenty; the rest from the site list
		}
		ids = append(ids, st.ID)
		ds := dashSite{Site: st}
		mine, err := p.content.Counts(ctx, st.ID, true)
		if err != nil {
			continue
		}
		ds.Drafts = mine[content.Draft] + mine[content.Rejected]
		if q.Actor.Can(access.EditContent, st.ID) {
			all, err := p.content.Counts(ctx, st.ID, false)
			if err == nil {
				ds.Waiting = all[content.Submitted]
			}
			if props, err := p.content.Proposals(ctx, st.ID, content.SynProposed); err == nil {
				ds.Proposals = len(props)
			}
		}
		ds.Recent, _, _ = p.content.List(ctx, content.ListQuery{SiteID: st.ID, PerPage: 3})
		b.Sites = append(b.Sites, ds)
	}
	if q.Actor.Can(access.ViewSite, 0) {
		ids = nil // city-wide: every site's problems
	}
	probs, _ := p.jobs.Problems(ctx, ids)
	for _, j := range probs {
		st, _ := q.Dir.ByID(j.SiteID)
		dp := dashProblem{Job: j, Site: st, Late: (time.Duration(j.LateSeconds) * time.Second).String(), Can: st != nil && q.Actor.Can(access.ApproveContent, st.ID)}
		dp.Article, _ = p.content.Article(ctx, j.Ref)
		b.Problems = append(b.Problems, dp)
	}
	_, b.Unread, _ = p.content.Notifications(ctx, 1)
	return b
}

// acknowledge marks a missed schedule as seen.
func (p *Publishing) acknowledge(w http.ResponseWriter, r *http.Request) {
	if err := p.jobs.Acknowledge(r.Context(), formID(r, "id"), access.ApproveContent); err != nil {
		p.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/quan-tri/", http.StatusSeeOther)
}
