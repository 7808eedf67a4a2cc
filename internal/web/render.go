package web

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"regexp"
	"strings"
	"sync"

	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/i18n"
)

//go:embed templates
var templateFS embed.FS

// Templates holds one template set per page: the page's own file with the
// layout and the partials. A set is parsed when its page is first rendered:
// parsed sets are big (the partials of every part, copied into each), and
// a server renders a few dozen kinds of pages, not all of them.
type Templates struct {
	sets map[string]*lazySet
}

type lazySet struct {
	once         sync.Once
	layout, file string
	t            *template.Template
	err          error
}

func (l *lazySet) get() (*template.Template, error) {
	l.once.Do(func() {
		l.t, l.err = template.New(l.layout).Funcs(funcs).ParseFS(templateFS,
			"templates/"+l.layout, "templates/partials*.html", l.file)
		if l.err != nil {
			l.err = fmt.Errorf("web: template %s: %w", l.file, l.err)
		}
	})
	return l.t, l.err
}

var funcs = template.FuncMap{
	"join":  strings.Join,
	"asset": assetURL,
	"add":   func(a, b int) int { return a + b },
	"sub":   func(a, b int) int { return a - b },
	"dict": func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[fmt.Sprint(kv[i])] = kv[i+1]
		}
		return m
	},
	"langName": func(l string) string { return i18n.T(l, "lang.self") },
	"int64":    func(i int) int64 { return int64(i) },
}

// LoadTemplates parses the embedded templates: pages/NAME.html with
// layout.html, admin/NAME.html with admin_layout.html, each with partials.
func LoadTemplates() (*Templates, error) {
	if err := uniquePartials(); err != nil {
		return nil, err
	}
	t := &Templates{sets: map[string]*lazySet{}}
	for dir, layout := range map[string]string{"pages": "layout.html", "admin": "admin_layout.html"} {
		// The layout and partials are checked now (a mistake there stops
		// the start); each page's own file when it is first needed (tests
		// parse them all: ParseAll).
		if _, err := template.New(layout).Funcs(funcs).ParseFS(templateFS, "templates/"+layout, "templates/partials*.html"); err != nil {
			return nil, fmt.Errorf("web: template %s: %w", layout, err)
		}
		names, err := fs.Glob(templateFS, "templates/"+dir+"/*.html")
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			t.sets[dir+"/"+strings.TrimSuffix(path.Base(n), ".html")] = &lazySet{layout: layout, file: n}
		}
	}
	return t, nil
}

// ParseAll parses every page's set now, returning the first error.
func (t *Templates) ParseAll() error {
	for _, l := range t.sets {
		if _, err := l.get(); err != nil {
			return err
		}
	}
	return nil
}

var defineRE = regexp.MustCompile(`{{-?\s*define\s+"([^"]+)"`)

// uniquePartials refuses two partials files defining the same template:
// html/template would silently keep the last one, and the pages of another
// part would render with a stranger's partial.
func uniquePartials() error {
	files, err := fs.Glob(templateFS, "templates/partials*.html")
	if err != nil {
		return err
	}
	seen := map[string]string{}
	for _, f := range files {
		b, err := templateFS.ReadFile(f)
		if err != nil {
			return err
		}
		for _, m := range defineRE.FindAllStringSubmatch(string(b), -1) {
			if prev, dup := seen[m[1]]; dup {
				return fmt.Errorf("web: template %q is defined in both %s and %s", m[1], prev, f)
			}
			seen[m[1]] = f
		}
	}
	return nil
}

// Names lists the page templates, for tests that render every one.
func (t *Templates) Names() []string {
	var out []string
	for n := range t.sets {
		out = append(out, n)
	}
	return out
}

// View is what a page template sees: the request (site, language, links),
// the page's title and data, and form errors.
type View struct {
	*Req
	Title   string
	Page    any
	Errors  map[string]string // form field -> message
	Error   string            // a message for the whole form
	Flash   string
	NoIndex bool
}

// FieldError returns the message for a form field, or "".
func (v *View) FieldError(field string) string { return v.Errors[field] }

// Render writes page name with status.
func (s *Server) Render(w http.ResponseWriter, r *http.Request, status int, name string, v *View) {
	if v.Req == nil {
		v.Req = FromRequest(r)
	}
	lazy := s.pages.sets[name]
	if lazy == nil {
		s.Logger.Error("no template", "name", name)
		http.Error(w, "template missing", http.StatusInternalServerError)
		return
	}
	set, err := lazy.get()
	if err != nil {
		s.Logger.Error("template", "name", name, "err", err)
		http.Error(w, "template broken", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := set.Execute(&buf, v); err != nil {
		s.Logger.Error("render", "template", name, "err", err)
		if name != "pages/error" {
			s.ErrorPage(w, r, http.StatusInternalServerError, "error.internal")
			return
		}
		http.Error(w, "Lỗi hệ thống", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", v.Lang)
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-cache")
	}
	if v.cacheTags != nil && status == http.StatusOK && s.cache != nil {
		s.cache.put(v.Req, r, h, buf.Bytes())
	}
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
}

// Page renders a public page and counts it as a visit to the site.
func (s *Server) Page(w http.ResponseWriter, r *http.Request, name string, v *View) {
	q := FromRequest(r)
	if q.Site != nil && s.Visits != nil && r.Method == http.MethodGet {
		s.Visits.Hit(q.Site.ID)
	}
	s.Render(w, r, http.StatusOK, name, v)
}

// Visits returns a site's page views, for the footer.
func (q *Req) Visits() int64 {
	if q.srv == nil || q.srv.Deps.Visits == nil || q.Site == nil {
		return 0
	}
	return q.srv.Deps.Visits.Total(q.Site.ID)
}

// errorInfo is what the error page shows.
type errorInfo struct {
	Status  int
	Heading string
	Message string
}

// ErrorPage renders the error page with a status and a catalog message.
func (s *Server) ErrorPage(w http.ResponseWriter, r *http.Request, status int, key string, args ...any) {
	s.errorPage(w, r, status, FromRequest(r).T(key, args...))
}

// errorPage renders the error page with a status and a translated message,
// never cached.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, msg string) {
	q := FromRequest(r)
	if q.Site == nil && q.Dir != nil {
		q.Site = q.Dir.City
	}
	heading := q.T(fmt.Sprintf("status.%d", status))
	w.Header().Set("Cache-Control", "no-store")
	s.Render(w, r, status, "pages/error", &View{
		Title: heading, NoIndex: true,
		Page: errorInfo{Status: status, Heading: heading, Message: msg},
	})
}

// StatusOf maps a service error to an HTTP status.
func StatusOf(err error) int {
	switch fault.KindOf(err) {
	case fault.Invalid:
		return http.StatusUnprocessableEntity
	case fault.NotFound:
		return http.StatusNotFound
	case fault.Conflict:
		return http.StatusConflict
	case fault.Unauthorized:
		return http.StatusUnauthorized
	case fault.Forbidden:
		return http.StatusForbidden
	case fault.TooMany:
		return http.StatusTooManyRequests
	case fault.Gone:
		return http.StatusGone
	}
	return http.StatusInternalServerError
}

// Message translates a service error for the user; internal errors are
// logged and shown as a generic message, never in detail.
func (s *Server) Message(r *http.Request, err error) string {
	q := FromRequest(r)
	if e := fault.As(err); e != nil && e.Kind != fault.Internal {
		return q.T(e.Key, e.Args...)
	}
	if l, ok := err.(fault.List); ok && len(l) > 0 {
		return q.T(l[0].Key, l[0].Args...)
	}
	s.Logger.Error("internal error", "err", err, "path", r.URL.Path)
	return q.T("error.internal")
}

// FieldErrors translates the field errors in err, and returns the message
// of any error not tied to a field.
func (s *Server) FieldErrors(r *http.Request, err error) (map[string]string, string) {
	q := FromRequest(r)
	out := map[string]string{}
	var list fault.List
	switch e := err.(type) {
	case fault.List:
		list = e
	case *fault.Error:
		list = fault.List{e}
	default:
		if fe := fault.As(err); fe != nil {
			list = fault.List{fe}
		} else {
			return out, s.Message(r, err)
		}
	}
	var general string
	for _, e := range list {
		msg := q.T(e.Key, e.Args...)
		if e.Field == "" {
			general = msg
			continue
		}
		if _, seen := out[e.Field]; !seen {
			out[e.Field] = msg
		}
	}
	if general == "" && len(out) > 0 {
		general = q.T("form.has_errors")
	}
	return out, general
}

// Error renders the error page for a service error.
func (s *Server) Error(w http.ResponseWriter, r *http.Request, err error) {
	status := StatusOf(err)
	if status == http.StatusUnprocessableEntity {
		status = http.StatusBadRequest
	}
	s.errorPage(w, r, status, s.Message(r, err))
}

// JSON writes v as JSON with status.
func JSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v)
}

// APIError is the body of every error answer of /api/v1.
type APIError struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields,omitempty"`
	} `json:"error"`
}

// JSONError writes an API error.
func JSONError(w http.ResponseWriter, status int, code, message string) {
	var e APIError
	e.Error.Code, e.Error.Message = code, message
	JSON(w, status, e)
}

// JSONFault writes a service error as an API error.
func (s *Server) JSONFault(w http.ResponseWriter, r *http.Request, err error) {
	status := StatusOf(err)
	if status == http.StatusUnprocessableEntity {
		status = http.StatusBadRequest
	}
	var e APIError
	e.Error.Code = string(fault.KindOf(err))
	e.Error.Message = s.Message(r, err)
	if fields, general := s.FieldErrors(r, err); len(fields) > 0 {
		e.Error.Fields = fields
		e.Error.Message = general
	}
	JSON(w, status, e)
}
