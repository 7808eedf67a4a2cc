package feedbackweb

import (
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/feedback"
	"github.com/congvn/cong/internal/web"
)

// option is a choice in a select.
type option struct {
	Value, Label string
}

type formPage struct {
	Kind       feedback.Kind
	Action     string
	Categories []option
	Form       map[string]string
	Challenge  string
	PowBits    int
	MaxFiles   int
	MaxMB      int
}

func (h *Handler) categories(lang string) []option {
	var out []option
	for _, c := range h.svc.Policy.Categories {
		out = append(out, option{c.Code, h.svc.Policy.CategoryName(c.Code, lang)})
	}
	return out
}

func kindPath(k feedback.Kind) string {
	if k == feedback.Question {
		return "/hoi-dap"
	}
	return "/phan-anh"
}

func (h *Handler) formView(r *http.Request, k feedback.Kind, form map[string]string) *web.View {
	q := web.FromRequest(r)
	p := &formPage{Kind: k, Action: q.URL(kindPath(k) + "/gui"), Categories: h.categories(q.Lang), Form: form,
		Challenge: h.pow.Challenge(q.Now), PowBits: h.pow.Bits, MaxFiles: feedback.MaxFiles, MaxMB: feedback.MaxFileBytes >> 20}
	return &web.View{Title: q.T("feedback.form_title." + string(k)), Page: p, NoIndex: true}
}

func (h *Handler) form(k feedback.Kind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		h.Page(w, r, "pages/feedback_form", h.formView(r, k, map[string]string{}))
	}
}

// readForm parses a form that may carry files, answering itself (413,
// 400) when it cannot.
func (h *Handler) readForm(w http.ResponseWriter, r *http.Request) bool {
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		err = r.ParseMultipartForm(2 << 20)
	} else {
		err = r.ParseForm()
	}
	if err == nil {
		return true
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		h.ErrorPage(w, r, http.StatusRequestEntityTooLarge, "feedback.upload_too_large", MaxUpload>>20)
		return false
	}
	h.ErrorPage(w, r, http.StatusBadRequest, "error.bad_form")
	return false
}

// uploads reads the files of a form field.
func uploads(r *http.Request, field string) ([]feedback.Upload, error) {
	if r.MultipartForm == nil {
		return nil, nil
	}
	var out []feedback.Upload
	for i, fh := range r.MultipartForm.File[field] {
		if fh.Filename == "" && fh.Size == 0 {
			continue
		}
		if i >= feedback.MaxFiles+1 {
			return nil, fault.OnField(field, "feedback.too_many_files", feedback.MaxFiles)
		}
		if fh.Size > feedback.MaxFileBytes {
			return nil, fault.OnField(field, "feedback.file_too_large", fh.Filename, feedback.MaxFileBytes>>20)
		}
		data, err := readPart(fh)
		if err != nil {
			return nil, err
		}
		out = append(out, feedback.Upload{Name: fh.Filename, Type: fh.Header.Get("Content-Type"), Data: data})
	}
	return out, nil
}

func readPart(fh *multipart.FileHeader) ([]byte, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, feedback.MaxFileBytes+1))
}

// uploadStatus is the status of a refused attachment: 413 when it is too
// large, 422 when it is not what it claims to be.
func uploadStatus(err error) int {
	if e := fault.As(err); e != nil && e.Key == "feedback.file_too_large" {
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusUnprocessableEntity
}

// formValues keeps what was typed, to show it again with the errors.
func formValues(r *http.Request) map[string]string {
	out := map[string]string{}
	for k, v := range r.PostForm {
		if len(v) > 0 && k != "pow_challenge" && k != "pow_nonce" {
			out[k] = v[0]
		}
	}
	return out
}

func parseFloat(s string) (float64, bool) {
	s = strings.TrimSpace(strings.ReplaceAll(s, ",", "."))
	if s == "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// Admit is the gate of the public forms, before anything is read or
// stored: the limit per client address, then the proof of work; a form
// without a valid one (forged, expired, replayed, or no JavaScript) is
// admitted as unverified under the stricter limit. It returns
// fault.TooMany when addr is over its limit.
func (h *Handler) Admit(addr, challenge, nonce string, now time.Time) (verified bool, err error) {
	if ok, _ := h.byAddr.Allow(addr); !ok {
		return false, fault.New(fault.TooMany, "feedback.too_many_addr")
	}
	verified = h.pow.Bits == 0 || h.pow.Verify(challenge, nonce, now)
	if !verified {
		if ok, _ := h.unverified.Allow(addr); !ok {
			return false, fault.New(fault.TooMany, "feedback.too_many_unverified")
		}
	}
	return verified, nil
}

// Challenge returns a fresh proof-of-work challenge, as the forms carry
// (for load generators and tests; solve it with Solve).
func (h *Handler) Challenge(now time.Time) string { return h.pow.Challenge(now) }

func (h *Handler) submit(k feedback.Kind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := web.FromRequest(r)
		w.Header().Set("Cache-Control", "no-store")
		if !h.readForm(w, r) {
			return
		}
		f := r.PostFormValue
		fail := func(status int, err error) {
			v := h.formView(r, k, formValues(r))
			v.Errors, v.Error = h.FieldErrors(r, err)
			h.Render(w, r, status, "pages/feedback_form", v)
		}
		// The honeypot: a field people never see, which form-filling robots
		// fill in.
		if f("website") != "" {
			fail(http.StatusBadRequest, fault.New(fault.Invalid, "feedback.bot"))
			return
		}
		verified, err := h.Admit(q.Addr, f("pow_challenge"), f("pow_nonce"), q.Now)
		if err != nil {
			fail(http.StatusTooManyRequests, err)
			return
		}
		files, err := uploads(r, "files")
		if err != nil {
			fail(uploadStatus(err), err)
			return
		}
		in := feedback.Submission{
			Kind: k, SiteID: q.Site.ID, Category: f("category"), Title: f("title"), Body: f("body"),
			Address: f("address"), Name: f("name"), Phone: f("phone"), Email: f("email"),
			Consent: f("consent") == "1", Notify: f("notify") == "1", Files: files, Verified: verified, Source: "web",
		}
		lat, okLat := parseFloat(f("lat"))
		lon, okLon := parseFloat(f("lon"))
		if okLat || okLon {
			in.Lat, in.Lon, in.HasPoint = lat, lon, true
			if !okLat || !okLon {
				in.Lat = 1000 // reported as an invalid point
			}
		}
		it, err := h.svc.Submit(h.citizen(r), in)
		if err != nil {
			fail(web.StatusOf(err), err)
			return
		}
		// Committed: only now is the code shown.
		http.Redirect(w, r, q.URL("/tra-cuu")+"?ma="+url.QueryEscape(it.Code)+"&moi=1", http.StatusSeeOther)
	}
}
