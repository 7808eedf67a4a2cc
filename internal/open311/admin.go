package open311

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/web"
)

// AdminPath is the staff page that manages the application keys.
const AdminPath = "/quan-tri/open311"

// Admin serves the staff page for application keys (system administrators).
type Admin struct {
	*web.Server
	keys *KeyService
}

// NewAdmin returns the key management page.
func NewAdmin(s *web.Server, keys *KeyService) *Admin {
	return &Admin{Server: s, keys: keys}
}

// Routes lists the page's routes with their access rule.
func (a *Admin) Routes() []web.Route {
	city := func(method, pattern string, f http.HandlerFunc) web.Route {
		return web.Route{Method: method, Pattern: pattern, Auth: web.AuthSession, Scope: web.ScopeCity, Perm: access.ManageOpen311Keys, Handler: f}
	}
	return []web.Route{
		city("GET", AdminPath, a.page),
		city("POST", AdminPath, a.create),
		city("POST", AdminPath+"/{id}/thu-hoi", a.revoke),
	}
}

type keysPage struct {
	Keys     []*Key
	NewKey   string
	NewName  string
	Form     map[string]string
	Min, Max int
	// Confirm is the key whose revocation waits for its confirmation box.
	Confirm int64
}

// show renders the page; err, when set, is shown with its status.
func (a *Admin) show(w http.ResponseWriter, r *http.Request, err error, edit func(*keysPage)) {
	q := web.FromRequest(r)
	keys, lerr := a.keys.List(r.Context())
	if lerr != nil {
		a.Error(w, r, lerr)
		return
	}
	p := &keysPage{Keys: keys, Form: map[string]string{"per_minute": "60"}, Min: MinPerMinute, Max: MaxPerMinute}
	v := &web.View{Req: q, Title: q.T("open311keys.title"), Page: p, NoIndex: true}
	status := http.StatusOK
	if err != nil {
		v.Errors, v.Error = a.FieldErrors(r, err)
		status = web.StatusOf(err)
	}
	if edit != nil {
		edit(p)
	}
	if err == nil {
		switch {
		case p.NewKey != "":
			v.Flash = q.T("open311keys.created", p.NewName)
		case r.URL.Query().Get("thu-hoi") != "":
			v.Flash = q.T("open311keys.revoked")
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	a.Render(w, r, status, "admin/open311_keys", v)
}

func (a *Admin) page(w http.ResponseWriter, r *http.Request) { a.show(w, r, nil, nil) }

func (a *Admin) create(w http.ResponseWriter, r *http.Request) {
	name, rate := r.PostFormValue("name"), strings.TrimSpace(r.PostFormValue("per_minute"))
	per, err := strconv.Atoi(rate)
	var secret string
	var k *Key
	if err != nil {
		errs := fault.List{fault.OnField("per_minute", "open311keys.rate_bounds", MinPerMinute, MaxPerMinute)}
		if strings.TrimSpace(name) == "" {
			errs = append(fault.List{fault.OnField("name", "open311keys.name_required")}, errs...)
		}
		err = errs
	} else {
		secret, k, err = a.keys.Create(r.Context(), name, per)
	}
	a.show(w, r, err, func(p *keysPage) {
		if err != nil {
			p.Form["name"], p.Form["per_minute"] = name, rate
			return
		}
		// The key is shown in this answer only: it is not stored, and the
		// page is not cached.
		p.NewKey, p.NewName = secret, k.Name
	})
}

func (a *Admin) revoke(w http.ResponseWriter, r *http.Request) {
	id, perr := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if perr != nil || id <= 0 {
		a.show(w, r, fault.New(fault.NotFound, "open311keys.not_found"), nil)
		return
	}
	if r.PostFormValue("xac_nhan") != "1" {
		a.show(w, r, fault.OnField("xac_nhan_"+strconv.FormatInt(id, 10), "open311keys.confirm_required"),
			func(p *keysPage) { p.Confirm = id })
		return
	}
	if _, err := a.keys.Revoke(r.Context(), id); err != nil {
		a.show(w, r, err, nil)
		return
	}
	http.Redirect(w, r, AdminPath+"?thu-hoi=1", http.StatusSeeOther)
}
