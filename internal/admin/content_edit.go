package admin

import (
	"net/http"
	"strconv"
	"time"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/content"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/media"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/web"
)

// editPage is the editor: the form, the item's state and what the user may
// do with it.
type editPage struct {
	Site         *site.Site
	Item         *content.Article // nil for a new item
	Form         content.Input
	Tags         string
	ExpireAt     string
	Version      int
	Categories   []*content.Category
	Images       []*media.Item
	Kinds        []content.Kind
	Translations []*content.Article
	Syndications []*content.Syndication
	Targets      []*site.Site // sites it may be proposed to
	Below        []*site.Site // portals of the units below, for pushing
	CanEdit      bool
	CanSubmit    bool
	CanApprove   bool
	CanSlug      bool
	CanTranslate bool
	Conflict     []content.FieldDiff // what the other editor changed
	ConflictBy   string
	SiteURL      string // the item on the public site
}

// localTime is how datetime-local inputs are read: Vietnam time.
var localTime = time.FixedZone("ICT", 7*3600)

func parseLocal(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, true
	}
	t, err := time.ParseInLocation("2006-01-02T15:04", s, localTime)
	return t, err == nil
}

func inputFromForm(r *http.Request) (content.Input, error) {
	f := r.PostFormValue
	in := content.Input{Kind: content.Kind(f("kind")), Title: f("title"), Summary: f("summary"), Body: f("body"),
		Author: f("author"), Source: f("source"), Tags: content.ParseTags(f("tags")), Slug: f("slug"), Template: f("template")}
	in.CategoryID, _ = strconv.ParseInt(f("category"), 10, 64)
	in.CoverID, _ = strconv.ParseInt(f("cover"), 10, 64)
	in.Position, _ = strconv.Atoi(f("position"))
	for _, s := range r.PostForm["media"] {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			in.MediaIDs = append(in.MediaIDs, id)
		}
	}
	t, ok := parseLocal(f("expire_at"))
	if !ok {
		return in, fault.OnField("expire_at", "content.time_invalid")
	}
	in.ExpireAt = t
	return in, nil
}

func (p *Publishing) editPage(r *http.Request, st *site.Site, a *content.Article) (*editPage, error) {
	q := web.FromRequest(r)
	ctx := r.Context()
	ep := &editPage{Site: st, Item: a, Kinds: content.Kinds, CanSlug: q.Actor.Can(access.EditContent, st.ID),
		CanApprove: q.Actor.Can(access.ApproveContent, st.ID)}
	var err error
	if ep.Categories, err = p.content.Categories(ctx, st.ID); err != nil {
		return nil, err
	}
	imgs, _, err := p.media.List(ctx, media.Filter{SiteID: st.ID, Kind: media.Image, PerPage: 60})
	if err != nil {
		return nil, err
	}
	ep.Images = imgs
	if a == nil {
		ep.CanEdit, ep.CanSubmit = true, true
		ep.Form = content.Input{Kind: content.KindArticle}
		return ep, nil
	}
	ep.Version = a.Version
	ep.Form = content.Input{Kind: a.Kind, CategoryID: a.CategoryID, Title: a.Title, Summary: a.Summary, Body: a.Body,
		CoverID: a.CoverID, Author: a.Author, Source: a.Source, Tags: a.Tags, Slug: a.Slug, Template: a.Template,
		MediaIDs: a.MediaIDs, Position: a.Position, ExpireAt: a.ExpireAt}
	mine := a.CreatedBy == q.Actor.UserID
	ep.CanEdit = q.Actor.Can(access.EditContent, st.ID) || mine && (a.Status == content.Draft || a.Status == content.Rejected) && q.Actor.Can(access.DraftContent, st.ID)
	ep.CanSubmit = (a.Status == content.Draft || a.Status == content.Rejected) && (mine || q.Actor.Can(access.EditContent, st.ID))
	ep.CanTranslate = a.OriginalID == 0 && q.Actor.Can(access.DraftContent, st.ID) && st.Speaks("en")
	if ep.Translations, err = p.content.Translations(ctx, a); err != nil {
		return nil, err
	}
	for _, t := range ep.Translations {
		if t.Lang == "en" && t.ID != a.ID {
			ep.CanTranslate = false
		}
	}
	if ep.Syndications, err = p.content.SyndicationsOf(ctx, a.ID); err != nil {
		return nil, err
	}
	if a.Status == content.Published && a.Kind != content.KindPage && a.OriginalID == 0 {
		ep.Targets, _ = p.content.ProposalTargets(ctx, st.ID)
	}
	if ep.CanApprove && a.Status == content.Published && a.Kind != content.KindPage && a.OriginalID == 0 {
		ep.Below = p.content.PushTargets(ctx, st.ID)
	}
	if a.Status == content.Published || a.Status == content.Unpublished {
		ep.SiteURL = q.SiteURL(st, a.Path())
		if a.Lang != "vi" {
			ep.SiteURL = q.SiteURL(st, "/"+a.Lang+a.Path())
		}
	}
	return ep, nil
}

func (ep *editPage) fill() {
	ep.Tags = joinComma(ep.Form.Tags)
	if !ep.Form.ExpireAt.IsZero() {
		ep.ExpireAt = ep.Form.ExpireAt.In(localTime).Format("2006-01-02T15:04")
	}
}

func joinComma(xs []string) string {
	out := ""
	for i, x := range xs {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out
}

func (p *Publishing) newForm(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	st := siteOf(r)
	ep, err := p.editPage(r, st, nil)
	if err != nil {
		p.Error(w, r, err)
		return
	}
	if k := content.Kind(r.URL.Query().Get("loai")); k.Valid() {
		ep.Form.Kind = k
	}
	ep.fill()
	p.render(w, r, http.StatusOK, "content_edit", p.view(r, q.T("content.new"), ep))
}

func (p *Publishing) create(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	st := siteOf(r)
	in, err := inputFromForm(r)
	var a *content.Article
	if err == nil {
		a, err = p.content.Create(r.Context(), st.ID, in)
	}
	if err == nil {
		http.Redirect(w, r, base(st)+"/noi-dung/"+strconv.FormatInt(a.ID, 10)+"?da-luu=1", http.StatusSeeOther)
		return
	}
	ep, perr := p.editPage(r, st, nil)
	if perr != nil {
		p.Error(w, r, perr)
		return
	}
	ep.Form = in // what the user typed is never lost
	ep.fill()
	v := p.view(r, q.T("content.new"), ep)
	v.Errors, v.Error = p.FieldErrors(r, err)
	p.render(w, r, web.StatusOf(err), "content_edit", v)
}

// item loads the item of the path, making sure it belongs to the site.
func (p *Publishing) item(w http.ResponseWriter, r *http.Request) (*site.Site, *content.Article, bool) {
	st := siteOf(r)
	a, err := p.content.Article(r.Context(), formID(r, "id"))
	if err == nil && a.SiteID != st.ID {
		err = fault.New(fault.NotFound, "article.not_found")
	}
	if err != nil {
		p.Error(w, r, err)
		return nil, nil, false
	}
	return st, a, true
}

func (p *Publishing) editForm(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	st, a, ok := p.item(w, r)
	if !ok {
		return
	}
	ep, err := p.editPage(r, st, a)
	if err != nil {
		p.Error(w, r, err)
		return
	}
	ep.fill()
	v := p.view(r, a.Title, ep)
	if k := r.URL.Query().Get("da-luu"); k != "" {
		v.Flash = q.T("content.saved")
	}
	if k := r.URL.Query().Get("xong"); k != "" {
		v.Flash = q.T("content.done." + k)
	}
	p.render(w, r, http.StatusOK, "content_edit", v)
}

func (p *Publishing) save(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	st, a, ok := p.item(w, r)
	if !ok {
		return
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	in, err := inputFromForm(r)
	if err == nil {
		_, err = p.content.Save(r.Context(), a.ID, version, in, r.PostFormValue("note"))
	}
	if err == nil {
		http.Redirect(w, r, base(st)+"/noi-dung/"+strconv.FormatInt(a.ID, 10)+"?da-luu=1", http.StatusSeeOther)
		return
	}
	cur, gerr := p.content.Article(r.Context(), a.ID)
	if gerr != nil {
		p.Error(w, r, gerr)
		return
	}
	ep, perr := p.editPage(r, st, cur)
	if perr != nil {
		p.Error(w, r, perr)
		return
	}
	ep.Form = in
	ep.Version = version
	ep.fill()
	v := p.view(r, cur.Title, ep)
	v.Errors, v.Error = p.FieldErrors(r, err)
	if fault.Is(err, fault.Conflict) && version != cur.Version {
		// Show what the other editor changed since the version this form
		// was loaded with; saving again overwrites it knowingly.
		if diff, _, _, derr := p.content.Diff(r.Context(), a.ID, version, cur.Version); derr == nil {
			for _, d := range diff {
				if d.Changed {
					ep.Conflict = append(ep.Conflict, d)
				}
			}
		}
		if revs, rerr := p.content.Revisions(r.Context(), a.ID); rerr == nil && len(revs) > 0 {
			ep.ConflictBy = revs[0].AuthorName
		}
		ep.Version = cur.Version
		v.Error = q.T("content.conflict", ep.ConflictBy, q.DateTime(cur.Updated))
	}
	p.render(w, r, web.StatusOf(err), "content_edit", v)
}

// transition runs one workflow action from the editor's buttons.
func (p *Publishing) transition(w http.ResponseWriter, r *http.Request) {
	st, a, ok := p.item(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	action := r.PostFormValue("thao-tac")
	reason := r.PostFormValue("ly-do")
	to := base(st) + "/noi-dung/" + strconv.FormatInt(a.ID, 10) + "?xong=" + action
	var err error
	switch action {
	case "submit":
		_, err = p.content.Submit(ctx, a.ID, version)
	case "approve":
		at, ok := parseLocal(r.PostFormValue("publish_at"))
		if !ok {
			err = fault.OnField("publish_at", "content.time_invalid")
			break
		}
		_, err = p.content.Approve(ctx, a.ID, version, at)
	case "publish":
		_, err = p.content.Publish(ctx, a.ID, version)
	case "reject":
		_, err = p.content.Reject(ctx, a.ID, version, reason)
	case "unpublish":
		_, err = p.content.Unpublish(ctx, a.ID, version, reason)
	case "delete":
		err = p.content.Delete(ctx, a.ID)
		to = base(st) + "/noi-dung?xong=1"
	case "translate":
		var t *content.Article
		t, err = p.content.Translate(ctx, a.ID, "en")
		if err == nil {
			to = base(st) + "/noi-dung/" + strconv.FormatInt(t.ID, 10) + "?xong=translate"
		}
	case "translated":
		_, err = p.content.MarkTranslated(ctx, a.ID, version)
	default:
		err = fault.OnField("thao-tac", "content.bulk_unknown")
	}
	if err != nil {
		p.Error(w, r, err)
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// history shows the revisions and, when two are chosen, their diff.
func (p *Publishing) history(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	st, a, ok := p.item(w, r)
	if !ok {
		return
	}
	revs, err := p.content.Revisions(r.Context(), a.ID)
	if err != nil {
		p.Error(w, r, err)
		return
	}
	hp := map[string]any{"Site": st, "Item": a, "Revisions": revs, "CanRestore": q.Actor.Can(access.EditContent, st.ID)}
	from, _ := strconv.Atoi(r.URL.Query().Get("tu"))
	to, _ := strconv.Atoi(r.URL.Query().Get("den"))
	if from == 0 && to == 0 && len(revs) > 1 {
		from, to = revs[1].Version, revs[0].Version
	}
	if from != 0 && to != 0 {
		diff, ra, rb, err := p.content.Diff(r.Context(), a.ID, from, to)
		if err != nil {
			p.Error(w, r, err)
			return
		}
		hp["Diff"], hp["From"], hp["To"] = diff, ra, rb
	}
	p.render(w, r, http.StatusOK, "content_history", p.view(r, q.T("content.history", a.Title), hp))
}

func (p *Publishing) restore(w http.ResponseWriter, r *http.Request) {
	st, a, ok := p.item(w, r)
	if !ok {
		return
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	from, _ := strconv.Atoi(r.PostFormValue("revision"))
	if _, err := p.content.Restore(r.Context(), a.ID, version, from); err != nil {
		p.Error(w, r, err)
		return
	}
	http.Redirect(w, r, base(st)+"/noi-dung/"+strconv.FormatInt(a.ID, 10)+"?xong=restore", http.StatusSeeOther)
}

func (p *Publishing) propose(w http.ResponseWriter, r *http.Request) {
	st, a, ok := p.item(w, r)
	if !ok {
		return
	}
	to, _ := strconv.ParseInt(r.PostFormValue("to"), 10, 64)
	if _, err := p.content.Propose(r.Context(), a.ID, to, r.PostFormValue("note")); err != nil {
		p.Error(w, r, err)
		return
	}
	http.Redirect(w, r, base(st)+"/noi-dung/"+strconv.FormatInt(a.ID, 10)+"?xong=propose", http.StatusSeeOther)
}

func (p *Publishing) push(w http.ResponseWriter, r *http.Request) {
	st, a, ok := p.item(w, r)
	if !ok {
		return
	}
	var to []int64
	for _, s := range r.PostForm["to"] {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			to = append(to, id)
		}
	}
	if _, err := p.content.Push(r.Context(), a.ID, to); err != nil {
		p.Error(w, r, err)
		return
	}
	http.Redirect(w, r, base(st)+"/noi-dung/"+strconv.FormatInt(a.ID, 10)+"?xong=push", http.StatusSeeOther)
}

func (p *Publishing) proposals(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	st := siteOf(r)
	status := r.URL.Query().Get("trang-thai")
	if status == "" {
		status = content.SynProposed
	}
	xs, err := p.content.Proposals(r.Context(), st.ID, status)
	if err != nil {
		p.Error(w, r, err)
		return
	}
	cats, _ := p.content.Categories(r.Context(), st.ID)
	p.render(w, r, http.StatusOK, "proposals", p.view(r, q.T("proposals.title"), map[string]any{
		"Site": st, "Items": xs, "Categories": cats, "Status": status, "CanDecide": q.Actor.Can(access.ApproveContent, st.ID)}))
}

func (p *Publishing) decide(w http.ResponseWriter, r *http.Request) {
	st := siteOf(r)
	x, err := p.content.Proposals(r.Context(), st.ID, "")
	if err != nil {
		p.Error(w, r, err)
		return
	}
	id := formID(r, "id")
	found := false
	for _, s := range x {
		found = found || s.ID == id
	}
	if !found {
		p.Error(w, r, fault.New(fault.NotFound, "syndication.not_found"))
		return
	}
	cat, _ := strconv.ParseInt(r.PostFormValue("category"), 10, 64)
	if _, err := p.content.Decide(r.Context(), id, r.PostFormValue("quyet-dinh") == "nhan", cat, r.PostFormValue("ly-do")); err != nil {
		p.Error(w, r, err)
		return
	}
	http.Redirect(w, r, base(st)+"/de-xuat", http.StatusSeeOther)
}
