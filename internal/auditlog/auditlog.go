// Package auditlog records every state change (who, what, when, from which
// address) in an append-only log whose entries are chained by SHA-256, so an
// edit made behind the application's back breaks the chain and is found by
// Verify.
package auditlog

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/congvn/cong/internal/access"
)

// Genesis is the previous hash of the first entry.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// Entry is one recorded state change.
type Entry struct {
	Seq       int64
	At        time.Time
	ActorID   int64
	ActorName string
	Via       string // session, token, cli, system
	Addr      string
	Action    string // e.g. site.update, unit.merge, user.login
	SiteID    int64  // 0 for city-wide changes
	Target    string // what was changed, e.g. a site code or an e-mail
	Detail    string // JSON with the changed fields
	PrevHash  string
	Hash      string
}

// ComputeHash returns the hash that seals e to its predecessor. Every field
// but Hash takes part, so changing any of them, or the order of entries,
// breaks the chain.
func (e *Entry) ComputeHash() string {
	b, _ := json.Marshal(struct {
		Seq       int64  `json:"seq"`
		At        string `json:"at"`
		ActorID   int64  `json:"actor_id"`
		ActorName string `json:"actor_name"`
		Via       string `json:"via"`
		Addr      string `json:"addr"`
		Action    string `json:"action"`
		SiteID    int64  `json:"site_id"`
		Target    string `json:"target"`
		Detail    string `json:"detail"`
	}{e.Seq, e.At.UTC().Format(time.RFC3339Nano), e.ActorID, e.ActorName, e.Via, e.Addr, e.Action, e.SiteID, e.Target, e.Detail})
	h := sha256.New()
	h.Write([]byte(e.PrevHash))
	h.Write([]byte{'\n'})
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}

// Store keeps the entries. LockHead serialises appenders (within the
// transaction in ctx); Head returns the last entry's sequence number and
// hash (0 and Genesis when empty).
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	LockAuditHead(ctx context.Context) error
	AuditHead(ctx context.Context) (seq int64, hash string, err error)
	InsertAudit(ctx context.Context, e *Entry) error
	AuditEntries(ctx context.Context, f Filter) ([]*Entry, int, error)
	EachAudit(ctx context.Context, fn func(*Entry) error) error
}

// Filter selects entries for the staff interface, newest first.
type Filter struct {
	SiteID   int64 // 0: all
	AllSites bool  // when SiteID is 0, include city-wide and every site's entries
	Action   string
	Limit    int
	Offset   int
}

// Log appends entries and verifies the chain.
type Log struct {
	store Store
	now   func() time.Time
}

// New returns a Log over s.
func New(s Store) *Log { return &Log{store: s, now: time.Now} }

// Record appends an entry for the actor in ctx. Call it inside the
// transaction that makes the change, so both are written or neither.
func (l *Log) Record(ctx context.Context, action string, siteID int64, target string, detail any) error {
	a := access.From(ctx)
	if a == nil {
		a = access.System("system", "system")
	}
	var d string
	switch v := detail.(type) {
	case nil:
	case string:
		d = v
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("auditlog: %w", err)
		}
		d = string(b)
	}
	e := &Entry{
		At: l.now().UTC().Truncate(time.Microsecond), ActorID: a.UserID, ActorName: a.Name,
		Via: a.Via, Addr: a.Addr, Action: action, SiteID: siteID, Target: target, Detail: d,
	}
	return l.store.InTx(ctx, func(ctx context.Context) error {
		if err := l.store.LockAuditHead(ctx); err != nil {
			return err
		}
		seq, hash, err := l.store.AuditHead(ctx)
		if err != nil {
			return err
		}
		e.Seq, e.PrevHash = seq+1, hash
		e.Hash = e.ComputeHash()
		return l.store.InsertAudit(ctx, e)
	})
}

// Entries lists entries for the staff interface (the caller checks
// permission to read them).
func (l *Log) Entries(ctx context.Context, f Filter) ([]*Entry, int, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	return l.store.AuditEntries(ctx, f)
}

// Break describes the first entry at which the chain does not hold.
type Break struct {
	Seq    int64
	Reason string
}

func (b *Break) Error() string {
	return fmt.Sprintf("audit log broken at entry %d: %s", b.Seq, b.Reason)
}

// Result is what Verify found.
type Result struct {
	Entries int64
	Head    string // hash of the last entry; record it elsewhere to detect a cut tail
	Break   *Break // nil when the chain holds
}

// Verify walks the whole log in order and checks that entries are numbered
// without gaps, that each names its predecessor's hash, and that each hash
// matches its content.
func (l *Log) Verify(ctx context.Context) (Result, error) {
	res := Result{Head: Genesis}
	prev := Genesis
	var want int64 = 1
	err := l.store.EachAudit(ctx, func(e *Entry) error {
		switch {
		case e.Seq != want:
			res.Break = &Break{Seq: want, Reason: fmt.Sprintf("entry %d is missing (next present is %d)", want, e.Seq)}
		case e.PrevHash != prev:
			res.Break = &Break{Seq: e.Seq, Reason: "it does not follow the entry before it (previous hash differs)"}
		case e.ComputeHash() != e.Hash:
			res.Break = &Break{Seq: e.Seq, Reason: "its content was changed after it was written (hash differs)"}
		}
		if res.Break != nil {
			return errStop
		}
		res.Entries++
		prev, want = e.Hash, want+1
		res.Head = e.Hash
		return nil
	})
	if err == errStop {
		err = nil
	}
	return res, err
}

var errStop = fmt.Errorf("stop")
