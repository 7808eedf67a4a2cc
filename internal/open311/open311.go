// Package open311 serves Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2)
// at /open311/v2/ on every site: discovery, the services (the feedback
// categories) and their definitions, posting a request (form-encoded; an
// api_key identifies an application and its rate, the public rate applies
// without one), listing requests and reading one, tokens, and mySociety's
// service request updates extension. JSON and XML. Public views never show
// who sent a request: contacts are left out, the text is the redacted copy,
// and points are rounded to about 100 m.
package open311

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/feedback"
	"github.com/congvn/cong/internal/throttle"
	"github.com/congvn/cong/internal/web"
)

// Key is an application allowed to post requests at its own rate.
type Key struct {
	ID        int64
	Name      string
	Prefix    string
	PerMinute int
	CreatedAt time.Time
	Revoked   bool
	RevokedAt time.Time
}

// Keys stores application keys (by hash).
type Keys interface {
	Open311Key(ctx context.Context, hash string) (*Key, error)
	CreateOpen311Key(ctx context.Context, k *Key, hash string) error
}

// NewKey creates an application key and returns it (shown once).
func NewKey(ctx context.Context, keys Keys, name string, perMinute int) (string, *Key, error) {
	b := make([]byte, 20)
	rand.Read(b)
	secret := "o311_" + hex.EncodeToString(b)
	k := &Key{Name: name, Prefix: secret[:9], PerMinute: perMinute, CreatedAt: time.Now().UTC()}
	if err := keys.CreateOpen311Key(ctx, k, hashKey(secret)); err != nil {
		return "", nil, err
	}
	return secret, k, nil
}

func hashKey(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// Handler serves /open311/v2/.
type Handler struct {
	*web.Server
	svc  *feedback.Service
	keys Keys

	// anon limits posts without a key per client address.
	anon *throttle.Limiter

	mu    sync.Mutex
	byKey map[int64]*throttle.Limiter
}

// New returns the Open311 handler.
func New(s *web.Server, svc *feedback.Service, keys Keys) *Handler {
	return &Handler{Server: s, svc: svc, keys: keys, anon: throttle.New(5, time.Minute), byKey: map[int64]*throttle.Limiter{}}
}

// Routes lists the Open311 routes. Their paths end in .json or .xml, so a
// route takes the whole last segment.
func (h *Handler) Routes() []web.Route {
	return []web.Route{
		{Method: "GET", Pattern: "/open311/v2/{file}", Handler: h.top},
		{Method: "POST", Pattern: "/open311/v2/{file}", Handler: h.post},
		{Method: "GET", Pattern: "/open311/v2/services/{file}", Handler: h.definition},
		{Method: "GET", Pattern: "/open311/v2/requests/{file}", Handler: h.request},
		{Method: "GET", Pattern: "/open311/v2/tokens/{file}", Handler: h.token},
	}
}

// PublicPosts lists the routes that change state without signing in.
var PublicPosts = []string{"POST /open311/v2/{file}"}

// split takes "requests.json" apart; ok is false for an unknown format.
func split(file string) (name, format string, ok bool) {
	name, format, found := strings.Cut(file, ".")
	if !found {
		return file, "json", true
	}
	return name, format, format == "json" || format == "xml"
}

// apiError is one error of the spec's error list.
type apiError struct {
	XMLName     xml.Name `json:"-" xml:"error"`
	Code        int      `json:"code" xml:"code"`
	Description string   `json:"description" xml:"description"`
}

type errorList struct {
	XMLName xml.Name   `xml:"errors"`
	Errors  []apiError `xml:"error"`
}

// write sends v as JSON or XML. For XML, v is the document's root.
func write(w http.ResponseWriter, format string, status int, jsonV, xmlV any) {
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	if format == "xml" {
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		w.WriteHeader(status)
		w.Write([]byte(xml.Header))
		enc := xml.NewEncoder(w)
		enc.Encode(xmlV)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(jsonV)
}

func (h *Handler) fail(w http.ResponseWriter, r *http.Request, format string, status int, key string, args ...any) {
	q := web.FromRequest(r)
	e := apiError{Code: status, Description: q.T(key, args...)}
	write(w, format, status, []apiError{e}, errorList{Errors: []apiError{e}})
}

// params names the form's fields as Open311 calls them, for errors.
var params = map[string]string{"body": "description", "title": "description", "name": "first_name", "address": "address_string",
	"category": "service_code", "files": "media_url"}

func param(field string) string {
	if p, ok := params[field]; ok {
		return p
	}
	return field
}

// failErr answers a service error with the spec's statuses: 400 for bad
// input, 403, 404, and 429 when throttled.
func (h *Handler) failErr(w http.ResponseWriter, r *http.Request, format string, err error) {
	status := web.StatusOf(err)
	switch status {
	case http.StatusUnprocessableEntity, http.StatusConflict:
		status = http.StatusBadRequest
	case http.StatusUnauthorized:
		status = http.StatusForbidden
	}
	q := web.FromRequest(r)
	msg := h.Message(r, err)
	if l, ok := err.(fault.List); ok {
		var es []apiError
		for _, e := range l {
			d := q.T(e.Key, e.Args...)
			if e.Field != "" {
				d = param(e.Field) + ": " + d
			}
			es = append(es, apiError{Code: status, Description: d})
		}
		write(w, format, status, es, errorList{Errors: es})
		return
	}
	e := apiError{Code: status, Description: msg}
	write(w, format, status, []apiError{e}, errorList{Errors: []apiError{e}})
}
