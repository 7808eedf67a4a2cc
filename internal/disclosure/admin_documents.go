package disclosure

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/attach"
	"github.com/congvn/cong/internal/bulk"
	"github.com/congvn/cong/internal/document"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/web"
)

// render writes a staff page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, v *web.View) {
	w.Header().Set("Cache-Control", "no-store")
	v.NoIndex = true
	h.Render(w, r, status, "admin/"+name, v)
}

// siteOf returns the site named in the path.
func (h *Handler) siteOf(r *http.Request) *site.Site {
	st, _ := web.FromRequest(r).Dir.ByCode(r.PathValue("site"))
	return st
}

// upload is a file sent with a form, read and checked.
type upload struct {
	name string
	body []byte
}

// uploads reads and checks the files of a multipart form's "file" field,
// before anything is written, so that a lying or oversized file refuses
// the whole form.
func (h *Handler) uploads(r *http.Request) ([]upload, error) {
	if r.MultipartForm == nil {
		return nil, nil
	}
	if h.Files.Dir == "" && len(r.MultipartForm.File["file"]) > 0 && r.MultipartForm.File["file"][0].Size > 0 {
		return nil, fault.OnField("file", "attach.no_media")
	}
	var out []upload
	for _, fh := range r.MultipartForm.File["file"] {
		if fh.Filename == "" && fh.Size == 0 {
			continue
		}
		b, err := readUpload(fh)
		if err != nil {
			return nil, err
		}
		if _, _, err := attach.Check(fh.Filename, bytes.NewReader(b)); err != nil {
			return nil, err
		}
		out = append(out, upload{fh.Filename, b})
	}
	if len(out) > attach.MaxPerOwner {
		return nil, fault.OnField("file", "attach.too_many", attach.MaxPerOwner)
	}
	return out, nil
}

func readUpload(fh *multipart.FileHeader) ([]byte, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, fault.Wrap(err, fault.Invalid, "attach.unreadable", fh.Filename)
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, attach.MaxSize+1))
}

// importInput returns the rows of an import form: an uploaded file, or
// text pasted in the form.
func importInput(r *http.Request) ([]bulk.Row, []bulk.RowError, error) {
	var src io.Reader = strings.NewReader(r.PostFormValue("text"))
	if r.MultipartForm != nil {
		if fhs := r.MultipartForm.File["import"]; len(fhs) > 0 && fhs[0].Size > 0 {
			f, err := fhs[0].Open()
			if err != nil {
				return nil, nil, err
			}
			defer f.Close()
			src = f
		}
	}
	rows, bad, err := bulk.Read(src, r.PostFormValue("format"))
	if err != nil {
		return nil, nil, fault.Wrap(err, fault.Invalid, "bulk.unreadable")
	}
	if len(rows)+len(bad) == 0 {
		return nil, nil, fault.OnField("import", "bulk.empty")
	}
	return rows, bad, nil
}

type docForm struct {
	Number, Title, Signer, IssuedOn, EffectiveOn, ExpiresOn, Body string
	TypeID, IssuerID, FieldID                                     int64
}

func docFormOf(d *document.Document) docForm {
	return docForm{Number: d.Number, Title: d.Title, Signer: d.Signer, IssuedOn: d.IssuedOn, EffectiveOn: d.EffectiveOn, ExpiresOn: d.ExpiresOn,
		Body: d.Body, TypeID: d.TypeID, IssuerID: d.IssuerID, FieldID: d.FieldID}
}

func formID(r *http.Request, name string) int64 {
	id, _ := strconv.ParseInt(r.PostFormValue(name), 10, 64)
	return id
}

func docFormFrom(r *http.Request) (docForm, document.Document) {
	f := r.PostFormValue
	fm := docForm{Number: f("number"), Title: f("title"), Signer: f("signer"), IssuedOn: f("issued_on"), EffectiveOn: f("effective_on"),
		ExpiresOn: f("expires_on"), Body: f("body"), TypeID: formID(r, "type"), IssuerID: formID(r, "issuer"), FieldID: formID(r, "field")}
	d := document.Document{Number: fm.Number, Title: fm.Title, Signer: fm.Signer, Body: fm.Body, TypeID: fm.TypeID, IssuerID: fm.IssuerID, FieldID: fm.FieldID}
	var ok bool
	if d.IssuedOn, ok = document.ParseDate(fm.IssuedOn); !ok {
		d.IssuedOn = fm.IssuedOn
	}
	if d.EffectiveOn, ok = document.ParseDate(fm.EffectiveOn); !ok {
		d.EffectiveOn = fm.EffectiveOn
	}
	if d.ExpiresOn, ok = document.ParseDate(fm.ExpiresOn); !ok {
		d.ExpiresOn = fm.ExpiresOn
	}
	return fm, d
}

type adminDocumentsPage struct {
	helpers
	Site                   *site.Site
	Q                      string
	Result                 *document.Result
	Today                  string
	Form                   docForm
	Types, Issuers, Fields []*document.Term
	CanEdit, CanPublish    bool
	Report                 []string
	Imported               int
}

func (h *Handler) documentsView(r *http.Request, st *site.Site) (*adminDocumentsPage, error) {
	q := web.FromRequest(r)
	ctx := r.Context()
	p := &adminDocumentsPage{Site: st, Q: r.URL.Query().Get("q"), Today: h.Documents.Today(),
		CanEdit: q.Actor.Can(access.EditDisclosure, st.ID), CanPublish: q.Actor.Can(access.PublishDisclosure, st.ID)}
	var err error
	if p.Result, err = h.Documents.Search(ctx, document.Query{SiteID: st.ID, Text: p.Q, Drafts: true, Limit: 50, Offset: (pageNumber(r) - 1) * 50}); err != nil {
		return nil, err
	}
	if p.Types, err = h.Documents.Terms(ctx, document.ListType); err != nil {
		return nil, err
	}
	if p.Issuers, err = h.Documents.Terms(ctx, document.ListIssuer); err != nil {
		return nil, err
	}
	p.Fields, err = h.Documents.Terms(ctx, document.ListField)
	return p, err
}

func (h *Handler) adminDocuments(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	st := h.siteOf(r)
	p, err := h.documentsView(r, st)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	v := &web.View{Req: q, Title: q.T("document.admin_title", st.Name), Page: p}
	if n := r.URL.Query().Get("da-nhap"); n != "" {
		v.Flash = q.T("bulk.imported", n)
	}
	h.render(w, r, http.StatusOK, "documents", v)
}

// createDocument adds a document with its files; nothing is written when
// a field or a file is wrong.
func (h *Handler) createDocument(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	st := h.siteOf(r)
	fm, d := docFormFrom(r)
	d.SiteID = st.ID
	files, err := h.uploads(r)
	if err == nil {
		err = h.Documents.Create(r.Context(), &d)
	}
	if err == nil {
		for _, u := range files {
			if err = h.Documents.Attach(r.Context(), d.ID, u.name, bytes.NewReader(u.body)); err != nil {
				break
			}
		}
	}
	if err == nil {
		http.Redirect(w, r, "/quan-tri/trang/"+st.Code+"/van-ban/"+strconv.FormatInt(d.ID, 10)+"?da-luu=1", http.StatusSeeOther)
		return
	}
	p, verr := h.documentsView(r, st)
	if verr != nil {
		h.Error(w, r, verr)
		return
	}
	p.Form = fm
	v := &web.View{Req: q, Title: q.T("document.admin_title", st.Name), Page: p}
	v.Errors, v.Error = h.FieldErrors(r, err)
	h.render(w, r, web.StatusOf(err), "documents", v)
}

func (h *Handler) importDocuments(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	st := h.siteOf(r)
	rows, bad, err := importInput(r)
	var rep *bulk.Report
	if err == nil {
		rep, err = h.Documents.Import(r.Context(), st.ID, rows, bad, r.PostFormValue("partial") != "")
	}
	if err == nil && !rep.Failed() {
		http.Redirect(w, r, "/quan-tri/trang/"+st.Code+"/van-ban?da-nhap="+strconv.Itoa(rep.Imported), http.StatusSeeOther)
		return
	}
	p, verr := h.documentsView(r, st)
	if verr != nil {
		h.Error(w, r, verr)
		return
	}
	v := &web.View{Req: q, Title: q.T("document.admin_title", st.Name), Page: p}
	status := http.StatusUnprocessableEntity
	if err != nil {
		v.Errors, v.Error = h.FieldErrors(r, err)
		status = web.StatusOf(err)
	} else {
		p.Report, p.Imported = rep.Messages(q.Lang), rep.Imported
		v.Error = q.T("bulk.failed", len(rep.Errors), rep.Imported)
		if rep.Imported > 0 {
			status = http.StatusOK
		}
	}
	h.render(w, r, status, "documents", v)
}

type adminDocumentPage struct {
	helpers
	Site                   *site.Site
	Doc                    *document.Document
	Status                 document.Status
	Form                   docForm
	Version                int
	Types, Issuers, Fields []*document.Term
	Files                  []fileRow
	Relations              []document.Relation
	Kinds                  []string
	CanEdit, CanPublish    bool
	PublicURL              string
}

func (h *Handler) documentView(r *http.Request, st *site.Site) (*adminDocumentPage, error) {
	q := web.FromRequest(r)
	ctx := r.Context()
	d, err := h.Documents.Get(ctx, pathID(r, "doc"))
	if err != nil {
		return nil, err
	}
	if d.SiteID != st.ID {
		return nil, fault.New(fault.NotFound, "document.not_found")
	}
	p := &adminDocumentPage{Site: st, Doc: d, Status: d.StatusOn(h.Documents.Today()), Form: docFormOf(d), Version: d.Version,
		Kinds: document.RelationKinds, CanEdit: q.Actor.Can(access.EditDisclosure, st.ID), CanPublish: q.Actor.Can(access.PublishDisclosure, st.ID),
		PublicURL: q.SiteURL(st, d.Path())}
	p.Files, _ = fileRows(q, d.Files)
	for i := range p.Files {
		p.Files[i].URL = q.SiteURL(st, "/tep/"+strconv.FormatInt(p.Files[i].File.ID, 10)+"/"+urlName(p.Files[i].File.Name))
	}
	if p.Relations, err = h.Documents.Relations(ctx, d.ID, false); err != nil {
		return nil, err
	}
	if p.Types, err = h.Documents.Terms(ctx, document.ListType); err != nil {
		return nil, err
	}
	if p.Issuers, err = h.Documents.Terms(ctx, document.ListIssuer); err != nil {
		return nil, err
	}
	p.Fields, err = h.Documents.Terms(ctx, document.ListField)
	return p, err
}

func (h *Handler) adminDocument(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	p, err := h.documentView(r, h.siteOf(r))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	v := &web.View{Req: q, Title: p.Doc.Type + " " + p.Doc.Number, Page: p}
	if r.URL.Query().Get("da-luu") != "" {
		v.Flash = q.T("document.saved")
	}
	h.render(w, r, http.StatusOK, "document", v)
}

func (h *Handler) updateDocument(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	st := h.siteOf(r)
	id := pathID(r, "doc")
	fm, in := docFormFrom(r)
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	files, err := h.uploads(r)
	if err == nil {
		var d *document.Document
		if d, err = h.Documents.Get(r.Context(), id); err == nil && d.SiteID != st.ID {
			err = fault.New(fault.NotFound, "document.not_found")
		}
	}
	if err == nil {
		_, err = h.Documents.Update(r.Context(), id, version, in)
	}
	if err == nil {
		for _, u := range files {
			if err = h.Documents.Attach(r.Context(), id, u.name, bytes.NewReader(u.body)); err != nil {
				break
			}
		}
	}
	if err == nil {
		http.Redirect(w, r, "/quan-tri/trang/"+st.Code+"/van-ban/"+strconv.FormatInt(id, 10)+"?da-luu=1", http.StatusSeeOther)
		return
	}
	p, verr := h.documentView(r, st)
	if verr != nil {
		h.Error(w, r, verr)
		return
	}
	p.Form, p.Version = fm, version
	if fault.Is(err, fault.Conflict) {
		p.Version = p.Doc.Version
	}
	v := &web.View{Req: q, Title: p.Doc.Type + " " + p.Doc.Number, Page: p}
	v.Errors, v.Error = h.FieldErrors(r, err)
	h.render(w, r, web.StatusOf(err), "document", v)
}

func (h *Handler) publishDocument(w http.ResponseWriter, r *http.Request) {
	st := h.siteOf(r)
	id := pathID(r, "doc")
	d, err := h.Documents.Get(r.Context(), id)
	if err == nil && d.SiteID != st.ID {
		err = fault.New(fault.NotFound, "document.not_found")
	}
	if err == nil {
		_, err = h.Documents.SetPublished(r.Context(), id, r.PostFormValue("publish") != "0")
	}
	if err != nil {
		h.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/quan-tri/trang/"+st.Code+"/van-ban/"+strconv.FormatInt(id, 10)+"?da-luu=1", http.StatusSeeOther)
}

// relateDocument links the document to another, found by its number.
func (h *Handler) relateDocument(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	st := h.siteOf(r)
	id := pathID(r, "doc")
	ctx := r.Context()
	err := func() error {
		d, err := h.Documents.Get(ctx, id)
		if err != nil {
			return err
		}
		if d.SiteID != st.ID {
			return fault.New(fault.NotFound, "document.not_found")
		}
		if r.PostFormValue("remove") != "" {
			return h.Documents.Unrelate(ctx, document.Relation{FromID: id, ToID: formID(r, "to_id"), Kind: r.PostFormValue("kind")})
		}
		number := strings.TrimSpace(r.PostFormValue("to"))
		if number == "" {
			return fault.OnField("to", "document.relation_target_required")
		}
		res, err := h.Documents.Search(ctx, document.Query{Text: number, Limit: 2})
		if err != nil {
			return err
		}
		if !res.ByNumber || len(res.Docs) == 0 {
			return fault.OnField("to", "document.relation_target_unknown", number)
		}
		target := res.Docs[0]
		for _, x := range res.Docs {
			if document.NumberKey(x.Number) == document.NumberKey(number) {
				target = x
				break
			}
		}
		return h.Documents.Relate(ctx, document.Relation{FromID: id, ToID: target.ID, Kind: r.PostFormValue("kind")})
	}()
	if err == nil {
		http.Redirect(w, r, "/quan-tri/trang/"+st.Code+"/van-ban/"+strconv.FormatInt(id, 10)+"?da-luu=1", http.StatusSeeOther)
		return
	}
	p, verr := h.documentView(r, st)
	if verr != nil {
		h.Error(w, r, err)
		return
	}
	v := &web.View{Req: q, Title: p.Doc.Type + " " + p.Doc.Number, Page: p}
	v.Errors, v.Error = h.FieldErrors(r, err)
	h.render(w, r, web.StatusOf(err), "document", v)
}

type termsPage struct {
	Lists   []string
	Terms   map[string][]*document.Term
	CanEdit bool
	Form    map[string]string
}

func (h *Handler) termsView(r *http.Request) (*termsPage, error) {
	q := web.FromRequest(r)
	p := &termsPage{Lists: document.Lists, Terms: map[string][]*document.Term{}, CanEdit: q.Actor.Can(access.ManageDocTerms, 0), Form: map[string]string{}}
	for _, l := range document.Lists {
		ts, err := h.Documents.Terms(r.Context(), l)
		if err != nil {
			return nil, err
		}
		p.Terms[l] = ts
	}
	return p, nil
}

func (h *Handler) adminTerms(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	p, err := h.termsView(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	v := &web.View{Req: q, Title: q.T("document.terms_title"), Page: p}
	if r.URL.Query().Get("da-luu") != "" {
		v.Flash = q.T("document.term_saved")
	}
	h.render(w, r, http.StatusOK, "doc_terms", v)
}

func (h *Handler) addTerm(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	t := &document.Term{List: r.PostFormValue("list"), Name: r.PostFormValue("name"), NameEn: r.PostFormValue("name_en")}
	err := h.Documents.AddTerm(r.Context(), t)
	if err == nil {
		http.Redirect(w, r, "/quan-tri/danh-muc-van-ban?da-luu=1", http.StatusSeeOther)
		return
	}
	p, verr := h.termsView(r)
	if verr != nil {
		h.Error(w, r, verr)
		return
	}
	p.Form = map[string]string{"list": t.List, "name": r.PostFormValue("name"), "name_en": r.PostFormValue("name_en")}
	v := &web.View{Req: q, Title: q.T("document.terms_title"), Page: p}
	v.Errors, v.Error = h.FieldErrors(r, err)
	h.render(w, r, web.StatusOf(err), "doc_terms", v)
}
