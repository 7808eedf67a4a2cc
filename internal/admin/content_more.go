package admin

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/content"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/media"
	"github.com/congvn/cong/internal/web"
)

// categories lists and edits a site's categories.
func (p *Publishing) categories(w http.ResponseWriter, r *http.Request) {
	p.categoriesPage(w, r, http.StatusOK, content.CategoryInput{}, 0, nil)
}

func (p *Publishing) categoriesPage(w http.ResponseWriter, r *http.Request, status int, form content.CategoryInput, editing int64, err error) {
	q := web.FromRequest(r)
	st := siteOf(r)
	cats, cerr := p.content.Categories(r.Context(), st.ID)
	if cerr != nil {
		p.Error(w, r, cerr)
		return
	}
	v := p.view(r, q.T("categories.title"), map[string]any{"Site": st, "Categories": cats, "Form": form, "Editing": editing,
		"CanEdit": q.Actor.Can(access.EditContent, st.ID)})
	if err != nil {
		v.Errors, v.Error = p.FieldErrors(r, err)
	} else if r.URL.Query().Get("da-luu") != "" {
		v.Flash = q.T("content.saved")
	}
	p.render(w, r, status, "categories", v)
}

func (p *Publishing) saveCategory(w http.ResponseWriter, r *http.Request) {
	st := siteOf(r)
	f := r.PostFormValue
	id, _ := strconv.ParseInt(f("id"), 10, 64)
	in := content.CategoryInput{Name: f("name"), NameEn: f("name_en"), Description: f("description"), Slug: f("slug")}
	in.ParentID, _ = strconv.ParseInt(f("parent"), 10, 64)
	in.Position, _ = strconv.Atoi(f("position"))
	var err error
	if f("xoa") != "" {
		err = p.content.DeleteCategory(r.Context(), st.ID, id)
	} else {
		_, err = p.content.SaveCategory(r.Context(), st.ID, id, in)
	}
	if err != nil {
		p.categoriesPage(w, r, web.StatusOf(err), in, id, err)
		return
	}
	http.Redirect(w, r, base(st)+"/chuyen-muc?da-luu=1", http.StatusSeeOther)
}

// library is the media library with search and the upload form.
func (p *Publishing) library(w http.ResponseWriter, r *http.Request) {
	p.libraryPage(w, r, http.StatusOK, nil, nil)
}

func (p *Publishing) libraryPage(w http.ResponseWriter, r *http.Request, status int, err error, form map[string]string) {
	q := web.FromRequest(r)
	st := siteOf(r)
	f := media.Filter{SiteID: st.ID, Kind: media.Kind(r.URL.Query().Get("loai")), Query: r.URL.Query().Get("q")}
	f.Page, _ = strconv.Atoi(r.URL.Query().Get("trang"))
	items, total, lerr := p.media.List(r.Context(), f)
	if lerr != nil {
		p.Error(w, r, lerr)
		return
	}
	// WebVTT files, to attach as captions to a video.
	files, _, _ := p.media.List(r.Context(), media.Filter{SiteID: st.ID, Kind: media.File, PerPage: 100})
	var tracks []*media.Item
	for _, m := range files {
		if strings.HasPrefix(m.MIME, "text/vtt") {
			tracks = append(tracks, m)
		}
	}
	if form == nil {
		form = map[string]string{}
	}
	v := p.view(r, q.T("library.title"), map[string]any{"Site": st, "Items": items, "Total": total, "Filter": f, "Form": form,
		"MaxMB": media.MaxFileBytes >> 20, "Kinds": []media.Kind{media.Image, media.Video, media.Audio, media.File}, "CanUpload": q.Actor.Can(access.DraftContent, st.ID), "CanEdit": q.Actor.Can(access.EditContent, st.ID), "Tracks": tracks})
	if err != nil {
		v.Errors, v.Error = p.FieldErrors(r, err)
	} else if r.URL.Query().Get("da-luu") != "" {
		v.Flash = q.T("library.uploaded")
	}
	p.render(w, r, status, "library", v)
}

// upload receives one file. The body limit of the route answers 413 with a
// clear page for files past it; the service checks the content.
func (p *Publishing) upload(w http.ResponseWriter, r *http.Request) {
	st := siteOf(r)
	form := map[string]string{"alt": r.PostFormValue("alt"), "caption": r.PostFormValue("caption"), "transcript": r.PostFormValue("transcript")}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			p.ErrorPage(w, r, http.StatusRequestEntityTooLarge, "error.too_large", tooBig.Limit/1024)
			return
		}
		p.libraryPage(w, r, http.StatusBadRequest, fault.OnField("file", "media.empty"), form)
		return
	}
	defer file.Close()
	m, err := p.media.Add(r.Context(), st.ID, media.Upload{Name: hdr.Filename, Body: file, Alt: form["alt"], Caption: form["caption"], Transcript: form["transcript"]})
	if strings.Contains(r.Header.Get("Accept"), "application/json") {
		// The editor uploads pasted and dropped images this way.
		if err != nil {
			p.JSONFault(w, r, err)
			return
		}
		web.JSON(w, http.StatusCreated, map[string]any{"id": m.ID, "src": m.Src(1024), "srcset": m.SrcSet(), "alt": m.Alt, "width": m.Width, "height": m.Height})
		return
	}
	if err != nil {
		p.libraryPage(w, r, web.StatusOf(err), err, form)
		return
	}
	http.Redirect(w, r, base(st)+"/thu-vien?da-luu=1", http.StatusSeeOther)
}

func (p *Publishing) describe(w http.ResponseWriter, r *http.Request) {
	st := siteOf(r)
	id := formID(r, "id")
	m, err := p.media.Item(r.Context(), id)
	if err == nil && m.SiteID != st.ID {
		err = fault.New(fault.NotFound, "media.not_found")
	}
	if err == nil {
		track, _ := strconv.ParseInt(r.PostFormValue("track"), 10, 64)
		_, err = p.media.Describe(r.Context(), id, r.PostFormValue("alt"), r.PostFormValue("caption"), r.PostFormValue("transcript"), track)
	}
	if err != nil {
		p.libraryPage(w, r, web.StatusOf(err), err, nil)
		return
	}
	http.Redirect(w, r, base(st)+"/thu-vien?da-luu=1", http.StatusSeeOther)
}

// schedule edits the leaders' work schedule, a week at a time.
func (p *Publishing) schedule(w http.ResponseWriter, r *http.Request) {
	p.schedulePage(w, r, http.StatusOK, &content.Appointment{}, nil)
}

func (p *Publishing) schedulePage(w http.ResponseWriter, r *http.Request, status int, form *content.Appointment, err error) {
	q := web.FromRequest(r)
	st := siteOf(r)
	day := q.Now.In(localTime)
	if v := r.URL.Query().Get("tuan"); v != "" {
		if t, perr := time.ParseInLocation(time.DateOnly, v, localTime); perr == nil {
			day = t
		}
	}
	monday, items, lerr := p.content.Week(r.Context(), st.ID, day)
	if lerr != nil {
		p.Error(w, r, lerr)
		return
	}
	if form.Day == "" {
		form.Day = day.Format(time.DateOnly)
	}
	v := p.view(r, q.T("menu.schedule"), map[string]any{"Site": st, "Items": items, "Monday": monday, "Form": form,
		"Prev": monday.AddDate(0, 0, -7).Format(time.DateOnly), "Next": monday.AddDate(0, 0, 7).Format(time.DateOnly),
		"CanEdit": q.Actor.Can(access.EditContent, st.ID)})
	if err != nil {
		v.Errors, v.Error = p.FieldErrors(r, err)
	} else if r.URL.Query().Get("da-luu") != "" {
		v.Flash = q.T("content.saved")
	}
	p.render(w, r, status, "schedule", v)
}

func (p *Publishing) saveAppointment(w http.ResponseWriter, r *http.Request) {
	st := siteOf(r)
	f := r.PostFormValue
	a := &content.Appointment{SiteID: st.ID, Day: f("day"), At: f("at"), Leader: f("leader"), Content: f("content"), Location: f("location"), Participants: f("participants")}
	a.ID, _ = strconv.ParseInt(f("id"), 10, 64)
	var err error
	if f("xoa") != "" {
		err = p.content.DeleteAppointment(r.Context(), st.ID, a.ID)
	} else {
		err = p.content.SaveAppointment(r.Context(), a)
	}
	if err != nil {
		p.schedulePage(w, r, web.StatusOf(err), a, err)
		return
	}
	http.Redirect(w, r, base(st)+"/lich-cong-tac?da-luu=1&tuan="+a.Day, http.StatusSeeOther)
}

// linksPage edits "Liên kết website".
func (p *Publishing) linksPage(w http.ResponseWriter, r *http.Request) {
	p.linksView(w, r, http.StatusOK, &content.Link{}, nil)
}

func (p *Publishing) linksView(w http.ResponseWriter, r *http.Request, status int, form *content.Link, err error) {
	q := web.FromRequest(r)
	st := siteOf(r)
	ls, lerr := p.content.Links(r.Context(), st.ID)
	if lerr != nil {
		p.Error(w, r, lerr)
		return
	}
	v := p.view(r, q.T("links.title"), map[string]any{"Site": st, "Links": ls, "Form": form, "CanEdit": q.Actor.Can(access.EditContent, st.ID)})
	if err != nil {
		v.Errors, v.Error = p.FieldErrors(r, err)
	} else if r.URL.Query().Get("da-luu") != "" {
		v.Flash = q.T("content.saved")
	}
	p.render(w, r, status, "links", v)
}

func (p *Publishing) saveLink(w http.ResponseWriter, r *http.Request) {
	st := siteOf(r)
	f := r.PostFormValue
	l := &content.Link{SiteID: st.ID, Title: f("title"), URL: f("url")}
	l.ID, _ = strconv.ParseInt(f("id"), 10, 64)
	l.Position, _ = strconv.Atoi(f("position"))
	var err error
	if f("xoa") != "" {
		err = p.content.DeleteLink(r.Context(), st.ID, l.ID)
	} else {
		err = p.content.SaveLink(r.Context(), l)
	}
	if err != nil {
		p.linksView(w, r, web.StatusOf(err), l, err)
		return
	}
	http.Redirect(w, r, base(st)+"/lien-ket?da-luu=1", http.StatusSeeOther)
}
