// Package feedbackweb is the web side of citizen feedback and questions:
// on every site, the forms (/phan-anh/gui, /hoi-dap/gui), tracking by code
// (/tra-cuu), the published answers (/phan-anh, /hoi-dap, the Q&A knowledge
// base by field) and the statistics (/phan-anh/thong-ke); in the staff
// interface, each unit's desk (/quan-tri/phan-anh/SITE/): the queue, an
// item with its actions, statistics and the Excel report. Handlers only
// translate HTTP to the feedback service.
package feedbackweb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/feedback"
	"github.com/congvn/cong/internal/throttle"
	"github.com/congvn/cong/internal/web"
)

// Settings is where the proof-of-work key is kept, shared by every node.
type Settings interface {
	Setting(ctx context.Context, key string) (string, error)
	SetSetting(ctx context.Context, key, value string) error
}

// DefaultPowBits is the default difficulty of the forms' proof of work:
// about 65,000 hashes, a fraction of a second in a phone's browser.
const DefaultPowBits = 16

// Handler serves the feedback pages.
type Handler struct {
	*web.Server
	svc   *feedback.Service
	pow   *pow
	cache *cache

	// byAddr limits submissions per client address: a flood from one
	// address is throttled while other addresses get through. unverified
	// is the stricter limit for forms sent without the proof of work.
	byAddr     *throttle.Limiter
	unverified *throttle.Limiter
	// lookups limits tracking-code lookups per address, so codes cannot be
	// guessed by trying.
	lookups *throttle.Limiter
}

// New returns the feedback pages and adds their menu entries.
func New(ctx context.Context, s *web.Server, svc *feedback.Service, settings Settings) (*Handler, error) {
	key, err := settings.Setting(ctx, "feedback.pow_key")
	if err != nil || len(key) < 32 {
		b := make([]byte, 32)
		rand.Read(b)
		if err := settings.SetSetting(ctx, "feedback.pow_key", hex.EncodeToString(b)); err != nil {
			return nil, err
		}
		if key, err = settings.Setting(ctx, "feedback.pow_key"); err != nil {
			return nil, err
		}
	}
	h := &Handler{
		Server: s, svc: svc,
		pow:        newPow([]byte(key), DefaultPowBits),
		cache:      newCache(30*time.Second, svc.Generation),
		byAddr:     throttle.New(10, time.Minute),
		unverified: throttle.New(3, 10*time.Minute),
		lookups:    throttle.New(30, 2*time.Second),
	}
	s.AddMenu(
		web.MenuItem{Key: "menu.feedback", Path: "/phan-anh", Order: 60},
		web.MenuItem{Key: "menu.qa", Path: "/hoi-dap", Order: 61},
	)
	return h, nil
}

// SetPowBits sets the difficulty of the proof of work (0 turns it off:
// every form counts as verified; for load tests only).
func (h *Handler) SetPowBits(n int) { h.pow.Bits = n }

// SetAddrLimit replaces the per-address submission limit.
func (h *Handler) SetAddrLimit(burst int, every time.Duration) { h.byAddr = throttle.New(burst, every) }

// MaxUpload is the largest submission with attachments.
const MaxUpload = feedback.MaxFiles*feedback.MaxFileBytes + 1<<20

// Routes lists the public and staff routes.
func (h *Handler) Routes() []web.Route {
	desk := func(method, pattern string, p access.Permission, f http.HandlerFunc) web.Route {
		return web.Route{Method: method, Pattern: "/quan-tri/phan-anh/{site}" + pattern, Auth: web.AuthSession, Scope: web.ScopeSite, Perm: p, Handler: f}
	}
	return []web.Route{
		{Method: "GET", Pattern: "/phan-anh", Handler: h.feedbackHome},
		{Method: "GET", Pattern: "/phan-anh/gui", Handler: h.form(feedback.Feedback)},
		{Method: "POST", Pattern: "/phan-anh/gui", MaxBody: MaxUpload, Handler: h.submit(feedback.Feedback)},
		{Method: "GET", Pattern: "/phan-anh/thong-ke", Handler: h.publicStats},
		{Method: "GET", Pattern: "/phan-anh/thong-ke.xlsx", Handler: h.publicStatsXLSX},
		{Method: "GET", Pattern: "/phan-anh/{id}", Handler: h.publishedItem(feedback.Feedback)},
		{Method: "GET", Pattern: "/hoi-dap", Handler: h.qaHome},
		{Method: "GET", Pattern: "/hoi-dap/gui", Handler: h.form(feedback.Question)},
		{Method: "POST", Pattern: "/hoi-dap/gui", MaxBody: MaxUpload, Handler: h.submit(feedback.Question)},
		{Method: "GET", Pattern: "/hoi-dap/{id}", Handler: h.publishedItem(feedback.Question)},
		{Method: "GET", Pattern: "/tra-cuu", Handler: h.track},
		{Method: "POST", Pattern: "/tra-cuu/bo-sung", MaxBody: MaxUpload, Handler: h.supplement},
		{Method: "POST", Pattern: "/tra-cuu/danh-gia", Handler: h.rate},
		{Method: "POST", Pattern: "/tra-cuu/xac-nhan", Handler: h.confirm},
		{Method: "POST", Pattern: "/tra-cuu/ngung-thu", Handler: h.stopMail},

		{Method: "GET", Pattern: "/quan-tri/phan-anh/{$}", Auth: web.AuthSession, Handler: h.desks},
		desk("GET", "/{$}", access.ViewFeedback, h.queue),
		desk("GET", "/muc", access.ViewFeedback, h.item),
		desk("GET", "/tep", access.ViewFeedback, h.file),
		desk("GET", "/thong-ke", access.ViewFeedback, h.staffStats),
		desk("GET", "/bao-cao.xlsx", access.ViewFeedback, h.report),
		desk("POST", "/giao", access.HandleFeedback, h.assign),
		desk("POST", "/yeu-cau-bo-sung", access.HandleFeedback, h.requestInfo),
		desk("POST", "/tiep-tuc", access.HandleFeedback, h.resume),
		desk("POST", "/du-thao", access.HandleFeedback, h.draft),
		desk("POST", "/tu-choi", access.HandleFeedback, h.reject),
		desk("POST", "/gop", access.HandleFeedback, h.merge),
		desk("POST", "/ghi-chu", access.HandleFeedback, h.note),
		desk("POST", "/tra-lai", access.ApproveFeedback, h.returnDraft),
		desk("POST", "/duyet", access.ApproveFeedback, h.approve),
		desk("POST", "/go-xuong", access.ApproveFeedback, h.unpublish),
	}
}

// PublicPosts lists the public forms that change state without signing in
// (for the route-table test).
var PublicPosts = []string{"POST /phan-anh/gui", "POST /hoi-dap/gui", "POST /tra-cuu/bo-sung", "POST /tra-cuu/danh-gia", "POST /tra-cuu/xac-nhan", "POST /tra-cuu/ngung-thu"}

// Link returns the absolute URL of path on a site, for e-mails: its
// primary host over HTTPS, or plain HTTP for the demo's *.localhost hosts.
func (h *Handler) Link(siteID int64, path string) string {
	d := h.Directory()
	st, ok := d.ByID(siteID)
	if ok {
		st = d.Live(st)
	}
	if st == nil {
		st = d.City
	}
	if st == nil {
		return path
	}
	host := st.PrimaryHost()
	if host == "" && d.City != nil {
		host = d.City.PrimaryHost()
		path = "/don-vi/" + st.Code + path
	}
	scheme := "https://"
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		scheme = "http://"
	}
	return scheme + host + path
}
