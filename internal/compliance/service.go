package compliance

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/rulepack"
	"github.com/congvn/cong/internal/site"
)

// Run is one stored run of the audit.
type Run struct {
	ID       int64
	At       time.Time
	Pack     string
	Actor    string
	Sites    int
	Failing  int
	Duration time.Duration
}

// Result is one stored outcome of a rule on a site.
type Result struct {
	RunID  int64
	SiteID int64
	Rule   string
	Status Status
	Reason string // JSON of []Reason
}

// Store keeps the audit's history.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	AddAuditRun(ctx context.Context, r *Run, results []Result) error
	AuditRuns(ctx context.Context, limit int) ([]*Run, error)
	// SiteAuditHistory returns, for each of the latest runs, how many rules
	// failed on each site.
	SiteAuditHistory(ctx context.Context, runs []int64) (map[int64]map[int64]int, error)
	AuditResults(ctx context.Context, runID int64) ([]Result, error)
}

// Recorder writes the audit log entry of a change, inside its transaction.
type Recorder interface {
	Record(ctx context.Context, action string, siteID int64, target string, detail any) error
}

// Service runs the audit and keeps its history.
type Service struct {
	store Store
	log   Recorder
	sites *site.Service
	Now   func() time.Time

	mu        sync.RWMutex
	rules     *rulepack.Pack
	providers []Provider
}

// NewService returns a Service with the rule pack and no providers.
func NewService(s Store, log Recorder, sites *site.Service, pack *rulepack.Pack) *Service {
	return &Service{store: s, log: log, sites: sites, rules: pack, Now: time.Now}
}

// Rules returns the rule pack in use.
func (s *Service) Rules() *rulepack.Pack {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.rules
}

// SetRules replaces the rule pack (an operator's --rules file).
func (s *Service) SetRules(p *rulepack.Pack) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rules = p
}

// Register adds a provider of facts.
func (s *Service) Register(p Provider) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.providers = append(s.providers, p)
}

// Answers reports whether an installed provider answers check (the menu
// shows a rule's section only when some part serves it).
func (s *Service) Answers(check string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, p := range s.providers {
		if checkAnswered(p, check) {
			return true
		}
	}
	return false
}

// Audit checks one site (by code) or every active portal and special
// section, and returns the report without storing it.
func (s *Service) Audit(ctx context.Context, code string) (*Report, error) {
	if err := access.Check(ctx, access.ViewCompliance, 0); err != nil {
		return nil, err
	}
	start := time.Now()
	dir, err := s.sites.Directory(ctx)
	if err != nil {
		return nil, err
	}
	var sites []*site.Site
	for _, st := range dir.Sites {
		if st.Status != site.Active || code != "" && st.Code != code {
			continue
		}
		sites = append(sites, st)
	}
	if code != "" && len(sites) == 0 {
		return nil, fault.New(fault.NotFound, "site.not_found")
	}
	s.mu.RLock()
	pack, providers := s.rules, append([]Provider(nil), s.providers...)
	s.mu.RUnlock()
	now := s.Now()
	facts := map[int64][]Fact{}
	for _, p := range providers {
		got, err := p.Facts(ctx, now)
		if err != nil {
			return nil, err
		}
		for id, fs := range got {
			facts[id] = append(facts[id], fs...)
		}
	}
	rep := Audit(pack, dir, sites, providers, facts, now)
	rep.Duration = time.Since(start)
	return rep, nil
}

// Record stores a report in the history.
func (s *Service) Record(ctx context.Context, rep *Report) (*Run, error) {
	if err := access.Check(ctx, access.RunCompliance, 0); err != nil {
		return nil, err
	}
	actor := "system"
	if a := access.From(ctx); a != nil {
		actor = a.Name
	}
	run := &Run{At: rep.At, Pack: rep.Pack, Actor: actor, Sites: len(rep.Sites), Failing: rep.Failing, Duration: rep.Duration}
	var results []Result
	for _, sr := range rep.Sites {
		for _, f := range sr.Findings {
			reason := ""
			if len(f.Reasons) > 0 {
				b, _ := json.Marshal(f.Reasons)
				reason = string(b)
			}
			results = append(results, Result{SiteID: sr.Site.ID, Rule: f.Rule, Status: f.Status, Reason: reason})
		}
	}
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.AddAuditRun(ctx, run, results); err != nil {
			return err
		}
		return s.log.Record(ctx, "compliance.run", 0, rep.Pack, map[string]any{"run": run.ID, "sites": run.Sites, "failing": run.Failing})
	})
	return run, err
}

// History returns the latest stored runs, newest first, and for each site
// the number of failed rules in each of them.
func (s *Service) History(ctx context.Context, limit int) ([]*Run, map[int64]map[int64]int, error) {
	if err := access.Check(ctx, access.ViewCompliance, 0); err != nil {
		return nil, nil, err
	}
	runs, err := s.store.AuditRuns(ctx, limit)
	if err != nil || len(runs) == 0 {
		return runs, nil, err
	}
	ids := make([]int64, len(runs))
	for i, r := range runs {
		ids[i] = r.ID
	}
	per, err := s.store.SiteAuditHistory(ctx, ids)
	return runs, per, err
}

// SiteFacts returns what the providers know of one site (for its public
// list of information to be disclosed).
func (s *Service) SiteFacts(ctx context.Context, siteID int64) ([]Fact, error) {
	s.mu.RLock()
	providers := append([]Provider(nil), s.providers...)
	s.mu.RUnlock()
	var out []Fact
	for _, p := range providers {
		got, err := p.Facts(ctx, s.Now())
		if err != nil {
			return nil, err
		}
		out = append(out, got[siteID]...)
	}
	return out, nil
}
