package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/staff"
)

const userColumns = `id, email, name, password_hash, totp_secret, totp_enabled, totp_last_step, failed_logins, locked_until,
	disabled, created_at, updated_at, password_changed_at`

func scanUser(row interface{ Scan(...any) error }) (*staff.User, error) {
	var u staff.User
	var locked sql.NullTime
	err := row.Scan(&u.ID, &u.Email, &u.Name, &u.PasswordHash, &u.TOTPSecret, &u.TOTPEnabled, &u.TOTPLastStep, &u.FailedLogins,
		&locked, &u.Disabled, &u.Created, &u.Updated, &u.PasswordChangedAt)
	u.LockedUntil = timeOf(locked)
	u.Created, u.Updated, u.PasswordChangedAt = u.Created.UTC(), u.Updated.UTC(), u.PasswordChangedAt.UTC()
	return &u, err
}

// CreateUser inserts u and sets its ID.
func (db *DB) CreateUser(ctx context.Context, u *staff.User) error {
	err := db.queryRowTx(ctx, `INSERT INTO users (email, name, password_hash, totp_secret, totp_enabled, totp_last_step,
		failed_logins, locked_until, disabled, created_at, updated_at, password_changed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		u.Email, u.Name, u.PasswordHash, u.TOTPSecret, u.TOTPEnabled, u.TOTPLastStep, u.FailedLogins, nullTS(u.LockedUntil),
		u.Disabled, ts(u.Created), ts(u.Updated), ts(u.PasswordChangedAt)).Scan(&u.ID)
	if isUniqueViolation(err) {
		return fault.OnField("email", "staff.email_taken", u.Email)
	}
	return err
}

// UpdateUser stores the mutable fields of u (not the login counters, which
// change only through their own methods).
func (db *DB) UpdateUser(ctx context.Context, u *staff.User) error {
	res, err := db.exec(ctx, `UPDATE users SET name = ?, password_hash = ?, totp_secret = ?, totp_enabled = ?, totp_last_step = ?,
		disabled = ?, updated_at = ?, password_changed_at = ? WHERE id = ?`,
		u.Name, u.PasswordHash, u.TOTPSecret, u.TOTPEnabled, u.TOTPLastStep, u.Disabled, ts(u.Updated), ts(u.PasswordChangedAt), u.ID)
	return rowsAffected(res, err, "staff.not_found")
}

// User returns an account by id.
func (db *DB) User(ctx context.Context, id int64) (*staff.User, error) {
	u, err := scanUser(db.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
	return u, notFound(err, "staff.not_found")
}

// UserByEmail returns an account by its (lower-case) e-mail.
func (db *DB) UserByEmail(ctx context.Context, email string) (*staff.User, error) {
	u, err := scanUser(db.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE email = ?`, email))
	return u, notFound(err, "staff.not_found")
}

// Users lists accounts by e-mail; with siteID, only those with a role there.
func (db *DB) Users(ctx context.Context, siteID int64) ([]*staff.User, error) {
	q := `SELECT ` + userColumns + ` FROM users ORDER BY email`
	var args []any
	if siteID != 0 {
		q = `SELECT ` + userColumns + ` FROM users WHERE id IN (SELECT user_id FROM grants WHERE site_id = ?) ORDER BY email`
		args = append(args, siteID)
	}
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*staff.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// Grants lists a user's roles.
func (db *DB) Grants(ctx context.Context, userID int64) ([]staff.Grant, error) {
	rows, err := db.query(ctx, `SELECT user_id, site_id, role FROM grants WHERE user_id = ? ORDER BY COALESCE(site_id, 0), role`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []staff.Grant
	for rows.Next() {
		var g staff.Grant
		var site sql.NullInt64
		if err := rows.Scan(&g.UserID, &site, &g.Role); err != nil {
			return nil, err
		}
		g.SiteID = site.Int64
		out = append(out, g)
	}
	return out, rows.Err()
}

// AddGrant gives a role; holding it already is a conflict.
func (db *DB) AddGrant(ctx context.Context, g staff.Grant) error {
	_, err := db.exec(ctx, `INSERT INTO grants (user_id, site_id, role, created_at) VALUES (?, ?, ?, ?)`,
		g.UserID, nullID(g.SiteID), string(g.Role), ts(time.Now()))
	if isUniqueViolation(err) {
		return fault.New(fault.Conflict, "staff.grant_exists")
	}
	if isForeignKeyViolation(err) {
		return fault.New(fault.NotFound, "site.not_found")
	}
	return err
}

// RemoveGrant takes a role away.
func (db *DB) RemoveGrant(ctx context.Context, g staff.Grant) error {
	res, err := db.exec(ctx, `DELETE FROM grants WHERE user_id = ? AND COALESCE(site_id, 0) = ? AND role = ?`, g.UserID, g.SiteID, string(g.Role))
	return rowsAffected(res, err, "staff.grant_not_found")
}

// RecordLoginFailure counts one failed login.
func (db *DB) RecordLoginFailure(ctx context.Context, userID int64) (int, error) {
	var n int
	err := db.queryRowTx(ctx, `UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ? RETURNING failed_logins`, userID).Scan(&n)
	return n, notFound(err, "staff.not_found")
}

// LockUser locks an account until a time and clears its failure count.
func (db *DB) LockUser(ctx context.Context, userID int64, until time.Time) error {
	res, err := db.exec(ctx, `UPDATE users SET locked_until = ?, failed_logins = 0 WHERE id = ?`, ts(until), userID)
	return rowsAffected(res, err, "staff.not_found")
}

// ResetLoginFailures clears the failure count after a successful login.
func (db *DB) ResetLoginFailures(ctx context.Context, userID int64) error {
	_, err := db.exec(ctx, `UPDATE users SET failed_logins = 0 WHERE id = ?`, userID)
	return err
}

// AdvanceTOTPStep marks a TOTP step used, if it is newer than the last one.
func (db *DB) AdvanceTOTPStep(ctx context.Context, userID, step int64) (bool, error) {
	res, err := db.exec(ctx, `UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?`, step, userID, step)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ReplaceRecoveryCodes replaces all of a user's recovery codes.
func (db *DB) ReplaceRecoveryCodes(ctx context.Context, userID int64, hashes []string) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		if _, err := db.exec(ctx, `DELETE FROM recovery_codes WHERE user_id = ?`, userID); err != nil {
			return err
		}
		for _, h := range hashes {
			if _, err := db.exec(ctx, `INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)`, userID, h); err != nil {
				return err
			}
		}
		return nil
	})
}

// UseRecoveryCode marks an unused code used and reports whether it was one.
func (db *DB) UseRecoveryCode(ctx context.Context, userID int64, hash string, at time.Time) (bool, error) {
	res, err := db.exec(ctx, `UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL`, ts(at), userID, hash)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// UnusedRecoveryCodes counts a user's unused recovery codes.
func (db *DB) UnusedRecoveryCodes(ctx context.Context, userID int64) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL`, userID).Scan(&n)
	return n, err
}

const sessionColumns = `id_hash, user_id, stage, csrf, totp_secret, totp_failures, addr, user_agent, created_at, last_seen_at, expires_at`

// CreateSession stores a new session.
func (db *DB) CreateSession(ctx context.Context, s *staff.Session) error {
	s.Created, s.LastSeen, s.Expires = ts(s.Created), ts(s.LastSeen), ts(s.Expires)
	_, err := db.exec(ctx, `INSERT INTO sessions (`+sessionColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.IDHash, s.UserID, string(s.Stage), s.CSRF, s.TOTPSecret, s.TOTPFailures, s.Addr, s.UserAgent, s.Created, s.LastSeen, s.Expires)
	return err
}

// Session returns a session by the hash of its token.
func (db *DB) Session(ctx context.Context, idHash string) (*staff.Session, error) {
	var s staff.Session
	err := db.queryRow(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE id_hash = ?`, idHash).Scan(
		&s.IDHash, &s.UserID, &s.Stage, &s.CSRF, &s.TOTPSecret, &s.TOTPFailures, &s.Addr, &s.UserAgent, &s.Created, &s.LastSeen, &s.Expires)
	if err != nil {
		return nil, notFound(err, "session.expired")
	}
	s.Created, s.LastSeen, s.Expires = s.Created.UTC(), s.LastSeen.UTC(), s.Expires.UTC()
	return &s, nil
}

// UpdateSession stores a session's mutable fields.
func (db *DB) UpdateSession(ctx context.Context, s *staff.Session) error {
	res, err := db.exec(ctx, `UPDATE sessions SET stage = ?, csrf = ?, totp_secret = ?, totp_failures = ?, last_seen_at = ? WHERE id_hash = ?`,
		string(s.Stage), s.CSRF, s.TOTPSecret, s.TOTPFailures, ts(s.LastSeen), s.IDHash)
	return rowsAffected(res, err, "session.expired")
}

// DeleteSession removes a session.
func (db *DB) DeleteSession(ctx context.Context, idHash string) error {
	_, err := db.exec(ctx, `DELETE FROM sessions WHERE id_hash = ?`, idHash)
	return err
}

// DeleteUserSessions removes every session of a user but one.
func (db *DB) DeleteUserSessions(ctx context.Context, userID int64, except string) error {
	_, err := db.exec(ctx, `DELETE FROM sessions WHERE user_id = ? AND id_hash <> ?`, userID, except)
	return err
}

// DeleteExpiredSessions removes sessions idle since before idleBefore or
// past their end.
func (db *DB) DeleteExpiredSessions(ctx context.Context, idleBefore, now time.Time) (int64, error) {
	res, err := db.exec(ctx, `DELETE FROM sessions WHERE last_seen_at < ? OR expires_at < ?`, ts(idleBefore), ts(now))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// CreateToken stores a new API token.
func (db *DB) CreateToken(ctx context.Context, t *staff.Token) error {
	return db.queryRowTx(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		t.UserID, t.Name, t.Hash, t.Prefix, ts(t.Created)).Scan(&t.ID)
}

const tokenColumns = `id, user_id, name, token_hash, prefix, created_at, last_used_at, revoked_at`

func scanToken(row interface{ Scan(...any) error }) (*staff.Token, error) {
	var t staff.Token
	var used, revoked sql.NullTime
	err := row.Scan(&t.ID, &t.UserID, &t.Name, &t.Hash, &t.Prefix, &t.Created, &used, &revoked)
	t.Created, t.LastUsed, t.Revoked = t.Created.UTC(), timeOf(used), timeOf(revoked)
	return &t, err
}

// TokenByHash returns a token by its hash.
func (db *DB) TokenByHash(ctx context.Context, hash string) (*staff.Token, error) {
	t, err := scanToken(db.queryRow(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE token_hash = ?`, hash))
	return t, notFound(err, "token.invalid")
}

// Tokens lists a user's tokens, newest first.
func (db *DB) Tokens(ctx context.Context, userID int64) ([]*staff.Token, error) {
	rows, err := db.query(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE user_id = ? ORDER BY id DESC`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*staff.Token
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// TouchToken records a token's last use.
func (db *DB) TouchToken(ctx context.Context, id int64, at time.Time) error {
	_, err := db.exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, ts(at), id)
	return err
}

// RevokeToken revokes a token.
func (db *DB) RevokeToken(ctx context.Context, id int64, at time.Time) error {
	res, err := db.exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, ts(at), id)
	return rowsAffected(res, err, "token.not_found")
}

// Setting returns a stored setting.
func (db *DB) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := db.queryRow(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	return v, notFound(err, "setting.not_found")
}

// SetSetting stores a setting.
func (db *DB) SetSetting(ctx context.Context, key, value string) error {
	_, err := db.exec(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}
