package dataportal

import (
	"net/http"
	"slices"
	"strings"

	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/opendata"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/web"
)

// The staff pages of the data portal: under a site the publisher works
// for (/quan-tri/trang/CODE/du-lieu/), the datasets of that site's unit,
// or of every unit on the data portal's own site.

type adminListPage struct {
	Site     *site.Site
	Datasets []datasetCard
	Groups   []*opendata.Group
	IsData   bool
	Form     map[string]string
}

type adminDatasetPage struct {
	Site      *site.Site
	D         *opendata.Dataset
	New       bool
	Owners    []*site.Site
	Licenses  []opendata.License
	Freqs     []string
	Groups    []*opendata.Group
	Tags      string
	PublicURL string
	Resources []adminResource
	ResForm   map[string]string
	MaxFileMB int64
}

type adminResource struct {
	R      *opendata.Resource
	URL    string
	Report string
}

func (h *Handler) workSite(w http.ResponseWriter, r *http.Request) (*site.Site, bool) {
	st, err := h.Sites.Site(r.Context(), r.PathValue("site"))
	if err != nil {
		h.Error(w, r, err)
		return nil, false
	}
	return st, true
}

// scope returns the sites whose datasets a working site shows: all for the
// data portal, the unit's sites otherwise.
func (h *Handler) scope(q *web.Req, st *site.Site) []int64 {
	var ids []int64
	for _, s := range q.Dir.Sites {
		if st.Kind == site.Data || s.UnitID == st.UnitID {
			ids = append(ids, s.ID)
		}
	}
	return ids
}

func (h *Handler) adminList(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	st, ok := h.workSite(w, r)
	if !ok {
		return
	}
	v, err := h.view(r.Context(), q)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	res, err := h.Data.Search(r.Context(), v.orgs, opendata.SearchQuery{Drafts: true, Sites: h.scope(q, st), Rows: opendata.MaxRows, Sort: "metadata_modified desc"})
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p := adminListPage{Site: st, IsData: st.Kind == site.Data, Form: map[string]string{}}
	for _, d := range res.Results {
		c := datasetCard{D: d, URL: "/quan-tri/trang/" + st.Code + "/du-lieu/" + d.ID}
		if o, ok := v.orgs.OfSite(d.SiteID); ok {
			c.Org = o.Title
		}
		p.Datasets = append(p.Datasets, c)
	}
	p.Groups, _ = h.Data.Groups(r.Context())
	view := &web.View{Req: q, Title: q.T("data.admin_title", st.Name), Page: p, NoIndex: true}
	if r.URL.Query().Get("da-luu") != "" {
		view.Flash = q.T("data.saved")
	}
	h.render(w, r, http.StatusOK, "data_list", view)
}

func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, v *web.View) {
	w.Header().Set("Cache-Control", "no-store")
	h.Render(w, r, status, "admin/"+name, v)
}

func (h *Handler) datasetForm(r *http.Request, st *site.Site, d *opendata.Dataset) (*adminDatasetPage, error) {
	q := web.FromRequest(r)
	p := &adminDatasetPage{Site: st, D: d, Licenses: opendata.Licenses, Freqs: opendata.Frequencies, Tags: strings.Join(d.Tags, ", "),
		ResForm: map[string]string{}, MaxFileMB: h.Data.Limits().MaxFile >> 20}
	owners, err := h.Data.PublishableSites(r.Context())
	if err != nil {
		return nil, err
	}
	scope := h.scope(q, st)
	for _, o := range owners {
		if slices.Contains(scope, o.ID) || o.ID == d.SiteID {
			p.Owners = append(p.Owners, o)
		}
	}
	if p.Groups, err = h.Data.Groups(r.Context()); err != nil {
		return nil, err
	}
	if d.ID != "" {
		p.PublicURL = dataURL(q, "/du-lieu/"+d.Name)
		for _, res := range d.Resources {
			ar := adminResource{R: res, URL: dataURL(q, "/du-lieu/"+d.Name+"/tai-nguyen/"+res.ID)}
			if rep := res.Report; rep != nil && rep.Error != "" {
				ar.Report = q.T(rep.Error, rep.ErrorArg)
			} else if rep != nil {
				ar.Report = q.T("data.report_loaded", q.Number(rep.Rows), len(res.Columns))
				if rep.Ragged > 0 {
					ar.Report += " " + q.T("data.report_ragged", q.Number(rep.Ragged), intsText(rep.RaggedAt))
				}
				if rep.Converted {
					ar.Report += " " + q.T("data.report_converted", rep.Encoding)
				}
			}
			p.Resources = append(p.Resources, ar)
		}
	}
	return p, nil
}

func intsText(ns []int) string {
	var parts []string
	for _, n := range ns {
		parts = append(parts, itoa(n))
	}
	return strings.Join(parts, ", ")
}

func (h *Handler) adminNew(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	st, ok := h.workSite(w, r)
	if !ok {
		return
	}
	d := &opendata.Dataset{LicenseID: opendata.DefaultLicense, State: opendata.Draft, Spatial: "Thành phố Hà Nội"}
	if st.Kind != site.Data {
		d.SiteID = st.ID
	}
	p, err := h.datasetForm(r, st, d)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p.New = true
	h.render(w, r, http.StatusOK, "data_dataset", &web.View{Req: q, Title: q.T("data.new"), Page: p, NoIndex: true})
}

// datasetFromForm reads the dataset form onto d.
func datasetFromForm(r *http.Request, d *opendata.Dataset) {
	f := r.PostFormValue
	d.Title, d.Name, d.Notes = f("title"), f("name"), f("notes")
	d.LicenseID, d.Frequency = f("license_id"), f("frequency")
	d.TemporalStart, d.TemporalEnd, d.Spatial = f("temporal_start"), f("temporal_end"), f("spatial")
	d.ContactName, d.ContactEmail, d.SourceURL, d.Version = f("contact_name"), f("contact_email"), f("source_url"), f("version")
	d.State = opendata.Draft
	if f("public") != "" {
		d.State = opendata.Active
	}
	if n := f("owner"); n != "" {
		d.SiteID = 0
		var id int64
		for _, c := range n {
			if c < '0' || c > '9' {
				id = -1
				break
			}
			id = id*10 + int64(c-'0')
		}
		if id > 0 {
			d.SiteID = id
		}
	}
	d.Tags = nil
	for _, t := range strings.Split(f("tags"), ",") {
		if t = strings.TrimSpace(t); t != "" {
			d.Tags = append(d.Tags, t)
		}
	}
	d.Groups = r.PostForm["groups"]
}

func (h *Handler) adminCreate(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	st, ok := h.workSite(w, r)
	if !ok {
		return
	}
	d := &opendata.Dataset{}
	datasetFromForm(r, d)
	err := h.Data.CreateDataset(r.Context(), d)
	if err == nil {
		http.Redirect(w, r, "/quan-tri/trang/"+st.Code+"/du-lieu/"+d.ID+"?da-luu=1", http.StatusSeeOther)
		return
	}
	p, ferr := h.datasetForm(r, st, d)
	if ferr != nil {
		h.Error(w, r, ferr)
		return
	}
	p.New = true
	v := &web.View{Req: q, Title: q.T("data.new"), Page: p, NoIndex: true}
	v.Errors, v.Error = h.FieldErrors(r, err)
	h.render(w, r, web.StatusOf(err), "data_dataset", v)
}

func (h *Handler) adminDataset(w http.ResponseWriter, r *http.Request) (*site.Site, *opendata.Dataset, bool) {
	st, ok := h.workSite(w, r)
	if !ok {
		return nil, nil, false
	}
	d, err := h.Data.Dataset(r.Context(), r.PathValue("dataset"))
	if err == nil && !slices.Contains(h.scope(web.FromRequest(r), st), d.SiteID) {
		err = fault.New(fault.NotFound, "data.not_found")
	}
	if err != nil {
		h.Error(w, r, err)
		return nil, nil, false
	}
	return st, d, true
}

func (h *Handler) adminEdit(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	st, d, ok := h.adminDataset(w, r)
	if !ok {
		return
	}
	p, err := h.datasetForm(r, st, d)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	v := &web.View{Req: q, Title: d.Title, Page: p, NoIndex: true}
	if r.URL.Query().Get("da-luu") != "" {
		v.Flash = q.T("data.saved")
	}
	h.render(w, r, http.StatusOK, "data_dataset", v)
}

func (h *Handler) adminSave(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	st, d, ok := h.adminDataset(w, r)
	if !ok {
		return
	}
	datasetFromForm(r, d)
	err := h.Data.UpdateDataset(r.Context(), d)
	if err == nil {
		http.Redirect(w, r, "/quan-tri/trang/"+st.Code+"/du-lieu/"+d.ID+"?da-luu=1", http.StatusSeeOther)
		return
	}
	h.reshow(w, r, st, d, err, nil)
	_ = q
}

// reshow renders the dataset page again with what was typed and the errors.
func (h *Handler) reshow(w http.ResponseWriter, r *http.Request, st *site.Site, d *opendata.Dataset, err error, resForm map[string]string) {
	q := web.FromRequest(r)
	p, ferr := h.datasetForm(r, st, d)
	if ferr != nil {
		h.Error(w, r, ferr)
		return
	}
	if resForm != nil {
		p.ResForm = resForm
	}
	v := &web.View{Req: q, Title: d.Title, Page: p, NoIndex: true}
	v.Errors, v.Error = h.FieldErrors(r, err)
	h.render(w, r, web.StatusOf(err), "data_dataset", v)
}

// formFile returns the uploaded file of the form, if any.
func formFile(r *http.Request) (*opendata.File, func(), error) {
	f, fh, err := r.FormFile("upload")
	if err == http.ErrMissingFile || err == http.ErrNotMultipart {
		return nil, func() {}, nil
	}
	if err != nil {
		return nil, func() {}, err
	}
	return &opendata.File{Name: fh.Filename, Body: f}, func() { f.Close() }, nil
}

func (h *Handler) adminAddResource(w http.ResponseWriter, r *http.Request) {
	st, d, ok := h.adminDataset(w, r)
	if !ok {
		return
	}
	file, done, err := formFile(r)
	defer done()
	f := r.PostFormValue
	res := &opendata.Resource{Name: f("res_name"), Description: f("res_description"), Format: f("res_format"), URL: f("res_url")}
	if err == nil {
		err = h.Data.AddResource(r.Context(), d.ID, res, file)
	}
	if err == nil {
		http.Redirect(w, r, "/quan-tri/trang/"+st.Code+"/du-lieu/"+d.ID+"?da-luu=1", http.StatusSeeOther)
		return
	}
	h.reshow(w, r, st, d, resourceFieldErr(err), map[string]string{"res_name": f("res_name"), "res_description": f("res_description"), "res_format": f("res_format"), "res_url": f("res_url")})
}

// resourceFieldErr points a resource's field errors at the resource form's
// fields.
func resourceFieldErr(err error) error {
	rename := func(e *fault.Error) *fault.Error {
		x := *e
		if x.Field != "" && x.Field != "upload" {
			x.Field = "res_" + x.Field
		}
		return &x
	}
	switch e := err.(type) {
	case fault.List:
		out := fault.List{}
		for _, x := range e {
			out = append(out, rename(x))
		}
		return out
	case *fault.Error:
		return rename(e)
	}
	return err
}

func (h *Handler) adminUpdateResource(w http.ResponseWriter, r *http.Request) {
	st, d, ok := h.adminDataset(w, r)
	if !ok {
		return
	}
	file, done, err := formFile(r)
	defer done()
	var ch opendata.ResourceChange
	if name := r.PostFormValue("name"); name != "" {
		ch.Name = &name
	}
	if err == nil {
		_, err = h.Data.UpdateResource(r.Context(), r.PathValue("res"), ch, file)
	}
	if err == nil {
		http.Redirect(w, r, "/quan-tri/trang/"+st.Code+"/du-lieu/"+d.ID+"?da-luu=1", http.StatusSeeOther)
		return
	}
	h.reshow(w, r, st, d, err, nil)
}

func (h *Handler) adminReload(w http.ResponseWriter, r *http.Request) {
	st, d, ok := h.adminDataset(w, r)
	if !ok {
		return
	}
	if _, err := h.Data.ReloadDatastore(r.Context(), r.PathValue("res")); err != nil {
		h.reshow(w, r, st, d, err, nil)
		return
	}
	http.Redirect(w, r, "/quan-tri/trang/"+st.Code+"/du-lieu/"+d.ID+"?da-luu=1", http.StatusSeeOther)
}

func (h *Handler) adminDelete(w http.ResponseWriter, r *http.Request) {
	st, d, ok := h.adminDataset(w, r)
	if !ok {
		return
	}
	if err := h.Data.DeleteDataset(r.Context(), d.ID); err != nil {
		h.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/quan-tri/trang/"+st.Code+"/du-lieu/?da-luu=1", http.StatusSeeOther)
}

func (h *Handler) adminCreateGroup(w http.ResponseWriter, r *http.Request) {
	st, ok := h.workSite(w, r)
	if !ok {
		return
	}
	g := &opendata.Group{Title: r.PostFormValue("title"), TitleEn: r.PostFormValue("title_en"), Name: r.PostFormValue("name"), Description: r.PostFormValue("description")}
	if err := h.Data.CreateGroup(r.Context(), g); err != nil {
		q := web.FromRequest(r)
		v := &web.View{Req: q, Title: q.T("data.admin_title", st.Name), NoIndex: true}
		v.Errors, v.Error = h.FieldErrors(r, err)
		p := adminListPage{Site: st, IsData: st.Kind == site.Data, Form: map[string]string{"title": g.Title, "title_en": g.TitleEn, "name": r.PostFormValue("name")}}
		p.Groups, _ = h.Data.Groups(r.Context())
		v.Page = p
		h.render(w, r, web.StatusOf(err), "data_list", v)
		return
	}
	http.Redirect(w, r, "/quan-tri/trang/"+st.Code+"/du-lieu/?da-luu=1", http.StatusSeeOther)
}

// InGroup reports whether the dataset is in the named group.
func (p *adminDatasetPage) InGroup(name string) bool { return slices.Contains(p.D.Groups, name) }
