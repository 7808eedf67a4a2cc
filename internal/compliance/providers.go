package compliance

import (
	"context"
	"time"

	"github.com/congvn/cong/internal/site"
)

// Settings answers the checks on a site's settings: contact data, its
// English version, and the EMC monitoring code.
type Settings struct {
	Sites interface {
		Directory(ctx context.Context) (*site.Directory, error)
	}
}

// Checks lists what Settings answers.
func (Settings) Checks() []string { return []string{"contact", "contact_en", "emc"} }

// Facts reads every active site's settings.
func (p Settings) Facts(ctx context.Context, _ time.Time) (map[int64][]Fact, error) {
	dir, err := p.Sites.Directory(ctx)
	if err != nil {
		return nil, err
	}
	out := map[int64][]Fact{}
	for _, st := range dir.Sites {
		if st.Status != site.Active {
			continue
		}
		c := st.Contact
		contact := Fact{Check: "contact", Count: 1, Updated: st.Updated, Langs: []string{"vi"}}
		for _, m := range []struct{ v, name string }{{c.Address, "address"}, {c.Phone, "phone"}, {c.Email, "email"}} {
			if m.v == "" {
				contact.Missing = append(contact.Missing, m.name)
			}
		}
		en := Fact{Check: "contact_en", Count: 1, Updated: st.Updated}
		if st.Speaks("en") {
			en.Langs = []string{"en"}
		}
		for _, m := range []struct{ v, name string }{{st.NameEn, "name_en"}, {c.AddressEn, "address_en"}} {
			if m.v == "" {
				en.Missing = append(en.Missing, m.name)
			}
		}
		if c.ResponsibleName != "" && c.ResponsibleTitleEn == "" {
			en.Missing = append(en.Missing, "responsible_title_en")
		}
		emc := Fact{Check: "emc", Count: 1, Updated: st.Updated}
		if st.EMCID == "" {
			emc.Missing = []string{"emc_id"}
		}
		out[st.ID] = append(out[st.ID], contact, en, emc)
	}
	return out, nil
}

// FactStore gathers, in a few grouped queries, what this branch's tables
// hold for every site.
type FactStore interface {
	DisclosureFacts(ctx context.Context) (map[int64][]Fact, error)
}

// Disclosure answers the checks on documents, procedures and their
// statistics, drafts for comment, listings, contact points, the
// information officer and the disclosure list.
type Disclosure struct {
	Store FactStore
}

// Checks lists what Disclosure answers.
func (Disclosure) Checks() []string {
	return []string{"documents", "procedures", "procedure_stats", "drafts", "listing:*", "contact_points", "info_officer", "disclosure_list"}
}

// Facts queries the store.
func (p Disclosure) Facts(ctx context.Context, _ time.Time) (map[int64][]Fact, error) {
	return p.Store.DisclosureFacts(ctx)
}
