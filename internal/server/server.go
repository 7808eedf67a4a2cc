// Package server wires the services, the public pages, the staff interface
// and the APIs into one http.Handler.
package server

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/congvn/cong/internal/admin"
	"github.com/congvn/cong/internal/api"
	"github.com/congvn/cong/internal/auditlog"
	"github.com/congvn/cong/internal/content"
	"github.com/congvn/cong/internal/dataportal"
	"github.com/congvn/cong/internal/feedback"
	"github.com/congvn/cong/internal/feedbackweb"
	"github.com/congvn/cong/internal/jobs"
	"github.com/congvn/cong/internal/mail"
	"github.com/congvn/cong/internal/media"
	"github.com/congvn/cong/internal/open311"
	"github.com/congvn/cong/internal/opendata"
	"github.com/congvn/cong/internal/search"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/staff"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/visits"
	"github.com/congvn/cong/internal/web"
)

// Services are the domain services over one database, without HTTP:
// commands and the demo use them directly. Each part of the product adds
// its service here.
type Services struct {
	DB    *store.DB
	Log   *auditlog.Log
	Sites *site.Service
	Staff *staff.Service
	Data  *opendata.Service
	// Feedback receives citizens' feedback and questions.
	Feedback *feedback.Service
	Disclosure
	// Publishing: the durable job queue, the media library, articles and
	// pages (see publishing.go).
	Jobs    *jobs.Queue
	Media   *media.Service
	Content *content.Service
	// Search is the one search over every site's published content.
	Search *search.Service
	// Open311Keys manages the Open311 application keys.
	Open311Keys *open311.KeyService
}

// NewServices builds the domain services over db.
func NewServices(db *store.DB) *Services {
	log := auditlog.New(db)
	sites := site.NewService(db, log)
	svc := &Services{DB: db, Log: log, Sites: sites, Staff: staff.NewService(db, log), Feedback: feedback.NewService(db, log, sites)}
	svc.Open311Keys = open311.NewKeyService(db, log)
	svc.Data = opendata.NewService(db, log, db.MediaDir())
	svc.Data.RegisterFeed(opendata.SitesFeed(db))
	svc.Disclosure = newDisclosure(db, log, svc.Sites)
	svc.Jobs, svc.Media, svc.Content = publishing(db, log, svc.Sites)
	svc.connectSearch()
	svc.connect()
	return svc
}

// App is a running cong: its services and its HTTP handler.
type App struct {
	*Services
	Visits  *visits.Counter
	Web     *web.Server
	Handler http.Handler
	routes  []web.Route
	// FeedbackWeb serves the feedback pages; Mailer, when set before Run,
	// sends the e-mail outbox.
	FeedbackWeb *feedbackweb.Handler
	Mailer      *mail.Sender
	node        string // this node's name in page-cache notices (publishing.go)
	settled     chan struct{}
}

// New builds the whole application over a migrated database.
func New(ctx context.Context, db *store.DB, cfg web.Config, logger *slog.Logger) (*App, error) {
	if logger == nil {
		logger = slog.Default()
	}
	a := &App{Services: NewServices(db)}
	var err error
	if a.Visits, err = visits.NewCounter(ctx, db); err != nil {
		return nil, err
	}
	a.Web, err = web.New(ctx, web.Deps{Sites: a.Sites, Staff: a.Staff, Log: a.Log, Visits: a.Visits, Health: db, Logger: logger}, cfg)
	if err != nil {
		return nil, err
	}
	a.routes = append(a.routes, a.Web.PublicRoutes()...)
	a.routes = append(a.routes, a.publishingRoutes(cfg)...)
	a.routes = append(a.routes, admin.New(a.Web).Routes()...)
	a.routes = append(a.routes, api.New(a.Web).Routes()...)
	a.routes = append(a.routes, dataportal.New(a.Web, a.Data).Routes()...)
	if a.FeedbackWeb, err = feedbackweb.New(ctx, a.Web, a.Feedback, db); err != nil {
		return nil, err
	}
	a.Feedback.Link = a.FeedbackWeb.Link
	a.Content.Link = a.staffLink
	a.routes = append(a.routes, a.FeedbackWeb.Routes()...)
	a.routes = append(a.routes, open311.New(a.Web, a.Feedback, db).Routes()...)
	a.routes = append(a.routes, open311.NewAdmin(a.Web, a.Open311Keys).Routes()...)
	a.routes = append(a.routes, a.disclosureRoutes()...)
	a.routes = append(a.routes, a.searchRoutes()...)
	if err := a.IndexSites(ctx); err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	a.Web.Register(mux, a.routes)
	a.Handler = a.Web.Front(mux)
	return a, nil
}

// Routes returns every route with its access rule (for the permission
// walk test and for documentation).
func (a *App) Routes() []web.Route { return a.routes }

// Run starts background work (flushing visit counts, removing expired
// sessions) until ctx ends.
func (a *App) Run(ctx context.Context) {
	go a.Visits.Run(ctx, 10*time.Second)
	go feedback.RunSweeps(ctx, a.Feedback, 10*time.Minute, a.Web.Logger)
	if a.Mailer != nil {
		go a.Mailer.Run(ctx, a.DB, 5*time.Second)
	}
	a.settled = make(chan struct{})
	go func() {
		if err := a.Data.RefreshFeeds(ctx); err != nil {
			slog.Warn("open data feeds", "err", err)
		}
		close(a.settled)
		a.Data.Run(ctx, 10*time.Second)
	}()
	go a.auditDaily(ctx)
	go a.Jobs.Run(ctx)
	go a.listenForInvalidations(ctx)
	go a.indexSitesOnChange(ctx)
	go func() {
		t := time.NewTicker(10 * time.Minute)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-t.C:
				a.DB.DeleteExpiredSessions(ctx, now.Add(-a.Staff.Policy.IdleTimeout), now)
			}
		}
	}()
}

// Settled is closed when the start-up work Run began is done (the open
// data feeds brought up to date).
func (a *App) Settled() <-chan struct{} { return a.settled }

// HTTPServer returns an http.Server for the app with bounded timeouts.
func (a *App) HTTPServer(addr string) *http.Server {
	return &http.Server{
		Addr: addr, Handler: a.Handler,
		ReadHeaderTimeout: web.ReadHeaderTimeout, ReadTimeout: web.ReadTimeout, WriteTimeout: web.WriteTimeout,
		IdleTimeout: web.IdleTimeout, MaxHeaderBytes: web.MaxHeaderBytes,
	}
}
