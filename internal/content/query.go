package content

import (
	"time"

	"github.com/congvn/cong/internal/access"
)

// Filter selects items for the staff interface's lists.
type Filter struct {
	SiteID     int64
	Status     Status
	Kind       Kind
	Lang       string
	CategoryID int64
	AuthorID   int64
	Query      string // words of the title, with or without diacritics
	Page       int    // from 1
	PerPage    int
}

// ListQuery selects published items for public lists and feeds: those of
// the site and those syndicated to it.
type ListQuery struct {
	SiteID      int64
	Lang        string
	CategoryIDs []int64 // empty: every category
	Kinds       []Kind  // empty: every kind but pages
	Tag         string
	ExcludeID   int64
	Page        int
	PerPage     int
}

// Listed is an item in a public list, with where it comes from when it is
// syndicated from another site.
type Listed struct {
	*Article
	// Path is where the item is read on the listing site.
	Path string
	// FromSiteID is the item's own site when it is shown elsewhere.
	FromSiteID int64
}

// Revision is an item as it was saved once.
type Revision struct {
	ID         int64
	ArticleID  int64
	Version    int
	Title      string
	Summary    string
	Body       string
	Fields     RevisionFields
	AuthorID   int64
	AuthorName string
	Note       string
	Created    time.Time
}

// RevisionFields are the other fields a revision keeps.
type RevisionFields struct {
	CategoryID int64     `json:"category_id,omitempty"`
	CoverID    int64     `json:"cover_id,omitempty"`
	Author     string    `json:"author,omitempty"`
	Source     string    `json:"source,omitempty"`
	Tags       []string  `json:"tags,omitempty"`
	Slug       string    `json:"slug,omitempty"`
	Template   string    `json:"template,omitempty"`
	MediaIDs   []int64   `json:"media_ids,omitempty"`
	ExpireAt   time.Time `json:"expire_at,omitzero"`
	Status     Status    `json:"status,omitempty"`
}

// Syndication kinds and states.
const (
	SynProposal = "proposal" // a unit offers its article to an ancestor's site
	SynPush     = "push"     // the city sends a notice to descendants' sites

	SynProposed = "proposed"
	SynAccepted = "accepted"
	SynDeclined = "declined"
)

// Syndication is an item shown on another site than its own.
type Syndication struct {
	ID         int64
	ArticleID  int64
	FromSiteID int64
	ToSiteID   int64
	Kind       string
	Status     string
	CategoryID int64 // where it shows on the target site
	Slug       string
	Note       string
	Reason     string
	ProposedBy string
	DecidedBy  string
	Created    time.Time
	Decided    time.Time

	Article *Article // filled by some queries
}

// SyndicationFilter selects syndications.
type SyndicationFilter struct {
	ArticleID int64
	ToSiteID  int64
	Kind      string
	Status    string
	Limit     int
}

// Notification is a message to a staff member in the staff interface.
type Notification struct {
	ID        int64
	UserID    int64
	SiteID    int64
	ArticleID int64
	Key       string // catalog key
	Args      []string
	Link      string
	Created   time.Time
	Read      time.Time
}

// Recipient is a staff member to notify.
type Recipient struct {
	UserID int64
	Email  string
	Name   string
	Role   access.Role
}
