// Package opendata is the city data portal (Cổng dữ liệu): datasets owned by
// units, their resources (uploaded files, with earlier versions kept, or
// links), tags, groups (themes) and licences; the tabular store behind the
// preview and datastore_search; the in-memory catalogue behind
// package_search; the DCAT description harvested by the national data
// portal; and feeds that keep portal content published as datasets. No
// HTTP, no SQL: see internal/dataportal and internal/store.
package opendata

import (
	"crypto/rand"
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/vietnamese"
)

// State says whether a dataset is public.
type State string

// The states of a dataset or resource.
const (
	Active  State = "active"  // public
	Draft   State = "draft"   // being prepared; staff only
	Deleted State = "deleted" // withdrawn; kept for the record, gone from every list
)

// Dataset is one open dataset (bộ dữ liệu), owned by a unit through one of
// the unit's sites: the organisation of CKAN is the unit.
type Dataset struct {
	ID            string // UUID, as CKAN's
	Name          string // URL name: lower-case letters, digits, - and _
	SiteID        int64  // the owning unit's site
	Title         string
	Notes         string // description
	LicenseID     string
	Frequency     string // a Frequencies code
	TemporalStart string // YYYY-MM-DD, optional
	TemporalEnd   string
	Spatial       string // spatial coverage, e.g. "Thành phố Hà Nội"
	ContactName   string
	ContactEmail  string
	SourceURL     string
	Version       string
	Feed          string // the Feed that keeps it current, "" when kept by hand
	State         State
	CreatorID     int64
	Created       time.Time
	Modified      time.Time
	Seq           int64 // the change counter when last written

	Tags      []string
	Groups    []string // group names
	Resources []*Resource
}

// Resource is one file or link of a dataset (tài nguyên).
type Resource struct {
	ID          string
	DatasetID   string
	Position    int
	Name        string
	Description string
	Format      string // CSV, JSON, XLSX, PDF, …
	Mimetype    string
	URL         string // for links; "" for uploads (their URL is built per request)
	Filename    string // for uploads
	Size        int64
	Hash        string // "sha256:…" of the current file
	Version     int    // current file version, 0 for links
	State       State
	Datastore   string // the table holding its rows, "" when it has none
	Rows        int64
	Columns     []Column
	Report      *LoadReport // what loading the rows found
	Downloads   int64
	Created     time.Time
	Modified    time.Time // last_modified: when the file last changed
}

// Upload reports whether the resource is a file kept here (not a link).
func (r *Resource) Upload() bool { return r.URL == "" }

// Tabular reports whether the resource's rows are in the datastore.
func (r *Resource) Tabular() bool { return r.Datastore != "" }

// FileVersion is one file a resource has had.
type FileVersion struct {
	ResourceID string
	Version    int
	Filename   string
	Path       string // under the media directory
	Size       int64
	Hash       string
	Format     string
	Encoding   string // what the file came in, when it was converted
	Created    time.Time
	CreatedBy  string
}

// Group is a theme (nhóm, chủ đề) datasets belong to.
type Group struct {
	ID          string
	Name        string
	Title       string
	TitleEn     string
	Description string
	Created     time.Time
}

// DisplayTitle returns the group's title in lang.
func (g *Group) DisplayTitle(lang string) string {
	if lang != "vi" && g.TitleEn != "" {
		return g.TitleEn
	}
	return g.Title
}

// NewID returns a random UUID (version 4), the form CKAN clients expect.
func NewID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

var (
	nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{1,99}$`)
	idRE   = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	dateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	tagRE  = regexp.MustCompile(`^[\p{L}\p{N} ._-]{2,100}$`)
)

// ValidName reports whether s can be a dataset or group URL name (CKAN's
// rule: 2 to 100 lower-case letters, digits, - and _).
func ValidName(s string) bool { return nameRE.MatchString(s) }

// IsID reports whether s has the form of an id (a UUID).
func IsID(s string) bool { return idRE.MatchString(s) }

// NameFor makes a URL name from a title.
func NameFor(title string) string {
	n := vietnamese.Slug(title, 90)
	if len(n) < 2 {
		n = "du-lieu-" + NewID()[:8]
	}
	return n
}

// validate cleans and checks a dataset's fields, collecting every problem.
func (d *Dataset) validate() error {
	var errs fault.List
	for _, f := range []struct {
		name string
		v    *string
		max  int
	}{
		{"title", &d.Title, 300}, {"spatial", &d.Spatial, 300}, {"contact_name", &d.ContactName, 200},
		{"version", &d.Version, 50}, {"source_url", &d.SourceURL, 1000},
	} {
		*f.v = vietnamese.Clean(*f.v)
		if utf8.RuneCountInString(*f.v) > f.max {
			errs = append(errs, fault.OnField(f.name, "field.too_long", f.max))
		}
	}
	d.Notes = cleanText(d.Notes)
	if utf8.RuneCountInString(d.Notes) > 20000 {
		errs = append(errs, fault.OnField("notes", "field.too_long", 20000))
	}
	if d.Title == "" {
		errs = append(errs, fault.OnField("title", "data.title_required"))
	}
	d.Name = strings.ToLower(strings.TrimSpace(d.Name))
	if d.Name == "" {
		d.Name = NameFor(d.Title)
	}
	if !ValidName(d.Name) || IsID(d.Name) {
		errs = append(errs, fault.OnField("name", "data.name_invalid"))
	}
	if d.SiteID == 0 {
		errs = append(errs, fault.OnField("owner_org", "data.owner_required"))
	}
	if _, ok := LicenseByID(d.LicenseID); !ok {
		errs = append(errs, fault.OnField("license_id", "data.license_invalid"))
	}
	if d.Frequency != "" && !slices.Contains(Frequencies, d.Frequency) {
		errs = append(errs, fault.OnField("frequency", "data.frequency_invalid"))
	}
	for _, f := range []struct {
		name string
		v    *string
	}{{"temporal_start", &d.TemporalStart}, {"temporal_end", &d.TemporalEnd}} {
		*f.v = strings.TrimSpace(*f.v)
		if *f.v == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, *f.v); err != nil || !dateRE.MatchString(*f.v) {
			errs = append(errs, fault.OnField(f.name, "field.date_invalid"))
		}
	}
	if d.TemporalStart != "" && d.TemporalEnd != "" && d.TemporalEnd < d.TemporalStart {
		errs = append(errs, fault.OnField("temporal_end", "data.temporal_order"))
	}
	d.ContactEmail = strings.ToLower(vietnamese.Clean(d.ContactEmail))
	if d.ContactEmail != "" {
		if a, err := mail.ParseAddress(d.ContactEmail); err != nil || a.Address != d.ContactEmail {
			errs = append(errs, fault.OnField("contact_email", "field.email_invalid"))
		}
	}
	if d.SourceURL != "" && !webURL(d.SourceURL) {
		errs = append(errs, fault.OnField("source_url", "data.url_invalid"))
	}
	switch d.State {
	case "":
		d.State = Active
	case Active, Draft:
	default:
		errs = append(errs, fault.OnField("state", "data.state_invalid"))
	}
	tags, err := cleanTags(d.Tags)
	if err != nil {
		errs = append(errs, err)
	}
	d.Tags = tags
	if len(d.Groups) > 20 {
		errs = append(errs, fault.OnField("groups", "data.too_many", 20))
	}
	return errs.Err()
}

func cleanTags(in []string) ([]string, *fault.Error) {
	var out []string
	for _, t := range in {
		t = vietnamese.Clean(t)
		if t == "" || slices.Contains(out, t) {
			continue
		}
		if !tagRE.MatchString(t) {
			return out, fault.OnField("tags", "data.tag_invalid", t)
		}
		out = append(out, t)
	}
	if len(out) > 50 {
		return out[:50], fault.OnField("tags", "data.too_many", 50)
	}
	slices.SortFunc(out, vietnamese.Compare)
	return out, nil
}

// cleanText normalises a multi-line text: NFC, valid UTF-8, no control
// characters but new lines, trimmed.
func cleanText(s string) string {
	s = vietnamese.NFC(strings.ToValidUTF8(strings.ReplaceAll(s, "\r\n", "\n"), ""))
	var b strings.Builder
	for _, r := range s {
		if r == '\n' || r == '\t' || r >= ' ' && r != 0x7f && r != '\uFEFF' {
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(b.String())
}

func webURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && len(s) <= 1000
}

func (r *Resource) validate() error {
	var errs fault.List
	r.Name = vietnamese.Clean(r.Name)
	if r.Name == "" {
		errs = append(errs, fault.OnField("name", "data.resource_name_required"))
	} else if utf8.RuneCountInString(r.Name) > 300 {
		errs = append(errs, fault.OnField("name", "field.too_long", 300))
	}
	r.Description = cleanText(r.Description)
	if utf8.RuneCountInString(r.Description) > 5000 {
		errs = append(errs, fault.OnField("description", "field.too_long", 5000))
	}
	r.Format = strings.ToUpper(vietnamese.Clean(r.Format))
	if len(r.Format) > 20 {
		errs = append(errs, fault.OnField("format", "field.too_long", 20))
	}
	r.URL = strings.TrimSpace(r.URL)
	if r.URL != "" && !webURL(r.URL) {
		errs = append(errs, fault.OnField("url", "data.url_invalid"))
	}
	return errs.Err()
}
