package server

import (
	"context"

	"github.com/congvn/cong/internal/document"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/feedback"
	"github.com/congvn/cong/internal/procedure"
	"github.com/congvn/cong/internal/site"
)

// feedbackRegistry finds what answers to feedback refer to in the
// document and procedure registries.
type feedbackRegistry struct {
	docs  *document.Service
	procs *procedure.Service
	sites *site.Service
}

func (r feedbackRegistry) cityID(ctx context.Context) int64 {
	d, err := r.sites.Directory(ctx)
	if err != nil || d.City == nil {
		return 0
	}
	return d.City.ID
}

// Document finds a published document by its number however typed: the
// same number may be published on several sites (a decree the city and a
// ward both post), so the answering unit's own copy comes first, then the
// city's.
func (r feedbackRegistry) Document(ctx context.Context, siteID int64, number string) (feedback.Target, bool, error) {
	key := document.NumberKey(number)
	if key == "" {
		return feedback.Target{}, false, nil
	}
	res, err := r.docs.Search(ctx, document.Query{Text: number, Limit: 100})
	if err != nil || !res.ByNumber {
		return feedback.Target{}, false, err
	}
	city := r.cityID(ctx)
	var best *document.Document
	bestRank := 3
	for _, d := range res.Docs {
		if document.NumberKey(d.Number) != key {
			continue // a longer number that starts the same
		}
		rank := 2
		switch d.SiteID {
		case siteID:
			rank = 0
		case city:
			rank = 1
		}
		if rank < bestRank {
			best, bestRank = d, rank
		}
	}
	if best == nil {
		return feedback.Target{}, false, nil
	}
	title := best.Number + ": " + best.Title
	if best.Type != "" {
		title = best.Type + " " + title
	}
	return feedback.Target{SiteID: best.SiteID, Path: best.Path(), Title: title, Ref: best.Number}, true, nil
}

// Procedure finds a published procedure by its code on the answering
// unit's site, else on the city portal.
func (r feedbackRegistry) Procedure(ctx context.Context, siteID int64, code string) (feedback.Target, bool, error) {
	for _, id := range []int64{siteID, r.cityID(ctx)} {
		if id == 0 {
			continue
		}
		p, err := r.procs.Get(ctx, id, code)
		if fault.Is(err, fault.NotFound) {
			continue
		}
		if err != nil {
			return feedback.Target{}, false, err
		}
		return feedback.Target{SiteID: p.SiteID, Path: p.Path(), Title: p.Name + " (" + p.Code + ")", Ref: p.Code}, true, nil
	}
	return feedback.Target{}, false, nil
}
