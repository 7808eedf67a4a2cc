package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"
	"time"

	"github.com/congvn/cong/internal/admin"
	"github.com/congvn/cong/internal/content"
	"github.com/congvn/cong/internal/jobs"
	"github.com/congvn/cong/internal/mail"
	"github.com/congvn/cong/internal/media"
	"github.com/congvn/cong/internal/news"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/web"
)

// publishing builds the job queue, the media library and the publishing
// service over db.
func publishing(db *store.DB, log content.Recorder, sites *site.Service) (*jobs.Queue, *media.Service, *content.Service) {
	q := jobs.New(db)
	m := media.NewService(db, log, db.MediaDir(), q)
	c := content.NewService(db, log, publishingSites{sites, db}, q)
	return q, m, c
}

// SetMailer makes every part send its e-mail through m (--smtp): the
// feedback outbox and the publishing notifications.
func (a *App) SetMailer(m *mail.Sender) {
	a.Mailer = m
	a.Feedback.Mail = true
	a.Content.Mail = content.NewMailJobs(a.Jobs, m)
}

// publishingRoutes connects the publishing pages and the staff interface's
// publishing screens.
func (a *App) publishingRoutes(cfg web.Config) []web.Route {
	// Several nodes on one PostgreSQL database tell each other what to drop
	// from their page caches.
	a.node = newNodeID()
	a.Web.PageCache().Notify = func(tags []string) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := a.DB.Notify(ctx, cacheChannel, a.node+" "+strings.Join(tags, "\x1f")); err != nil {
			a.Web.Logger.Error("cache notify", "err", err)
		}
	}
	routes := news.New(a.Web, a.Content, a.Media).Routes()
	return append(routes, admin.NewPublishing(a.Web, a.Content, a.Media, a.Jobs).Routes()...)
}

// publishingSites gives the publishing service the site directory and the
// redirects table.
type publishingSites struct {
	sites *site.Service
	db    *store.DB
}

func (p publishingSites) Directory(ctx context.Context) (*site.Directory, error) {
	return p.sites.Directory(ctx)
}

func (p publishingSites) AddRedirect(ctx context.Context, siteID int64, from string, toSite int64, toPath string) error {
	return p.db.AddRedirect(ctx, siteID, from, toSite, toPath)
}

// cacheChannel carries page-cache invalidations between nodes.
const cacheChannel = "cong_page_cache"

func newNodeID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// listenForInvalidations drops what other nodes invalidated from this
// node's page cache, until ctx ends.
func (a *App) listenForInvalidations(ctx context.Context) {
	a.DB.Listen(ctx, cacheChannel, func(payload string) {
		node, tags, _ := strings.Cut(payload, " ")
		if node == a.node || tags == "" {
			return
		}
		a.Web.PageCache().InvalidateLocal(strings.Split(tags, "\x1f")...)
	})
}
