// Package api serves the JSON API under /api/v1: sites and units for
// integrators, and writes authenticated by bearer tokens. Everything under
// /api/v1 is described in the OpenAPI document served at
// /api/v1/openapi.json, assembled from openapi/*.json (0-base.json, then one
// file per part of the API); a test keeps the document and the routes in
// step.
package api

import (
	"embed"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/web"
)

//go:embed openapi
var openapiFS embed.FS

var openapi = mergeOpenAPI()

// OpenAPI returns the OpenAPI document.
func OpenAPI() []byte { return openapi }

// mergeOpenAPI joins the fragments: paths and components from every file
// are added to 0-base.json; a path or component defined twice is a bug.
func mergeOpenAPI() []byte {
	entries, err := openapiFS.ReadDir("openapi")
	if err != nil {
		panic(err)
	}
	var doc map[string]any
	for _, e := range entries {
		b, err := openapiFS.ReadFile("openapi/" + e.Name())
		if err != nil {
			panic(err)
		}
		var part map[string]any
		if err := json.Unmarshal(b, &part); err != nil {
			panic("api: openapi/" + e.Name() + ": " + err.Error())
		}
		if doc == nil {
			doc = part
			continue
		}
		mergeInto(doc, "paths", part["paths"], e.Name())
		if comps, ok := part["components"].(map[string]any); ok {
			all, _ := doc["components"].(map[string]any)
			for kind, v := range comps {
				mergeInto(all, kind, v, e.Name())
			}
		}
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		panic(err)
	}
	return b
}

func mergeInto(dst map[string]any, key string, src any, file string) {
	m, ok := src.(map[string]any)
	if !ok {
		return
	}
	d, _ := dst[key].(map[string]any)
	if d == nil {
		d = map[string]any{}
		dst[key] = d
	}
	for k, v := range m {
		if _, dup := d[k]; dup {
			panic("api: openapi/" + file + ": " + key + " " + k + " is defined twice")
		}
		d[k] = v
	}
}

// Handler serves /api/v1.
type Handler struct {
	*web.Server
}

// New returns the API handler.
func New(s *web.Server) *Handler { return &Handler{Server: s} }

// Routes lists the API's routes with their access rules.
func (h *Handler) Routes() []web.Route {
	return []web.Route{
		{Method: "GET", Pattern: "/api/v1/openapi.json", Auth: web.AuthTokenOptional, Handler: h.openapi},
		{Method: "GET", Pattern: "/api/v1/sites", Auth: web.AuthTokenOptional, Handler: h.sites},
		{Method: "GET", Pattern: "/api/v1/sites/{site}", Auth: web.AuthTokenOptional, Handler: h.site},
		{Method: "PATCH", Pattern: "/api/v1/sites/{site}", Auth: web.AuthToken, Scope: web.ScopeSite, Perm: access.EditSite, Handler: h.patchSite},
		{Method: "GET", Pattern: "/api/v1/units", Auth: web.AuthTokenOptional, Handler: h.units},
		{Method: "GET", Pattern: "/api/v1/me", Auth: web.AuthToken, Handler: h.me},
	}
}

func (h *Handler) openapi(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write(openapi)
}

// Site is a site as the API shows it.
type Site struct {
	Code       string   `json:"code"`
	Name       string   `json:"name"`
	NameEn     string   `json:"name_en,omitempty"`
	Kind       string   `json:"kind"`
	Unit       Unit     `json:"unit"`
	Hosts      []string `json:"hosts"`
	BaseURL    string   `json:"base_url"`
	MountURL   string   `json:"mount_url"`
	Languages  []string `json:"languages"`
	Status     string   `json:"status"`
	MergedInto string   `json:"merged_into,omitempty"`
	Contact    *Contact `json:"contact,omitempty"`
	EMCSiteID  string   `json:"emc_site_id,omitempty"`
	Version    int      `json:"version"`
	UpdatedAt  string   `json:"updated_at"`
}

// Contact is a site's published contact data.
type Contact struct {
	Address            string `json:"address"`
	AddressEn          string `json:"address_en"`
	Phone              string `json:"phone"`
	Fax                string `json:"fax"`
	Email              string `json:"email"`
	ResponsibleName    string `json:"responsible_name"`
	ResponsibleTitle   string `json:"responsible_title"`
	ResponsibleTitleEn string `json:"responsible_title_en"`
}

// Unit is a unit as the API shows it.
type Unit struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	NameEn     string `json:"name_en,omitempty"`
	Kind       string `json:"kind"`
	Parent     string `json:"parent,omitempty"`
	Status     string `json:"status"`
	MergedInto string `json:"merged_into,omitempty"`
	MergedOn   string `json:"merged_on,omitempty"`
}

func (h *Handler) unitJSON(d *site.Directory, u *site.Unit) Unit {
	out := Unit{Code: u.Code, Name: u.Name, NameEn: u.NameEn, Kind: string(u.Kind), Status: string(u.Status), MergedOn: u.MergedOn}
	if p, ok := d.Unit(u.ParentID); ok {
		out.Parent = p.Code
	}
	if m, ok := d.Unit(u.MergedIntoID); ok {
		out.MergedInto = m.Code
	}
	return out
}

func (h *Handler) siteJSON(q *web.Req, st *site.Site, full bool) Site {
	d := q.Dir
	out := Site{Code: st.Code, Name: st.Name, NameEn: st.NameEn, Kind: string(st.Kind), Hosts: st.Hosts, Languages: st.Langs,
		Status: string(st.Status), Version: st.Version, UpdatedAt: st.Updated.UTC().Format("2006-01-02T15:04:05Z")}
	if out.Hosts == nil {
		out.Hosts = []string{}
	}
	if u, ok := d.Unit(st.UnitID); ok {
		out.Unit = h.unitJSON(d, u)
	}
	vi := *q
	vi.Lang = "vi"
	out.BaseURL = vi.SiteURL(st, "/")
	if d.City != nil && st.ID == d.City.ID {
		out.MountURL = out.BaseURL
	} else {
		out.MountURL = q.Scheme + "://" + cityHost(q) + q.Port + "/don-vi/" + st.Code + "/"
	}
	if m, ok := d.ByID(st.MergedTo); ok {
		out.MergedInto = m.Code
	}
	if full {
		c := st.Contact
		out.Contact = &Contact{c.Address, c.AddressEn, c.Phone, c.Fax, c.Email, c.ResponsibleName, c.ResponsibleTitle, c.ResponsibleTitleEn}
		out.EMCSiteID = st.EMCID
	}
	return out
}

func cityHost(q *web.Req) string {
	if q.Dir.City != nil && q.Dir.City.PrimaryHost() != "" && !strings.Contains(q.Base, "/don-vi/") {
		return q.Dir.City.PrimaryHost()
	}
	return q.Host
}

// sites lists every active site (with ?status=all, merged ones too), in
// Vietnamese alphabetical order.
func (h *Handler) sites(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	all := r.URL.Query().Get("status") == "all"
	kind := r.URL.Query().Get("kind")
	out := []Site{}
	for _, st := range q.Dir.Sites {
		if !all && st.Status != site.Active || kind != "" && string(st.Kind) != kind {
			continue
		}
		out = append(out, h.siteJSON(q, st, false))
	}
	web.JSON(w, http.StatusOK, map[string]any{"count": len(out), "sites": out})
}

func (h *Handler) site(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	st, ok := q.Dir.ByCode(r.PathValue("site"))
	if !ok {
		h.JSONFault(w, r, fault.New(fault.NotFound, "site.not_found"))
		return
	}
	web.JSON(w, http.StatusOK, h.siteJSON(q, st, true))
}

func (h *Handler) units(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	out := []Unit{}
	for _, u := range q.Dir.Units {
		out = append(out, h.unitJSON(q.Dir, u))
	}
	web.JSON(w, http.StatusOK, map[string]any{"count": len(out), "units": out})
}

func (h *Handler) me(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	roles := []map[string]string{}
	for _, role := range q.Actor.City {
		roles = append(roles, map[string]string{"role": string(role)})
	}
	for id, rs := range q.Actor.Sites {
		st, _ := q.Dir.ByID(id)
		for _, role := range rs {
			m := map[string]string{"role": string(role)}
			if st != nil {
				m["site"] = st.Code
			}
			roles = append(roles, m)
		}
	}
	web.JSON(w, http.StatusOK, map[string]any{"email": q.Actor.Name, "roles": roles})
}

// sitePatch is the body of PATCH /api/v1/sites/{code}: every field is
// optional; version is required, so two integrations cannot overwrite each
// other unknowingly.
type sitePatch struct {
	Version   *int     `json:"version"`
	Name      *string  `json:"name"`
	NameEn    *string  `json:"name_en"`
	Languages []string `json:"languages"`
	EMCSiteID *string  `json:"emc_site_id"`
	Contact   *struct {
		Address            *string `json:"address"`
		AddressEn          *string `json:"address_en"`
		Phone              *string `json:"phone"`
		Fax                *string `json:"fax"`
		Email              *string `json:"email"`
		ResponsibleName    *string `json:"responsible_name"`
		ResponsibleTitle   *string `json:"responsible_title"`
		ResponsibleTitleEn *string `json:"responsible_title_en"`
	} `json:"contact"`
}

func set(dst *string, src *string) {
	if src != nil {
		*dst = *src
	}
}

func (h *Handler) patchSite(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		web.JSONError(w, http.StatusUnsupportedMediaType, "invalid", q.T("api.json_required"))
		return
	}
	var p sitePatch
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			web.JSONError(w, http.StatusRequestEntityTooLarge, "too_large", q.T("error.too_large", tooBig.Limit/1024))
			return
		}
		web.JSONError(w, http.StatusBadRequest, "invalid", q.T("api.bad_json", err.Error()))
		return
	}
	if _, err := dec.Token(); err != io.EOF {
		web.JSONError(w, http.StatusBadRequest, "invalid", q.T("api.bad_json", "trailing data"))
		return
	}
	if p.Version == nil {
		web.JSONError(w, http.StatusBadRequest, "invalid", q.T("api.version_required"))
		return
	}
	st, err := h.Sites.Site(r.Context(), r.PathValue("site"))
	if err != nil {
		h.JSONFault(w, r, err)
		return
	}
	in := site.Settings{Name: st.Name, NameEn: st.NameEn, Langs: st.Langs, Contact: st.Contact, EMCID: st.EMCID}
	set(&in.Name, p.Name)
	set(&in.NameEn, p.NameEn)
	set(&in.EMCID, p.EMCSiteID)
	if p.Languages != nil {
		in.Langs = p.Languages
		if len(in.Langs) == 0 {
			web.JSONError(w, http.StatusBadRequest, "invalid", q.T("site.languages_vi_first"))
			return
		}
	}
	if c := p.Contact; c != nil {
		set(&in.Contact.Address, c.Address)
		set(&in.Contact.AddressEn, c.AddressEn)
		set(&in.Contact.Phone, c.Phone)
		set(&in.Contact.Fax, c.Fax)
		set(&in.Contact.Email, c.Email)
		set(&in.Contact.ResponsibleName, c.ResponsibleName)
		set(&in.Contact.ResponsibleTitle, c.ResponsibleTitle)
		set(&in.Contact.ResponsibleTitleEn, c.ResponsibleTitleEn)
	}
	updated, err := h.Sites.UpdateSettings(r.Context(), st.Code, *p.Version, in)
	if err != nil {
		h.JSONFault(w, r, err)
		return
	}
	// The directory is rebuilt after commit; answer from what was stored.
	web.JSON(w, http.StatusOK, h.siteJSON(q, updated, true))
}
