package staff

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/vietnamese"
)

// tokenPrefix starts every API token, so leaked tokens are easy to find by
// secret scanners.
const tokenPrefix = "cong_"

// CreateToken issues an API token acting as the user with the given e-mail
// and returns it; it is not stored and cannot be shown again. Users create
// their own tokens; system administrators create anyone's.
func (s *Service) CreateToken(ctx context.Context, email, name string) (string, *Token, error) {
	u, err := s.UserByEmail(ctx, email)
	if err != nil {
		return "", nil, err
	}
	if a := access.From(ctx); a == nil || a.UserID != u.ID {
		if err := access.Check(ctx, access.ManageUsers, 0); err != nil {
			return "", nil, err
		}
	}
	if u.Disabled {
		return "", nil, fault.New(fault.Invalid, "staff.disabled")
	}
	name = vietnamese.Clean(name)
	if name == "" {
		name = "API"
	}
	if utf8.RuneCountInString(name) > 100 {
		return "", nil, fault.OnField("name", "field.too_long", 100)
	}
	plain := tokenPrefix + randomToken(32)
	t := &Token{UserID: u.ID, Name: name, Hash: HashToken(plain), Prefix: plain[:len(tokenPrefix)+6], Created: s.now().UTC()}
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.CreateToken(ctx, t); err != nil {
			return err
		}
		return s.log.Record(ctx, "token.create", 0, u.Email, map[string]any{"name": name, "prefix": t.Prefix})
	})
	if err != nil {
		return "", nil, err
	}
	return plain, t, nil
}

// ActorForToken returns the actor an API token acts as. Revoked tokens and
// tokens of disabled accounts are refused.
func (s *Service) ActorForToken(ctx context.Context, plain, addr string) (*access.Actor, error) {
	if !strings.HasPrefix(plain, tokenPrefix) || len(plain) > 100 {
		return nil, fault.New(fault.Unauthorized, "token.invalid")
	}
	t, err := s.store.TokenByHash(ctx, HashToken(plain))
	if fault.Is(err, fault.NotFound) {
		return nil, fault.New(fault.Unauthorized, "token.invalid")
	}
	if err != nil {
		return nil, err
	}
	if !t.Revoked.IsZero() {
		return nil, fault.New(fault.Unauthorized, "token.invalid")
	}
	u, err := s.store.User(ctx, t.UserID)
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, fault.New(fault.Unauthorized, "token.invalid")
	}
	now := s.now().UTC()
	if now.Sub(t.LastUsed) >= touchEvery {
		if err := s.store.TouchToken(ctx, t.ID, now); err != nil {
			return nil, err
		}
	}
	return s.Actor(ctx, u, "token", addr)
}

// Tokens lists a user's tokens (never the tokens themselves).
func (s *Service) Tokens(ctx context.Context, userID int64) ([]*Token, error) {
	if a := access.From(ctx); a == nil || a.UserID != userID {
		if err := access.Check(ctx, access.ManageUsers, 0); err != nil {
			return nil, err
		}
	}
	return s.store.Tokens(ctx, userID)
}

// RevokeToken revokes one of the signed-in user's tokens (or anyone's, for a
// system administrator).
func (s *Service) RevokeToken(ctx context.Context, userID, tokenID int64) error {
	ts, err := s.Tokens(ctx, userID)
	if err != nil {
		return err
	}
	for _, t := range ts {
		if t.ID == tokenID {
			return s.store.InTx(ctx, func(ctx context.Context) error {
				if err := s.store.RevokeToken(ctx, t.ID, s.now().UTC()); err != nil {
					return err
				}
				return s.log.Record(ctx, "token.revoke", 0, t.Prefix, nil)
			})
		}
	}
	return fault.New(fault.NotFound, "token.not_found")
}
