package server

import (
	"context"
	"time"

	"github.com/congvn/cong/internal/access"

	"github.com/congvn/cong/internal/attach"
	"github.com/congvn/cong/internal/auditlog"
	"github.com/congvn/cong/internal/compliance"
	"github.com/congvn/cong/internal/consultation"
	"github.com/congvn/cong/internal/contactpoint"
	"github.com/congvn/cong/internal/disclosure"
	"github.com/congvn/cong/internal/document"
	"github.com/congvn/cong/internal/listing"
	"github.com/congvn/cong/internal/procedure"
	"github.com/congvn/cong/internal/rulepack"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/web"
)

// Disclosure are the services of mandatory disclosure: the rule pack and
// audit, documents, procedures, drafts for comment, listings, contact
// points, and the attached files they share.
type Disclosure struct {
	Files         *attach.Files
	Documents     *document.Service
	Procedures    *procedure.Service
	Consultations *consultation.Service
	Listings      *listing.Service
	ContactPoints *contactpoint.Service
	Compliance    *compliance.Service
}

func newDisclosure(db *store.DB, log *auditlog.Log, sites *site.Service) Disclosure {
	files := attach.New(db, db.MediaDir())
	d := Disclosure{
		Files:         files,
		Documents:     document.NewService(db, log, files),
		Procedures:    procedure.NewService(db, log),
		Consultations: consultation.NewService(db, log, files),
		Listings:      listing.NewService(db, log, files),
		ContactPoints: contactpoint.NewService(db, log),
		Compliance:    compliance.NewService(db, log, sites, rulepack.Default()),
	}
	d.Compliance.Register(compliance.Settings{Sites: sites})
	d.Compliance.Register(compliance.Disclosure{Store: db})
	return d
}

// SetMedia sets the directory attached files are stored in (--media).
func (d *Disclosure) SetMedia(dir string) { d.Files.Dir = dir }

// SetRules replaces the rule pack (--rules).
func (d *Disclosure) SetRules(p *rulepack.Pack) { d.Compliance.SetRules(p) }

func (a *App) disclosureRoutes() []web.Route {
	h := disclosure.New(a.Web, disclosure.Services{
		Documents: a.Documents, Procedures: a.Procedures, Consultations: a.Consultations, Listings: a.Listings,
		ContactPoints: a.ContactPoints, Compliance: a.Compliance, Files: a.Files,
	})
	return append(h.Routes(), h.APIRoutes()...)
}

// auditDaily records a compliance audit once a day, so the supervisor's
// dashboard has a history even when nobody runs cong audit. A run is
// skipped when one was recorded in the last 23 hours (another node, the
// command line).
func (a *App) auditDaily(ctx context.Context) {
	sys := access.With(ctx, access.System("lịch kiểm tra", "system"))
	check := func() {
		runs, _, err := a.Compliance.History(sys, 1)
		if err != nil || len(runs) > 0 && time.Since(runs[0].At) < 23*time.Hour {
			return
		}
		rep, err := a.Compliance.Audit(sys, "")
		if err == nil {
			_, err = a.Compliance.Record(sys, rep)
		}
		if err != nil {
			a.Web.Logger.Error("daily compliance audit", "err", err)
		}
	}
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			check()
		}
	}
}
