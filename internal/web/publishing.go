package web

import "github.com/congvn/cong/internal/site"

// Helpers for the publishing pages' templates.

// AssetURL returns the fingerprinted URL of an embedded static file.
func AssetURL(name string) string { return assetURL(name) }

// SiteByID returns a site of the directory, or nil.
func (q *Req) SiteByID(id int64) *site.Site {
	if q.Dir == nil {
		return nil
	}
	st, _ := q.Dir.ByID(id)
	return st
}

// Unread returns the signed-in user's unread notifications (staff pages).
func (q *Req) Unread() int {
	if q.srv == nil || q.Actor == nil || q.srv.Unread == nil {
		return 0
	}
	return q.srv.Unread(q)
}
