package web

import (
	"net/http"
	"strings"
)

// Prefs are a reader's display choices from the accessibility tools: larger
// text and high contrast. They live in a cookie and are applied by the
// server as classes on <html>, so they work without JavaScript.
type Prefs struct {
	LargeText    bool
	HighContrast bool
}

// PrefsCookie is the cookie holding the display choices.
const PrefsCookie = "cong_hien_thi"

func readPrefs(r *http.Request) Prefs {
	if len(r.Header["Cookie"]) == 0 {
		return Prefs{}
	}
	c, err := r.Cookie(PrefsCookie)
	if err != nil {
		return Prefs{}
	}
	return Prefs{LargeText: strings.Contains(c.Value, "lon"), HighContrast: strings.Contains(c.Value, "cao")}
}

// Classes returns the classes for <html>.
func (p Prefs) Classes() string {
	var c []string
	if p.LargeText {
		c = append(c, "chu-lon")
	}
	if p.HighContrast {
		c = append(c, "tuong-phan-cao")
	}
	return strings.Join(c, " ")
}

// Variant names the combination, for caches that keep one copy per variant.
func (p Prefs) Variant() string { return p.Classes() }

// setPrefs handles the accessibility tools' form: it stores the choice and
// sends the reader back to the page they were on.
func (s *Server) setPrefs(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	q := FromRequest(r)
	p := q.Prefs
	switch r.PostFormValue("co-chu") {
	case "lon":
		p.LargeText = true
	case "thuong":
		p.LargeText = false
	}
	switch r.PostFormValue("tuong-phan") {
	case "cao":
		p.HighContrast = true
	case "thuong":
		p.HighContrast = false
	}
	var v []string
	if p.LargeText {
		v = append(v, "lon")
	}
	if p.HighContrast {
		v = append(v, "cao")
	}
	c := &http.Cookie{Name: PrefsCookie, Value: strings.Join(v, "-"), Path: "/", MaxAge: 365 * 24 * 3600,
		SameSite: http.SameSiteLaxMode, Secure: s.secure(r), HttpOnly: true}
	if len(v) == 0 {
		c.MaxAge = -1
	}
	http.SetCookie(w, c)
	http.Redirect(w, r, localPath(r.PostFormValue("tro-lai"), q.URL("/")), http.StatusSeeOther)
}

// localPath returns p when it is a path on this host (not "//evil" or a full
// URL), else fallback: redirects never leave the site.
func localPath(p, fallback string) string {
	if p == "" || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") || strings.ContainsAny(p, "\r\n\x00") {
		return fallback
	}
	return p
}
