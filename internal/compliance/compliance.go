// Package compliance is the audit the supervising office runs over every
// site: for each rule of the rule pack that applies to a site's kind, pass
// or fail and why (section missing, stale since a date, English missing,
// settings incomplete, feedback overdue). What each part of the product
// publishes is learnt through Providers, so parts plug in without the audit
// knowing their tables: documents, procedures, drafts and listings report
// through this branch's store provider, site settings through the
// directory, articles and static pages through the publishing part's
// provider, and overdue feedback through the feedback part's.
package compliance

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/congvn/cong/internal/rulepack"
	"github.com/congvn/cong/internal/site"
)

// Fact is what a provider knows about one check on one site.
type Fact struct {
	Check   string    // the rule pack's check, e.g. documents, page:chuc-nang-nhiem-vu
	Count   int       // published items
	Updated time.Time // the newest publication or update
	Langs   []string  // languages the section is published in
	Missing []string  // settings that are not filled in (contact: phone, email…)
	Overdue int       // items past their deadline (feedback)
	Since   time.Time // the oldest overdue deadline
}

// Provider reports, for every site at once, what it knows of the checks it
// answers. Checks lists them; an entry ending in ":*" answers every check
// with that prefix (page:*).
type Provider interface {
	Checks() []string
	Facts(ctx context.Context, now time.Time) (map[int64][]Fact, error)
}

// Status of a rule on a site.
type Status string

// The statuses.
const (
	Pass Status = "pass"
	Fail Status = "fail"
	Skip Status = "skip" // nothing installed answers the rule's check
)

// Reason says why a rule failed or was skipped: a catalog key and its
// arguments.
type Reason struct {
	Key  string `json:"key"`
	Args []any  `json:"args,omitempty"`
}

// Finding is the outcome of one rule on one site.
type Finding struct {
	Rule    string   `json:"rule"`
	Name    string   `json:"name"`
	Law     string   `json:"law"`
	Status  Status   `json:"status"`
	Reasons []Reason `json:"reasons,omitempty"`
}

// SiteReport is the audit of one site.
type SiteReport struct {
	Site     *site.Site `json:"-"`
	Code     string     `json:"site"`
	Name     string     `json:"name"`
	Kind     string     `json:"kind"`
	Failed   int        `json:"failed"`
	Passed   int        `json:"passed"`
	Skipped  int        `json:"skipped"`
	Findings []Finding  `json:"findings"`
}

// OK reports whether no rule failed.
func (r *SiteReport) OK() bool { return r.Failed == 0 }

// Report is one run of the audit.
type Report struct {
	At       time.Time     `json:"at"`
	Pack     string        `json:"rule_pack"`
	Sites    []*SiteReport `json:"sites"`
	Failing  int           `json:"failing_sites"`
	Duration time.Duration `json:"-"`
}

// checkAnswered reports whether a provider answers check.
func checkAnswered(p Provider, check string) bool {
	for _, c := range p.Checks() {
		if c == check || strings.HasSuffix(c, ":*") && strings.HasPrefix(check, strings.TrimSuffix(c, "*")) {
			return true
		}
	}
	return false
}

// evaluate applies a rule to what the providers said of a site.
func evaluate(rule rulepack.Section, facts []Fact, answered bool, now time.Time) Finding {
	f := Finding{Rule: rule.ID, Name: rule.Name, Law: rule.Law, Status: Pass}
	if !answered {
		f.Status = Skip
		f.Reasons = []Reason{{Key: "compliance.no_provider", Args: []any{rule.Check}}}
		return f
	}
	var fact Fact
	for _, x := range facts {
		if x.Check == rule.Check {
			fact = x
			break
		}
	}
	fail := func(key string, args ...any) {
		f.Status = Fail
		f.Reasons = append(f.Reasons, Reason{Key: key, Args: args})
	}
	if len(fact.Missing) > 0 {
		fail("compliance.incomplete", strings.Join(fact.Missing, ", "))
	}
	switch {
	case rule.MinItems > 0 && fact.Count == 0:
		fail("compliance.missing")
	case fact.Count < rule.MinItems:
		fail("compliance.too_few", fact.Count, rule.MinItems)
	}
	if rule.FreshDays > 0 && fact.Count > 0 && !fact.Updated.IsZero() && now.Sub(fact.Updated) > time.Duration(rule.FreshDays)*24*time.Hour {
		fail("compliance.stale", fact.Updated.In(vietnam).Format("02/01/2006"), rule.FreshDays)
	}
	if rule.English && !slices.Contains(fact.Langs, "en") {
		fail("compliance.english_missing")
	}
	if fact.Overdue > 0 {
		since := ""
		if !fact.Since.IsZero() {
			since = fact.Since.In(vietnam).Format("02/01/2006")
		}
		fail("compliance.overdue", fact.Overdue, since)
	}
	return f
}

var vietnam = time.FixedZone("ICT", 7*3600)

// Audit runs the pack over the given sites with the facts gathered.
func Audit(pack *rulepack.Pack, dir *site.Directory, sites []*site.Site, providers []Provider, facts map[int64][]Fact, now time.Time) *Report {
	rep := &Report{At: now, Pack: pack.Version}
	for _, st := range sites {
		u, _ := dir.Unit(st.UnitID)
		kind := rulepack.KindOf(st, u)
		sr := &SiteReport{Site: st, Code: st.Code, Name: st.Name, Kind: kind}
		for _, rule := range pack.For(kind) {
			answered := false
			for _, p := range providers {
				if checkAnswered(p, rule.Check) {
					answered = true
					break
				}
			}
			f := evaluate(rule, facts[st.ID], answered, now)
			switch f.Status {
			case Pass:
				sr.Passed++
			case Fail:
				sr.Failed++
			case Skip:
				sr.Skipped++
			}
			sr.Findings = append(sr.Findings, f)
		}
		if sr.Failed > 0 {
			rep.Failing++
		}
		rep.Sites = append(rep.Sites, sr)
	}
	return rep
}
