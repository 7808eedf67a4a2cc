// Package rulepack reads the rule pack: the versioned data file that says,
// for each kind of site, which sections must exist and be published, which
// must also exist in English, how fresh each must be, and the deadlines of
// feedback handling, each with the article of law behind it. The law
// changes (Decree 224/2026/NĐ-CP is reported to repeal Decree 42/2022/NĐ-CP),
// so the rules are data: a default pack is embedded in the binary and an
// operator may replace it with a file of their own (--rules, CONG_RULES).
package rulepack

import (
	_ "embed"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/congvn/cong/internal/site"
)

//go:embed default.rules
var defaultRules string

// Site kinds a rule applies to. A portal takes the kind of its unit; special
// sections and the data portal have kinds of their own.
const (
	KindCity    = "city"
	KindAgency  = "agency"
	KindWard    = "ward"
	KindCommune = "commune"
	KindSection = "section"
	KindData    = "data"
	KindOther   = "other"
)

// Kinds lists every site kind a pack may name.
var Kinds = []string{KindCity, KindAgency, KindWard, KindCommune, KindSection, KindData, KindOther}

// Pack is a parsed rule pack.
type Pack struct {
	Version     string   // e.g. 2024.1
	Title       string   // what the pack implements
	InForceFrom string   // YYYY-MM-DD
	Basis       []string // the legal texts the pack implements
	Source      string   // "embedded" or the file it was read from
	Feedback    Feedback
	Sections    []Section
}

// Feedback holds the deadlines of feedback and question handling, in
// working days. The feedback part fills its feedback.Policy from these.
type Feedback struct {
	AnswerDays        int    // to answer feedback and petitions (phản ánh, kiến nghị)
	QuestionDays      int    // to answer questions (hỏi đáp) and information requests
	ExtensionDays     int    // how far a deadline may be extended, once
	RemindDaysBefore  int    // a reminder this many days before the deadline
	EscalateAfterDays int    // escalate to the unit above this many days after the deadline
	Law               string // where the deadlines come from
}

// Section is one rule: a section of a site that must exist.
type Section struct {
	ID        string   // stable identifier, e.g. van-ban
	Name      string   // Vietnamese label, shown in the menu and reports
	NameEn    string   // English label
	Path      string   // path on the site, e.g. /van-ban ("" when it has no page)
	MenuOrder int      // position in the main menu; 0 keeps it out of the menu
	Kinds     []string // the site kinds it applies to
	Check     string   // what the audit asks the providers: documents, listing:plan, page:chuc-nang-nhiem-vu, emc…
	MinItems  int      // published items needed (0: only that the setting exists)
	FreshDays int      // the newest item may be at most this old; 0: no limit
	English   bool     // must also be published in English
	Law       string   // the article of law behind the rule
	How       string   // how it is published (for the disclosure list)
	When      string   // when it must be published
	Duration  string   // for how long
	Line      int      // line of the [section] header, for messages
}

// AppliesTo reports whether the rule applies to sites of kind k.
func (s *Section) AppliesTo(k string) bool { return slices.Contains(s.Kinds, k) }

// For returns the rules that apply to sites of kind k, in file order.
func (p *Pack) For(k string) []Section {
	var out []Section
	for _, s := range p.Sections {
		if s.AppliesTo(k) {
			out = append(out, s)
		}
	}
	return out
}

// Section returns the rule with id, or nil.
func (p *Pack) Section(id string) *Section {
	for i := range p.Sections {
		if p.Sections[i].ID == id {
			return &p.Sections[i]
		}
	}
	return nil
}

// ByCheck returns the first rule for kind k that uses check, or nil.
func (p *Pack) ByCheck(k, check string) *Section {
	for i := range p.Sections {
		if p.Sections[i].Check == check && p.Sections[i].AppliesTo(k) {
			return &p.Sections[i]
		}
	}
	return nil
}

// Menu returns the rules of kind k that put an entry in the main menu, in
// menu order.
func (p *Pack) Menu(k string) []Section {
	var out []Section
	for _, s := range p.For(k) {
		if s.MenuOrder > 0 && s.Path != "" {
			out = append(out, s)
		}
	}
	slices.SortStableFunc(out, func(a, b Section) int { return a.MenuOrder - b.MenuOrder })
	return out
}

// KindOf returns the rule-pack kind of a site: a portal takes its unit's
// kind; special sections and the data portal have their own.
func KindOf(st *site.Site, u *site.Unit) string {
	switch st.Kind {
	case site.Section:
		return KindSection
	case site.Data:
		return KindData
	}
	if u == nil {
		return KindOther
	}
	switch u.Kind {
	case site.City:
		return KindCity
	case site.Agency:
		return KindAgency
	case site.Ward:
		return KindWard
	case site.Commune:
		return KindCommune
	}
	return KindOther
}

// Default returns the pack embedded in the binary. It is parsed once; a
// broken embedded pack is a build error, caught by the tests. Callers must
// not change it.
func Default() *Pack { return defaultPack() }

var defaultPack = sync.OnceValue(func() *Pack {
	p, err := Parse("embedded", strings.NewReader(defaultRules))
	if err != nil {
		panic(err)
	}
	return p
})

// DefaultText returns the embedded pack's text, for operators who start a
// pack of their own from it.
func DefaultText() string { return defaultRules }

// Load reads the pack at path, or the embedded pack when path is "".
func Load(path string) (*Pack, error) {
	if path == "" {
		return Default(), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("rule pack: %w", err)
	}
	defer f.Close()
	return Parse(path, f)
}
