// Package feedback receives citizens' and businesses' feedback and petitions
// (phản ánh, kiến nghị) and questions (hỏi đáp), and carries each to a
// published answer: intake with a tracking code, triage at the editorial
// office, assignment to the responsible unit, requests for more information
// (the clock pauses), drafts, approval and publication with personal data
// removed, ratings, deadlines in working days with reminders and escalation
// up the unit tree, and statistics against the plan's 100 % targets.
//
// Who does what (roles in internal/access):
//   - anyone submits, follows an item by its code, adds what was asked for,
//     and rates the answer;
//   - a feedback officer (feedback_officer) handles the items at their site:
//     at the city portal that is the editorial office's triage queue, where
//     every new item lands; elsewhere the items assigned to the unit. They
//     assign and transfer, ask the citizen for more, merge duplicates,
//     reject what is out of scope, and draft answers;
//   - an editor-in-chief (editor_in_chief) of the item's site, or of the city
//     portal, approves a draft and publishes it (or answers without
//     publishing, with a reason);
//   - a supervisor reads everything; the system administrator does anything.
package feedback

import (
	"crypto/rand"
	"strings"
	"time"
)

// Kind is what a citizen sends.
type Kind string

// The kinds of items.
const (
	Feedback Kind = "feedback" // phản ánh, kiến nghị
	Question Kind = "question" // hỏi đáp
)

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k == Feedback || k == Question }

// Prefix is the start of the kind's tracking codes.
func (k Kind) Prefix() string {
	if k == Question {
		return "HD"
	}
	return "PA"
}

// Status is where an item stands.
type Status string

// The statuses. Received, Assigned, Waiting and Drafted are open; the rest
// are closed (Answered and Published count as resolved).
const (
	Received  Status = "received"  // in the triage queue of its site
	Assigned  Status = "assigned"  // with the responsible unit
	Waiting   Status = "waiting"   // waiting for the citizen; the clock is paused
	Drafted   Status = "drafted"   // an answer waits for approval
	Answered  Status = "answered"  // answered, not published (with a reason)
	Published Status = "published" // answered and published
	Rejected  Status = "rejected"  // not accepted, with a reason
	Duplicate Status = "duplicate" // merged into another item
)

// Statuses lists every status in workflow order.
var Statuses = []Status{Received, Assigned, Waiting, Drafted, Answered, Published, Rejected, Duplicate}

// Open reports whether the item still needs work (its deadline runs).
func (s Status) Open() bool { return s == Received || s == Assigned || s == Waiting || s == Drafted }

// Resolved reports whether the item has its answer.
func (s Status) Resolved() bool { return s == Answered || s == Published }

// Item is one feedback or question.
type Item struct {
	ID           int64
	Code         string // tracking code, shown once to the submitter; never public
	Kind         Kind
	SiteID       int64 // the site (unit) responsible now
	OriginSiteID int64 // the site it was sent on
	Category     string
	Title        string
	Body         string
	Place        Place
	Contact      Contact
	Consent      Consent
	Status       Status
	Verified     bool   // passed the proof of work or the e-mail confirmation
	Source       string // web, open311:APP
	Version      int

	ReceivedAt  time.Time
	DueAt       time.Time
	PausedAt    time.Time // when it started waiting for the citizen
	PausedDays  int       // working days spent waiting, added to the deadline
	RemindedAt  time.Time
	AnsweredAt  time.Time
	PublishedAt time.Time
	ClosedAt    time.Time
	UpdatedAt   time.Time

	EscalationLevel int
	EscalatedSiteID int64 // the parent unit's site the overdue item was reported to

	DuplicateOf  int64
	Answer       string
	AnswerSiteID int64  // the unit that answered
	Reason       string // why rejected, or why answered without publishing

	// The reviewed copy the public sees.
	PublicName  string
	PublicTitle string
	PublicBody  string
	PublicPlace string

	Rating        int // 1–5, 0 when not rated
	RatingComment string
	RatedAt       time.Time

	Fingerprint  string    // exact-duplicate key
	Sketch       uint64    // SimHash of the text, for near duplicates
	Refs         []Ref     // related procedures and documents
	Files        []*File   // attachments (metadata; data on demand)
	Links        []Link    // possible and confirmed duplicates
	ConfirmAt    time.Time // when the e-mail confirmation was done
	ConfirmToken string    // the secret of the confirmation link, until used
}

// Place is where the feedback is about.
type Place struct {
	Address  string
	Lat, Lon float64
	HasPoint bool
}

// Contact is how to reach the submitter: personal data, shown to the staff
// handling the item and never in a public view.
type Contact struct {
	Name  string
	Phone string
	Email string
}

// Consent records what the submitter agreed to (Law 91/2025 on Personal
// Data Protection): the purpose notice's version, when, and whether they
// also asked for e-mail updates (a separate purpose, never pre-ticked).
type Consent struct {
	Purpose string
	At      time.Time
	Notify  bool
}

// Ref links a published answer to a procedure or a document.
type Ref struct {
	Kind  string // procedure, document, link
	Ref   string // the procedure's code or the document's number, when known
	Title string
	URL   string
}

// Link ties an item to another that says the same.
type Link struct {
	OtherID   int64
	OtherCode string
	Kind      string // exact, near, merged
	Distance  int
	Status    Status
	Title     string
}

// File is an attachment.
type File struct {
	ID    int64
	Name  string
	Type  string // image/jpeg, image/png, application/pdf
	Size  int64
	SHA   string
	Data  []byte // only when asked for
	Order int
}

// Event is one step in an item's timeline.
type Event struct {
	ID       int64
	ItemID   int64
	At       time.Time
	Type     string // received, assigned, transferred, info_requested, …
	Public   bool   // shown on the tracking page; internal notes are not
	Actor    string // staff name, "citizen" or "system"
	SiteID   int64  // the unit acting
	ToSiteID int64
	Text     string
}

// CodeAlphabet has no letters or digits that read alike (0/O, 1/I/L).
const CodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

const codeAlphabet = CodeAlphabet

// NewCode returns a fresh tracking code: the kind's prefix and ten random
// characters (about 49 bits), e.g. PA-7K3MQ-9QX2T. Codes are the only key
// to an item's tracking page, so they cannot be guessed or enumerated.
func NewCode(k Kind) string {
	out := []byte(k.Prefix() + "-")
	var buf [32]byte
	n := 0
	for n < 10 {
		rand.Read(buf[:])
		for _, c := range buf {
			// Rejection sampling keeps every character equally likely.
			if n == 10 || int(c) >= 256/len(codeAlphabet)*len(codeAlphabet) {
				continue
			}
			if n == 5 {
				out = append(out, '-')
			}
			out = append(out, codeAlphabet[int(c)%len(codeAlphabet)])
			n++
		}
	}
	return string(out)
}

// NormalizeCode turns what a citizen typed into a code's canonical form:
// upper case, dashes where they belong, spaces and other separators ignored.
// ok is false when it cannot be a code.
func NormalizeCode(s string) (string, bool) {
	var raw []byte
	for _, r := range strings.ToUpper(s) {
		switch {
		case r >= 'A' && r <= 'Z' || r >= '0' && r <= '9':
			raw = append(raw, byte(r))
		case r == '-' || r == ' ' || r == '.' || r == '_':
		default:
			return "", false
		}
		if len(raw) > 12 {
			return "", false
		}
	}
	if len(raw) != 12 {
		return "", false
	}
	p := string(raw[:2])
	if p != "PA" && p != "HD" {
		return "", false
	}
	for _, c := range raw[2:] {
		if !strings.ContainsRune(codeAlphabet, rune(c)) {
			return "", false
		}
	}
	return p + "-" + string(raw[2:7]) + "-" + string(raw[7:]), true
}
