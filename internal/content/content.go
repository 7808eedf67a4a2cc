// Package content is publishing: articles (tin bài) in categories, the
// organisation's static pages, multimedia items (galleries, video, audio,
// infographics, long-form stories), their revisions and the editorial
// workflow (draft → submitted → approved → published), scheduled
// publishing and expiry, translations, syndication up and down the tree of
// units, the leaders' work schedule and the links to other portals. It has
// no HTTP and no SQL: handlers call the Service, the Service checks
// permissions and writes an audit entry with every change.
package content

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/media"
	"github.com/congvn/cong/internal/richtext"
	"github.com/congvn/cong/internal/vietnamese"
)

// Kind says what an item is and how its page looks.
type Kind string

// The kinds of items.
const (
	KindArticle     Kind = "article"     // tin bài
	KindPage        Kind = "page"        // trang tĩnh: giới thiệu, chức năng nhiệm vụ…
	KindGallery     Kind = "gallery"     // phóng sự ảnh
	KindVideo       Kind = "video"       // video
	KindAudio       Kind = "audio"       // audio, podcast
	KindInfographic Kind = "infographic" // infographic
	KindLongform    Kind = "longform"    // long-form story (e-magazine)
)

// Kinds lists every kind in the order the staff interface offers them.
var Kinds = []Kind{KindArticle, KindGallery, KindVideo, KindAudio, KindInfographic, KindLongform, KindPage}

// Multimedia reports whether k is listed on the multimedia page.
func (k Kind) Multimedia() bool {
	return k == KindGallery || k == KindVideo || k == KindAudio || k == KindInfographic || k == KindLongform
}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return slices.Contains(Kinds, k) }

// Status is where an item is in the workflow.
type Status string

// The workflow's states.
const (
	Draft       Status = "draft"       // being written; only its author and editors see it
	Submitted   Status = "submitted"   // waiting for review
	Approved    Status = "approved"    // approved, waiting for its publication time
	Published   Status = "published"   // public
	Rejected    Status = "rejected"    // sent back to its author with a reason
	Unpublished Status = "unpublished" // taken down with a reason, or expired
)

// Statuses lists every status in workflow order.
var Statuses = []Status{Draft, Submitted, Approved, Published, Rejected, Unpublished}

// Page templates: what a static page shows below its text.
const (
	TemplatePlain   = ""        // the text only
	TemplateOrg     = "org"     // the organisation chart (cơ cấu tổ chức)
	TemplateLeaders = "leaders" // the leaders with photo, title and contacts (lãnh đạo)
)

// Category is a section of a site's news (chuyên mục); categories nest.
type Category struct {
	ID          int64
	SiteID      int64
	ParentID    int64
	Slug        string
	Name        string
	NameEn      string
	Description string
	Position    int
	Created     time.Time
	Updated     time.Time
}

// DisplayName returns the category's name in lang.
func (c *Category) DisplayName(lang string) string {
	if lang != "vi" && c.NameEn != "" {
		return c.NameEn
	}
	return c.Name
}

// Article is any published item: a news article, a page or a multimedia
// item. Translations are Articles of another language whose OriginalID is
// the Vietnamese item; they share its slug, so /en/PATH is the translation of
// PATH.
type Article struct {
	ID         int64
	SiteID     int64
	Kind       Kind
	Lang       string
	OriginalID int64 // the item this one translates; 0 for originals
	SourceRev  int   // the original's ContentRev this translation follows
	CategoryID int64
	Slug       string
	Title      string
	Summary    string // sapo
	Body       string // sanitised HTML
	CoverID    int64  // a media item (image)
	Author     string
	Source     string
	Tags       []string
	Template   string  // pages: TemplatePlain, TemplateOrg, TemplateLeaders
	MediaIDs   []int64 // galleries, video, audio, infographics: the media shown
	Position   int     // pages: order in the menu of pages
	Status     Status
	Reason     string    // why it was rejected or unpublished
	PublishAt  time.Time // scheduled publication
	ExpireAt   time.Time // scheduled removal
	Published  time.Time // first publication
	ContentRev int       // incremented when title, summary or body change
	// ContentUpdated is when the text last changed: the "updated" time
	// readers see.
	ContentUpdated time.Time
	Version        int // optimistic locking: incremented by every save
	CreatedBy      int64
	CreatedByName  string
	Created        time.Time
	Updated        time.Time

	// Filled by some queries.
	Cover *media.Item
	// Outdated is set on translations whose original changed after them.
	Outdated bool
}

// Public reports whether readers can see the item.
func (a *Article) Public() bool { return a.Status == Published }

// Path returns the item's path on its site, without a language prefix.
func (a *Article) Path() string { return PathOf(a.Kind, a.Slug) }

// PathOf returns the path of an item of kind with slug.
func PathOf(k Kind, slug string) string {
	if k == KindPage {
		return "/gioi-thieu/" + slug
	}
	return "/tin-tuc/" + slug
}

// Limits on what an item may hold.
const (
	MaxTitle   = 300
	MaxSummary = 2000
	MaxBody    = 512 << 10
	MaxSlug    = 100
	MaxTags    = 20
	MaxAuthor  = 200
	MaxReason  = 1000
)

// Input is what an author or editor writes.
type Input struct {
	Kind       Kind
	CategoryID int64
	Title      string
	Summary    string
	Body       string // HTML from the editor, or plain text from the textarea
	CoverID    int64
	Author     string
	Source     string
	Tags       []string
	Slug       string // optional; made from the title when empty
	Template   string
	MediaIDs   []int64
	Position   int
	ExpireAt   time.Time
}

// clean normalises and validates the input, collecting every field error.
// The body is sanitised here, whatever the browser's editor did.
func (in *Input) clean(sanitize func(string) string) error {
	var errs fault.List
	if !in.Kind.Valid() {
		in.Kind = KindArticle
	}
	in.Title = vietnamese.Clean(in.Title)
	in.Summary = strings.TrimSpace(vietnamese.NFC(strings.ToValidUTF8(in.Summary, "")))
	in.Author = vietnamese.Clean(in.Author)
	in.Source = vietnamese.Clean(in.Source)
	switch {
	case in.Title == "":
		errs = append(errs, fault.OnField("title", "article.title_required"))
	case utf8.RuneCountInString(in.Title) > MaxTitle:
		errs = append(errs, fault.OnField("title", "article.title_too_long", MaxTitle))
	}
	if utf8.RuneCountInString(in.Summary) > MaxSummary {
		errs = append(errs, fault.OnField("summary", "article.summary_too_long", MaxSummary))
	}
	if len(in.Body) > MaxBody {
		errs = append(errs, fault.OnField("body", "article.body_too_long", MaxBody/1024))
	} else {
		body := vietnamese.NFC(in.Body)
		if !richtext.LooksLikeHTML(body) {
			body = richtext.FromText(body)
		}
		in.Body = sanitize(body)
	}
	if utf8.RuneCountInString(in.Author) > MaxAuthor {
		errs = append(errs, fault.OnField("author", "article.author_too_long", MaxAuthor))
	}
	if utf8.RuneCountInString(in.Source) > MaxAuthor {
		errs = append(errs, fault.OnField("source", "article.source_too_long", MaxAuthor))
	}
	var tags []string
	for _, t := range in.Tags {
		t = vietnamese.Clean(strings.Trim(t, " ,#"))
		if t == "" || slices.Contains(tags, t) {
			continue
		}
		if utf8.RuneCountInString(t) > 60 {
			t = string([]rune(t)[:60])
		}
		tags = append(tags, t)
	}
	if len(tags) > MaxTags {
		errs = append(errs, fault.OnField("tags", "article.too_many_tags", MaxTags))
	}
	in.Tags = tags
	if in.Slug != "" {
		in.Slug = vietnamese.Slug(in.Slug, MaxSlug)
	}
	if in.Kind == KindPage {
		if in.Template != TemplateOrg && in.Template != TemplateLeaders {
			in.Template = TemplatePlain
		}
	} else {
		in.Template = ""
	}
	if len(in.MediaIDs) > 200 {
		in.MediaIDs = in.MediaIDs[:200]
	}
	return errs.Err()
}

// SlugFor makes the slug of a title: Vietnamese folded to ASCII, hyphens,
// at most MaxSlug bytes, and never empty.
func SlugFor(title string) string {
	s := vietnamese.Slug(title, MaxSlug)
	if s == "" {
		s = "bai-viet"
	}
	return s
}

// ParseTags splits a comma-separated list of tags.
func ParseTags(s string) []string {
	var out []string
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

func formatInt(n int64) string { return strconv.FormatInt(n, 10) }
