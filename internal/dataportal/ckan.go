package dataportal

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/i18n"
	"github.com/congvn/cong/internal/web"
)

// The CKAN Action API (version 3): the same envelope, error types and
// statuses as CKAN, so ckanapi, ckanext-harvest and other clients work
// unchanged. Read actions answer GET and POST (ckanapi POSTs everything);
// writes need POST and a token of a data publisher, sent raw in
// Authorization (as CKAN clients do) or as a Bearer token. The API answers
// on every host (/api/ is host-free), with links to the data portal.

// call is one action request.
type call struct {
	r      *http.Request
	q      *web.Req
	params map[string]any
	upload *multipart.Part // the file of resource_create/resource_patch
	mr     *multipart.Reader
}

// action is one Action API function.
type action struct {
	fn    func(h *Handler, c *call) (any, error)
	write bool
	doc   string
}

// ckanError is an error answer with CKAN's __type.
type ckanError struct {
	status int
	typ    string
	fields map[string]any
}

func (e *ckanError) Error() string { return e.typ }

func (h *Handler) apiVersion(w http.ResponseWriter, r *http.Request) {
	web.JSON(w, http.StatusOK, map[string]int{"version": 3})
}

// badRequest answers as CKAN does for requests it cannot read: 400 with a
// JSON string, not an envelope.
func badRequest(w http.ResponseWriter, msg string) {
	web.JSON(w, http.StatusBadRequest, "Bad request - "+msg)
}

func (h *Handler) action(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	if strings.HasPrefix(r.Header.Get("Accept-Language"), "en") {
		q.Lang = "en"
	} else {
		q.Lang = i18n.Default
	}
	name := r.PathValue("action")
	act, ok := actions[name]
	if !ok {
		badRequest(w, "Action name not known: "+name)
		return
	}
	env := map[string]any{"help": dataURL(q, "/api/3/action/help_show?name="+url.QueryEscape(name))}
	c := &call{r: r, q: q, params: map[string]any{}}
	if act.write && r.Method != http.MethodPost {
		badRequest(w, "JSON Error: Invalid request. Please use POST method for your request")
		return
	}
	if err := c.read(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			web.JSON(w, http.StatusRequestEntityTooLarge, "Bad request - "+q.T("error.too_large", tooBig.Limit/1024))
			return
		}
		badRequest(w, "JSON Error: "+err.Error())
		return
	}
	ctx := r.Context()
	if tok := apiToken(r); tok != "" {
		actor, err := h.Staff.ActorForToken(ctx, tok, q.Addr)
		if err != nil {
			h.fail(w, q, env, &ckanError{status: http.StatusForbidden, typ: "Authorization Error", fields: map[string]any{"message": "Access denied: " + q.T("token.invalid")}})
			return
		}
		q.Actor = actor
		ctx = access.With(ctx, actor)
		c.r = r.WithContext(ctx)
	}
	res, err := act.fn(h, c)
	if err != nil {
		h.fail(w, q, env, err)
		return
	}
	env["success"] = true
	env["result"] = res
	if act.write {
		w.Header().Set("Cache-Control", "no-store")
	}
	web.JSON(w, http.StatusOK, env)
}

// apiToken returns the API token of a request: the Authorization header's
// value, raw or after "Bearer", or CKAN's older X-CKAN-API-Key.
func apiToken(r *http.Request) string {
	v := strings.TrimSpace(r.Header.Get("Authorization"))
	if v == "" {
		v = strings.TrimSpace(r.Header.Get("X-CKAN-API-Key"))
	}
	if scheme, tok, ok := strings.Cut(v, " "); ok && strings.EqualFold(scheme, "Bearer") {
		v = strings.TrimSpace(tok)
	}
	return v
}

// fail writes an error in CKAN's envelope, with CKAN's status for its type.
func (h *Handler) fail(w http.ResponseWriter, q *web.Req, env map[string]any, err error) {
	ce := h.ckanErr(q, err)
	e := map[string]any{"__type": ce.typ}
	for k, v := range ce.fields {
		e[k] = v
	}
	env["success"] = false
	env["error"] = e
	w.Header().Set("Cache-Control", "no-store")
	web.JSON(w, ce.status, env)
}

func (h *Handler) ckanErr(q *web.Req, err error) *ckanError {
	var ce *ckanError
	if errors.As(err, &ce) {
		return ce
	}
	msg := func(e *fault.Error) string { return q.T(e.Key, e.Args...) }
	if l, ok := err.(fault.List); ok {
		fields := map[string]any{}
		for _, e := range l {
			f := e.Field
			if f == "" {
				f = "message"
			}
			list, _ := fields[f].([]string)
			fields[f] = append(list, msg(e))
		}
		return &ckanError{status: http.StatusConflict, typ: "Validation Error", fields: fields}
	}
	e := fault.As(err)
	if e == nil || e.Kind == fault.Internal {
		h.Logger.Error("ckan api", "err", err, "path", q.Path)
		return &ckanError{status: http.StatusInternalServerError, typ: "Internal Server Error", fields: map[string]any{"message": "Internal Server Error"}}
	}
	switch {
	case e.Key == "data.sort_invalid":
		return &ckanError{status: http.StatusBadRequest, typ: "Search Query Error", fields: map[string]any{"message": "Search Query is invalid: " + msg(e)}}
	case strings.HasPrefix(e.Key, "data.query_"):
		return &ckanError{status: http.StatusConflict, typ: "Search Error", fields: map[string]any{"message": "Search error: " + msg(e)}}
	}
	switch e.Kind {
	case fault.NotFound, fault.Gone:
		return &ckanError{status: http.StatusNotFound, typ: "Not Found Error", fields: map[string]any{"message": "Not found: " + msg(e)}}
	case fault.Unauthorized, fault.Forbidden:
		return &ckanError{status: http.StatusForbidden, typ: "Authorization Error", fields: map[string]any{"message": "Access denied: " + msg(e)}}
	case fault.TooMany:
		return &ckanError{status: http.StatusTooManyRequests, typ: "Rate Limit Error", fields: map[string]any{"message": msg(e)}}
	}
	f := e.Field
	if f == "" {
		f = "message"
		return &ckanError{status: http.StatusConflict, typ: "Validation Error", fields: map[string]any{f: msg(e)}}
	}
	return &ckanError{status: http.StatusConflict, typ: "Validation Error", fields: map[string]any{f: []string{msg(e)}}}
}

// validation returns a CKAN validation error on one field.
func validation(field, msg string) error {
	return &ckanError{status: http.StatusConflict, typ: "Validation Error", fields: map[string]any{field: []string{msg}}}
}

// read collects the parameters as CKAN does: the query string for GET, a
// JSON object, a form, or a multipart form (whose file is kept for the
// action to stream).
func (c *call) read() error {
	r := c.r
	if r.Method == http.MethodGet {
		for k, vs := range r.URL.Query() {
			if len(vs) == 1 {
				c.params[k] = vs[0]
			} else {
				list := make([]any, len(vs))
				for i, v := range vs {
					list[i] = v
				}
				c.params[k] = list
			}
		}
		return nil
	}
	ct := r.Header.Get("Content-Type")
	switch {
	case strings.HasPrefix(ct, "multipart/form-data"):
		mr, err := r.MultipartReader()
		if err != nil {
			return err
		}
		c.mr = mr
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			if p.FileName() != "" {
				// The file comes last in CKAN clients' forms; what follows
				// it is not read.
				c.upload = p
				return nil
			}
			b, err := io.ReadAll(io.LimitReader(p, 1<<20))
			if err != nil {
				return err
			}
			c.params[p.FormName()] = string(b)
		}
	case strings.HasPrefix(ct, "application/x-www-form-urlencoded"):
		if err := r.ParseForm(); err != nil {
			return err
		}
		if len(r.PostForm) == 1 {
			for k, vs := range r.PostForm {
				if len(vs) == 1 && (vs[0] == "" || vs[0] == "1") && strings.HasPrefix(strings.TrimSpace(k), "{") {
					return c.decode(strings.NewReader(k))
				}
			}
		}
		for k, vs := range r.PostForm {
			c.params[k] = vs[0]
		}
		return nil
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return err
	}
	if strings.TrimSpace(string(body)) == "" {
		return nil
	}
	return c.decode(strings.NewReader(string(body)))
}

func (c *call) decode(r io.Reader) error {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return fmt.Errorf("Error decoding JSON data. Error: %v", err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("Request data JSON decoded to %v but it needs to be a dictionary.", v)
	}
	c.params = m
	return nil
}

func (c *call) ctx() context.Context { return c.r.Context() }

// str returns a string parameter.
func (c *call) str(k string) string {
	switch v := c.params[k].(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		if v {
			return "true"
		}
		return "false"
	}
	return ""
}

// has reports whether a parameter was given.
func (c *call) has(k string) bool { _, ok := c.params[k]; return ok }

// integer reads a non-negative integer parameter, def when absent.
func (c *call) integer(k string, def int) (int, error) {
	if !c.has(k) {
		return def, nil
	}
	var n int
	if _, err := fmt.Sscan(c.str(k), &n); err != nil || n < 0 || c.str(k) == "" {
		return 0, validation(k, "Invalid integer")
	}
	return n, nil
}

// boolean reads a boolean parameter as CKAN's asbool does.
func (c *call) boolean(k string, def bool) bool {
	if !c.has(k) {
		return def
	}
	switch strings.ToLower(c.str(k)) {
	case "true", "1", "yes", "on", "y", "t":
		return true
	}
	return false
}

// list reads a parameter that may be a JSON list, a JSON-encoded list in a
// string, or a comma-separated string.
func (c *call) list(k string) ([]string, error) {
	v, ok := c.params[k]
	if !ok {
		return nil, nil
	}
	var raw []any
	switch x := v.(type) {
	case []any:
		raw = x
	case string:
		s := strings.TrimSpace(x)
		if strings.HasPrefix(s, "[") {
			if err := json.Unmarshal([]byte(s), &raw); err != nil {
				return nil, validation(k, "Not a list")
			}
		} else {
			var out []string
			for _, p := range strings.Split(s, ",") {
				if p = strings.TrimSpace(p); p != "" {
					out = append(out, p)
				}
			}
			return out, nil
		}
	default:
		return nil, validation(k, "Not a list")
	}
	var out []string
	for _, x := range raw {
		s, ok := x.(string)
		if !ok {
			return nil, validation(k, "Not a list of strings")
		}
		out = append(out, s)
	}
	return out, nil
}

// object reads a parameter that is a JSON object, or a string holding one.
func (c *call) object(k string) (map[string]any, error) {
	v, ok := c.params[k]
	if !ok {
		return nil, nil
	}
	switch x := v.(type) {
	case map[string]any:
		return x, nil
	case string:
		if strings.TrimSpace(x) == "" {
			return nil, nil
		}
		dec := json.NewDecoder(strings.NewReader(x))
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			return nil, validation(k, "Cannot parse JSON")
		}
		return m, nil
	}
	return nil, validation(k, "Not a JSON object")
}
