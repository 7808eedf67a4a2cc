package open311

import (
	"context"
	"time"
	"unicode/utf8"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/auditlog"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/vietnamese"
)

// Bounds of an application's rate, in requests posted per minute.
const (
	MinPerMinute = 1
	MaxPerMinute = 600
	// maxName bounds an application's name, in characters.
	maxName = 100
)

// KeyStore is what managing keys needs from storage.
type KeyStore interface {
	Keys
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	Open311Keys(ctx context.Context) ([]*Key, error)
	RevokeOpen311Key(ctx context.Context, id int64, at time.Time) error
}

// KeyService lists, creates and revokes application keys for system
// administrators, recording every change in the audit log.
type KeyService struct {
	store KeyStore
	log   *auditlog.Log
	now   func() time.Time
}

// NewKeyService returns the key service.
func NewKeyService(store KeyStore, log *auditlog.Log) *KeyService {
	return &KeyService{store: store, log: log, now: time.Now}
}

// List returns every key, newest first, revoked ones included.
func (s *KeyService) List(ctx context.Context) ([]*Key, error) {
	if err := access.Check(ctx, access.ManageOpen311Keys, 0); err != nil {
		return nil, err
	}
	return s.store.Open311Keys(ctx)
}

// Create makes a key for the application name at perMinute requests a
// minute; the returned secret is never stored, only its hash.
func (s *KeyService) Create(ctx context.Context, name string, perMinute int) (string, *Key, error) {
	if err := access.Check(ctx, access.ManageOpen311Keys, 0); err != nil {
		return "", nil, err
	}
	name = vietnamese.Clean(name)
	var errs fault.List
	switch {
	case name == "":
		errs = append(errs, fault.OnField("name", "open311keys.name_required"))
	case utf8.RuneCountInString(name) > maxName:
		errs = append(errs, fault.OnField("name", "field.too_long", maxName))
	}
	if perMinute < MinPerMinute || perMinute > MaxPerMinute {
		errs = append(errs, fault.OnField("per_minute", "open311keys.rate_bounds", MinPerMinute, MaxPerMinute))
	}
	if len(errs) > 0 {
		return "", nil, errs
	}
	var secret string
	var k *Key
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		var err error
		if secret, k, err = NewKey(ctx, s.store, name, perMinute); err != nil {
			return err
		}
		return s.log.Record(ctx, "open311.key_create", 0, k.Prefix,
			map[string]any{"id": k.ID, "name": k.Name, "per_minute": k.PerMinute})
	})
	if err != nil {
		return "", nil, err
	}
	return secret, k, nil
}

// Revoke revokes the key with id: the Open311 endpoints refuse it from
// then on.
func (s *KeyService) Revoke(ctx context.Context, id int64) (*Key, error) {
	keys, err := s.List(ctx)
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		if k.ID != id || k.Revoked {
			continue
		}
		err := s.store.InTx(ctx, func(ctx context.Context) error {
			if err := s.store.RevokeOpen311Key(ctx, id, s.now().UTC()); err != nil {
				return err
			}
			return s.log.Record(ctx, "open311.key_revoke", 0, k.Prefix, map[string]any{"id": k.ID, "name": k.Name})
		})
		return k, err
	}
	return nil, fault.New(fault.NotFound, "open311keys.not_found")
}
