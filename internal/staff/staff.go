// Package staff holds the accounts of the people who run the portals:
// passwords (argon2id), the TOTP second factor with recovery codes,
// server-side sessions, API tokens, login throttling, and the roles each
// account holds on sites or city-wide.
package staff

import (
	"context"
	"time"

	"github.com/congvn/cong/internal/access"
)

// User is a staff account.
type User struct {
	ID                int64
	Email             string // lower-case; the login name
	Name              string
	PasswordHash      string
	TOTPSecret        string
	TOTPEnabled       bool
	TOTPLastStep      int64 // the last accepted step, so a code works once
	FailedLogins      int
	LockedUntil       time.Time
	Disabled          bool
	Created           time.Time
	Updated           time.Time
	PasswordChangedAt time.Time
}

// Grant is a role held by a user on a site, or city-wide when SiteID is 0.
type Grant struct {
	UserID int64
	SiteID int64
	Role   access.Role
}

// Stage is how far a session has come through the login.
type Stage string

// Session stages.
const (
	StageSecondFactor Stage = "second_factor" // password right; TOTP code or recovery code needed
	StageEnrol        Stage = "enrol"         // password right; the role requires TOTP, not yet set up
	StageFull         Stage = "full"          // signed in
)

// Session is a server-side login session. The browser holds only a random
// token; the store holds its SHA-256.
type Session struct {
	IDHash       string
	UserID       int64
	Stage        Stage
	CSRF         string // the form token of this session
	TOTPSecret   string // a secret being enrolled, until confirmed
	TOTPFailures int
	Addr         string
	UserAgent    string
	Created      time.Time
	LastSeen     time.Time
	Expires      time.Time // absolute end, whatever the activity
}

// Token is an API token. Only its hash is stored; the token itself is shown
// once, when created.
type Token struct {
	ID       int64
	UserID   int64
	Name     string
	Hash     string
	Prefix   string // the first characters, to recognise a token in lists
	Created  time.Time
	LastUsed time.Time
	Revoked  time.Time
}

// Store keeps accounts, grants, sessions and tokens.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error

	CreateUser(ctx context.Context, u *User) error
	UpdateUser(ctx context.Context, u *User) error
	User(ctx context.Context, id int64) (*User, error)
	UserByEmail(ctx context.Context, email string) (*User, error)
	// Users lists accounts; with siteID non-zero, only those holding a role
	// on that site.
	Users(ctx context.Context, siteID int64) ([]*User, error)

	Grants(ctx context.Context, userID int64) ([]Grant, error)
	AddGrant(ctx context.Context, g Grant) error
	RemoveGrant(ctx context.Context, g Grant) error

	// RecordLoginFailure adds one to the user's failure count and returns
	// the new count.
	RecordLoginFailure(ctx context.Context, userID int64) (int, error)
	// LockUser sets the lock end and clears the failure count.
	LockUser(ctx context.Context, userID int64, until time.Time) error
	ResetLoginFailures(ctx context.Context, userID int64) error
	// AdvanceTOTPStep records step as used when it is later than the last
	// used one, and reports whether it was.
	AdvanceTOTPStep(ctx context.Context, userID, step int64) (bool, error)

	ReplaceRecoveryCodes(ctx context.Context, userID int64, hashes []string) error
	UseRecoveryCode(ctx context.Context, userID int64, hash string, at time.Time) (bool, error)
	UnusedRecoveryCodes(ctx context.Context, userID int64) (int, error)

	CreateSession(ctx context.Context, s *Session) error
	Session(ctx context.Context, idHash string) (*Session, error)
	UpdateSession(ctx context.Context, s *Session) error
	DeleteSession(ctx context.Context, idHash string) error
	DeleteUserSessions(ctx context.Context, userID int64, except string) error

	CreateToken(ctx context.Context, t *Token) error
	TokenByHash(ctx context.Context, hash string) (*Token, error)
	Tokens(ctx context.Context, userID int64) ([]*Token, error)
	TouchToken(ctx context.Context, id int64, at time.Time) error
	RevokeToken(ctx context.Context, id int64, at time.Time) error

	Setting(ctx context.Context, key string) (string, error)
	SetSetting(ctx context.Context, key, value string) error
}

// Recorder writes the audit log entry of a change, inside its transaction.
type Recorder interface {
	Record(ctx context.Context, action string, siteID int64, target string, detail any) error
}
