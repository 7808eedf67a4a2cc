// Package fault defines the small set of error kinds every service returns,
// so that the web, admin and API layers can map them to statuses and
// translated messages in one place. Services never build HTTP errors.
package fault

import (
	"errors"
	"fmt"
)

// Kind classifies an error by what the caller can do about it.
type Kind string

// The kinds of errors, mapped to HTTP statuses by the web layer.
const (
	Invalid      Kind = "invalid"      // the input is wrong; fix it and retry
	NotFound     Kind = "not_found"    // nothing by that name
	Conflict     Kind = "conflict"     // the state changed or a name is taken
	Unauthorized Kind = "unauthorized" // not signed in
	Forbidden    Kind = "forbidden"    // signed in, not allowed
	TooMany      Kind = "too_many"     // throttled or locked; retry later
	Gone         Kind = "gone"         // existed, now removed on purpose
	Internal     Kind = "internal"     // a bug or an outage; never shown in detail
)

// Error is a service error. Key names a message in the interface catalogs
// (internal/i18n) and Args fill its placeholders; Field names the form field
// the error belongs to, when there is one.
type Error struct {
	Kind  Kind
	Key   string
	Args  []any
	Field string
	Err   error // the underlying cause, for logs only
}

func (e *Error) Error() string {
	msg := e.Key
	if len(e.Args) > 0 {
		msg = fmt.Sprintf("%s %v", e.Key, e.Args)
	}
	if e.Field != "" {
		msg = e.Field + ": " + msg
	}
	if e.Err != nil {
		return msg + ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an error of the given kind with a catalog key.
func New(k Kind, key string, args ...any) *Error {
	return &Error{Kind: k, Key: key, Args: args}
}

// OnField returns an Invalid error attached to a form field.
func OnField(field, key string, args ...any) *Error {
	return &Error{Kind: Invalid, Key: key, Args: args, Field: field}
}

// Wrap records cause behind a kind and key.
func Wrap(cause error, k Kind, key string, args ...any) *Error {
	return &Error{Kind: k, Key: key, Args: args, Err: cause}
}

// KindOf returns the kind of err, Internal when err is not a *Error.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	var l List
	if errors.As(err, &l) {
		return Invalid
	}
	return Internal
}

// Is reports whether err is a fault of kind k.
func Is(err error, k Kind) bool { return err != nil && KindOf(err) == k }

// As returns err as a *Error, or nil.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// List gathers several field errors of one form, so a user sees them all at
// once instead of one per submission.
type List []*Error

func (l List) Error() string {
	if len(l) == 0 {
		return "no errors"
	}
	return fmt.Sprintf("%d invalid fields: %v", len(l), l[0])
}

// Err returns l as an error, or nil when it is empty.
func (l List) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}
