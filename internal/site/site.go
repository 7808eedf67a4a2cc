// Package site holds the tree of units (đơn vị) and the sites (cổng, trang
// thành phần, chuyên trang) they run: creation, contact data, host names,
// and the merging of one unit into another.
package site

import (
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/vietnamese"
)

// UnitKind says what level of government a unit is.
type UnitKind string

// The unit kinds.
const (
	City     UnitKind = "city"     // Thành phố
	Agency   UnitKind = "agency"   // sở, ban, ngành
	Ward     UnitKind = "ward"     // phường
	Commune  UnitKind = "commune"  // xã
	District UnitKind = "district" // quận, huyện, thị xã (before July 2025)
	Other    UnitKind = "other"    // other bodies
)

// UnitKinds lists the kinds in display order.
var UnitKinds = []UnitKind{City, Agency, Ward, Commune, District, Other}

// Status of a unit or site.
type Status string

// Statuses.
const (
	Active Status = "active"
	Merged Status = "merged"
)

// Unit is a body of the city government: the city itself, an agency, a
// commune or ward, or another body. Units form a tree of any depth.
type Unit struct {
	ID           int64
	Code         string // official code (mã đơn vị hành chính) or an assigned one
	Name         string
	ShortName    string
	NameEn       string
	Kind         UnitKind
	ParentID     int64 // 0 for the root
	Status       Status
	MergedIntoID int64
	MergedOn     string // YYYY-MM-DD
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// SiteKind says what a site is for.
type SiteKind string

// The site kinds.
const (
	Portal  SiteKind = "portal"  // a unit's own portal (cổng/trang thông tin điện tử)
	Section SiteKind = "section" // a special section (chuyên trang)
	Data    SiteKind = "data"    // the open data portal
)

// Site is one portal served by cong: its own host name, and a path under the
// city portal (/don-vi/CODE/).
type Site struct {
	ID       int64
	Code     string // DNS label: the site's host is CODE.<city domain> in the demo
	UnitID   int64
	Kind     SiteKind
	Name     string
	NameEn   string
	Langs    []string // "vi" first
	Contact  Contact
	EMCID    string // EMC monitoring site ID (Hệ thống EMC)
	Status   Status
	MergedTo int64 // the site that took this one over, when Status is Merged
	Hosts    []string
	Version  int // incremented on every change, for optimistic locking
	Created  time.Time
	Updated  time.Time
}

// Contact is what a site publishes about how to reach its unit, and who is
// responsible for the site (Decree 42: address, phone, fax, e-mail; English
// versions are mandatory).
type Contact struct {
	Address            string
	AddressEn          string
	Phone              string
	Fax                string
	Email              string
	ResponsibleName    string
	ResponsibleTitle   string
	ResponsibleTitleEn string
}

// PrimaryHost returns the site's main host name, or "".
func (s *Site) PrimaryHost() string {
	if len(s.Hosts) == 0 {
		return ""
	}
	return s.Hosts[0]
}

// Speaks reports whether the site publishes in language lang.
func (s *Site) Speaks(lang string) bool { return slices.Contains(s.Langs, lang) }

// DisplayName returns the site's name in lang, falling back to Vietnamese.
func (s *Site) DisplayName(lang string) string {
	if lang != "vi" && s.NameEn != "" {
		return s.NameEn
	}
	return s.Name
}

var codeRE = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$`)

// reservedCodes cannot name a site: they are path segments or host labels
// the system uses itself.
var reservedCodes = []string{"www", "api", "static", "quan-tri", "admin", "don-vi", "en", "healthz", "open311", "tim-kiem"}

// ValidCode reports whether code can name a site: a DNS label of lower-case
// ASCII letters, digits and hyphens.
func ValidCode(code string) bool {
	return codeRE.MatchString(code) && !slices.Contains(reservedCodes, code)
}

// NormalizeHost lower-cases a host name, drops a trailing dot and a port, and
// reports whether what is left is a valid DNS name.
func NormalizeHost(h string) (string, bool) {
	h = strings.ToLower(strings.TrimSpace(h))
	if i := strings.LastIndexByte(h, ':'); i >= 0 && !strings.Contains(h[i:], "]") {
		h = h[:i]
	}
	h = strings.TrimSuffix(h, ".")
	return h, validHost(h)
}

// validHost reports whether h is a lower-case DNS name: dot-separated
// labels of 1 to 63 letters, digits and inner hyphens, 253 bytes at most.
func validHost(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	start := 0
	for i := 0; i <= len(h); i++ {
		if i < len(h) && h[i] != '.' {
			c := h[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
			continue
		}
		label := h[start:i]
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		start = i + 1
	}
	return true
}

var phoneRE = regexp.MustCompile(`^[0-9+().\- ]{3,40}$`)

// validate checks a site's fields, collecting every problem.
func (s *Site) validate() error {
	var errs fault.List
	s.Name = vietnamese.Clean(s.Name)
	s.NameEn = vietnamese.Clean(s.NameEn)
	if s.Name == "" {
		errs = append(errs, fault.OnField("name", "site.name_required"))
	} else if utf8.RuneCountInString(s.Name) > 200 {
		errs = append(errs, fault.OnField("name", "field.too_long", 200))
	}
	if utf8.RuneCountInString(s.NameEn) > 200 {
		errs = append(errs, fault.OnField("name_en", "field.too_long", 200))
	}
	if !ValidCode(s.Code) {
		errs = append(errs, fault.OnField("code", "site.code_invalid"))
	}
	if !slices.Contains([]SiteKind{Portal, Section, Data}, s.Kind) {
		errs = append(errs, fault.OnField("kind", "site.kind_invalid"))
	}
	if len(s.Langs) == 0 || s.Langs[0] != "vi" {
		errs = append(errs, fault.OnField("languages", "site.languages_vi_first"))
	}
	for _, l := range s.Langs {
		if !langRE.MatchString(l) {
			errs = append(errs, fault.OnField("languages", "site.language_invalid", l))
		}
	}
	errs = append(errs, s.Contact.validate()...)
	s.EMCID = strings.TrimSpace(s.EMCID)
	if s.EMCID != "" && !emcRE.MatchString(s.EMCID) {
		errs = append(errs, fault.OnField("emc_id", "site.emc_invalid"))
	}
	return errs.Err()
}

var (
	langRE = regexp.MustCompile(`^[a-z]{2,3}$`)
	emcRE  = regexp.MustCompile(`^[0-9]{1,12}$`)
)

func (c *Contact) validate() fault.List {
	var errs fault.List
	for _, f := range []struct {
		name string
		v    *string
		max  int
	}{
		{"address", &c.Address, 300}, {"address_en", &c.AddressEn, 300},
		{"responsible_name", &c.ResponsibleName, 120}, {"responsible_title", &c.ResponsibleTitle, 200},
		{"responsible_title_en", &c.ResponsibleTitleEn, 200},
	} {
		*f.v = vietnamese.Clean(*f.v)
		if utf8.RuneCountInString(*f.v) > f.max {
			errs = append(errs, fault.OnField(f.name, "field.too_long", f.max))
		}
	}
	for _, f := range []struct {
		name string
		v    *string
	}{{"phone", &c.Phone}, {"fax", &c.Fax}} {
		*f.v = vietnamese.Clean(*f.v)
		if *f.v != "" && !phoneRE.MatchString(*f.v) {
			errs = append(errs, fault.OnField(f.name, "site.phone_invalid"))
		}
	}
	c.Email = strings.ToLower(vietnamese.Clean(c.Email))
	if c.Email != "" {
		if a, err := mail.ParseAddress(c.Email); err != nil || a.Address != c.Email || len(c.Email) > 254 {
			errs = append(errs, fault.OnField("email", "field.email_invalid"))
		}
	}
	return errs
}

func (u *Unit) validate() error {
	var errs fault.List
	u.Name = vietnamese.Clean(u.Name)
	u.ShortName = vietnamese.Clean(u.ShortName)
	u.NameEn = vietnamese.Clean(u.NameEn)
	u.Code = strings.TrimSpace(u.Code)
	if u.Name == "" {
		errs = append(errs, fault.OnField("name", "unit.name_required"))
	} else if utf8.RuneCountInString(u.Name) > 200 {
		errs = append(errs, fault.OnField("name", "field.too_long", 200))
	}
	if !unitCodeRE.MatchString(u.Code) {
		errs = append(errs, fault.OnField("code", "unit.code_invalid"))
	}
	if !slices.Contains(UnitKinds, u.Kind) {
		errs = append(errs, fault.OnField("kind", "unit.kind_invalid"))
	}
	return errs.Err()
}

var unitCodeRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$`)
