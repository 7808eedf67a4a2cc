package feedbackweb

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/feedback"
	"github.com/congvn/cong/internal/web"
)

// citizen returns the request's context acting as an anonymous citizen,
// so the audit log says who (and from which address) changed what.
func (h *Handler) citizen(r *http.Request) context.Context {
	q := web.FromRequest(r)
	return access.With(r.Context(), &access.Actor{Name: "citizen", Via: "public", Addr: q.Addr})
}

// step is one line of a public timeline.
type step struct {
	At   string
	Text string
	Note string
}

type trackPage struct {
	Code     string
	T        *feedback.Tracking
	New      bool
	Confirm  string
	Steps    []step
	Status   string
	Category string
	Due      string
	Form     map[string]string
	Main     string // the public URL of the item this one was merged into
	Stars    []int
}

// timeline writes an item's public steps in the reader's language: units
// by name, never staff names.
func (h *Handler) timeline(q *web.Req, evs []*feedback.Event) []step {
	name := func(id int64) string {
		if st, ok := q.Dir.ByID(id); ok {
			if live := q.Dir.Live(st); live != nil {
				st = live
			}
			return st.DisplayName(q.Lang)
		}
		return ""
	}
	var out []step
	for _, e := range evs {
		s := step{At: q.DateTime(e.At), Text: q.T("feedback.event."+e.Type, name(e.SiteID), name(e.ToSiteID))}
		if e.Type == "info_requested" || e.Type == "rejected" {
			s.Note = e.Text
		}
		out = append(out, s)
	}
	return out
}

func (h *Handler) trackView(r *http.Request, code string, t *feedback.Tracking) *web.View {
	q := web.FromRequest(r)
	p := &trackPage{Code: code, T: t, Form: map[string]string{}, Stars: []int{5, 4, 3, 2, 1}}
	if t != nil {
		p.Steps = h.timeline(q, t.Events)
		p.Status = q.T("feedback.status." + string(t.Item.Status))
		p.Category = h.svc.Policy.CategoryName(t.Item.Category, q.Lang)
		p.Due = q.DateTime(t.Item.DueAt)
		if t.Main != nil {
			if st, ok := q.Dir.ByID(t.Main.SiteID); ok {
				p.Main = q.SiteURL(st, t.Main.Path())
			}
		}
	}
	return &web.View{Title: q.T("feedback.track_title"), Page: p, NoIndex: true}
}

func (h *Handler) track(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	w.Header().Set("Cache-Control", "no-store")
	code := r.URL.Query().Get("ma")
	if code == "" {
		h.Page(w, r, "pages/feedback_track", h.trackView(r, "", nil))
		return
	}
	if ok, _ := h.lookups.Allow(q.Addr); !ok {
		v := h.trackView(r, code, nil)
		v.Error = q.T("feedback.too_many_lookups")
		h.Render(w, r, http.StatusTooManyRequests, "pages/feedback_track", v)
		return
	}
	t, err := h.svc.Track(r.Context(), code)
	if err != nil {
		v := h.trackView(r, code, nil)
		if fault.Is(err, fault.NotFound) {
			v.Error = q.T("feedback.code_unknown")
		} else {
			v.Error = h.Message(r, err)
		}
		h.Render(w, r, web.StatusOf(err), "pages/feedback_track", v)
		return
	}
	v := h.trackView(r, t.Item.Code, t)
	p := v.Page.(*trackPage)
	p.New = r.URL.Query().Get("moi") != ""
	for _, flag := range []string{"da-bo-sung", "da-danh-gia", "da-xac-nhan", "da-ngung"} {
		if r.URL.Query().Get(flag) != "" {
			v.Flash = q.T("feedback.flash." + flag)
		}
	}
	if tok := r.URL.Query().Get("xac-nhan"); tok != "" && !t.Item.Verified {
		p.Confirm = tok
	}
	h.Page(w, r, "pages/feedback_track", v)
}

// afterTrack answers a form of the tracking page: back to the page on
// success (with a flag for the message), or the page with the error.
func (h *Handler) afterTrack(w http.ResponseWriter, r *http.Request, code, flag string, err error) {
	q := web.FromRequest(r)
	if err == nil {
		http.Redirect(w, r, q.URL("/tra-cuu")+"?ma="+url.QueryEscape(code)+"&"+flag+"=1", http.StatusSeeOther)
		return
	}
	t, terr := h.svc.Track(r.Context(), code)
	if terr != nil {
		v := h.trackView(r, code, nil)
		v.Error = q.T("feedback.code_unknown")
		h.Render(w, r, http.StatusNotFound, "pages/feedback_track", v)
		return
	}
	v := h.trackView(r, t.Item.Code, t)
	v.Page.(*trackPage).Form = formValues(r)
	v.Errors, v.Error = h.FieldErrors(r, err)
	h.Render(w, r, web.StatusOf(err), "pages/feedback_track", v)
}

func (h *Handler) trackForm(w http.ResponseWriter, r *http.Request) (string, bool) {
	q := web.FromRequest(r)
	w.Header().Set("Cache-Control", "no-store")
	if !h.readForm(w, r) {
		return "", false
	}
	if ok, _ := h.lookups.Allow(q.Addr); !ok {
		h.ErrorPage(w, r, http.StatusTooManyRequests, "feedback.too_many_lookups")
		return "", false
	}
	return r.PostFormValue("ma"), true
}

func (h *Handler) supplement(w http.ResponseWriter, r *http.Request) {
	code, ok := h.trackForm(w, r)
	if !ok {
		return
	}
	files, err := uploads(r, "files")
	if err == nil {
		_, err = h.svc.Supplement(h.citizen(r), code, r.PostFormValue("text"), files)
	}
	h.afterTrack(w, r, code, "da-bo-sung", err)
}

func (h *Handler) rate(w http.ResponseWriter, r *http.Request) {
	code, ok := h.trackForm(w, r)
	if !ok {
		return
	}
	stars, _ := strconv.Atoi(r.PostFormValue("stars"))
	_, err := h.svc.Rate(h.citizen(r), code, stars, r.PostFormValue("comment"))
	h.afterTrack(w, r, code, "da-danh-gia", err)
}

func (h *Handler) confirm(w http.ResponseWriter, r *http.Request) {
	code, ok := h.trackForm(w, r)
	if !ok {
		return
	}
	_, err := h.svc.Confirm(h.citizen(r), code, r.PostFormValue("token"))
	h.afterTrack(w, r, code, "da-xac-nhan", err)
}

func (h *Handler) stopMail(w http.ResponseWriter, r *http.Request) {
	code, ok := h.trackForm(w, r)
	if !ok {
		return
	}
	err := h.svc.StopMail(h.citizen(r), code)
	h.afterTrack(w, r, code, "da-ngung", err)
}
