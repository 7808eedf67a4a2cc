package dataportal

import (
	"strings"

	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/opendata"
)

// applyPackage copies the CKAN fields present in c onto d.
func (h *Handler) applyPackage(c *call, v *view, d *opendata.Dataset) error {
	set := func(dst *string, key string) {
		if c.has(key) {
			*dst = c.str(key)
		}
	}
	set(&d.Name, "name")
	set(&d.Title, "title")
	set(&d.Notes, "notes")
	set(&d.LicenseID, "license_id")
	set(&d.ContactName, "maintainer")
	set(&d.ContactEmail, "maintainer_email")
	set(&d.SourceURL, "url")
	set(&d.Version, "version")
	if c.has("owner_org") {
		o, ok := v.orgs.Find(c.str("owner_org"))
		if !ok || len(o.Sites) == 0 {
			return validation("owner_org", c.q.T("data.owner_invalid"))
		}
		d.SiteID = o.Sites[0]
		if o.Portal != nil {
			d.SiteID = o.Portal.ID
		}
	}
	if c.has("private") {
		if c.boolean("private", false) {
			d.State = opendata.Draft
		} else {
			d.State = opendata.Active
		}
	}
	if c.has("state") {
		d.State = opendata.State(c.str("state"))
	}
	if c.has("tags") {
		names, err := namesOf(c.params["tags"], "name")
		if err != nil {
			return validation("tags", err.Error())
		}
		d.Tags = names
	}
	if c.has("groups") {
		names, err := namesOf(c.params["groups"], "name")
		if err != nil {
			return validation("groups", err.Error())
		}
		d.Groups = nil
		for _, n := range names {
			if g := v.groups[n]; g != nil {
				n = g.Name
			}
			d.Groups = append(d.Groups, n)
		}
	}
	if extras, ok := c.params["extras"].([]any); ok {
		for _, e := range extras {
			m, ok := e.(map[string]any)
			if !ok {
				return validation("extras", "Not a list of key/value pairs")
			}
			key, _ := m["key"].(string)
			val, _ := plainJSON(m["value"]).(string)
			switch key {
			case "frequency":
				d.Frequency = val[strings.LastIndexByte(val, '/')+1:]
			case "temporal_start":
				d.TemporalStart = val
			case "temporal_end":
				d.TemporalEnd = val
			case "spatial_text":
				d.Spatial = val
			case "contact_name":
				d.ContactName = val
			case "contact_email":
				d.ContactEmail = val
			}
		}
	}
	return nil
}

// namesOf reads CKAN's [{"name": …}] lists (or plain lists of names).
func namesOf(v any, key string) ([]string, error) {
	list, ok := v.([]any)
	if !ok {
		if s, ok := v.(string); ok {
			var out []string
			for _, p := range strings.Split(s, ",") {
				if p = strings.TrimSpace(p); p != "" {
					out = append(out, p)
				}
			}
			return out, nil
		}
		return nil, fault.New(fault.Invalid, "data.not_list")
	}
	var out []string
	for _, x := range list {
		switch e := x.(type) {
		case string:
			out = append(out, e)
		case map[string]any:
			s, _ := e[key].(string)
			if s == "" {
				s, _ = e["id"].(string)
			}
			out = append(out, s)
		}
	}
	return out, nil
}

func (h *Handler) packageCreate(c *call) (any, error) {
	v, err := h.view(c.ctx(), c.q)
	if err != nil {
		return nil, err
	}
	d := &opendata.Dataset{}
	if err := h.applyPackage(c, v, d); err != nil {
		return nil, err
	}
	if d.SiteID == 0 {
		return nil, validation("owner_org", c.q.T("data.owner_required"))
	}
	if d.Name == "" {
		return nil, validation("name", "Missing value")
	}
	if err := h.Data.CreateDataset(c.ctx(), d); err != nil {
		return nil, err
	}
	if list, ok := c.params["resources"].([]any); ok {
		for _, x := range list {
			m, ok := x.(map[string]any)
			if !ok {
				continue
			}
			r := &opendata.Resource{URL: str(m["url"]), Name: str(m["name"]), Description: str(m["description"]), Format: str(m["format"])}
			if r.Name == "" {
				r.Name = r.URL
			}
			if err := h.Data.AddResource(c.ctx(), d.ID, r, nil); err != nil {
				return nil, err
			}
		}
	}
	d, err = h.Data.Dataset(c.ctx(), d.ID)
	if err != nil {
		return nil, err
	}
	return v.packageDict(d), nil
}

func str(v any) string {
	s, _ := plainJSON(v).(string)
	return s
}

func (h *Handler) packagePatch(c *call) (any, error) {
	d, err := h.Data.Dataset(c.ctx(), c.str("id"))
	if err != nil {
		return nil, err
	}
	v, err := h.view(c.ctx(), c.q)
	if err != nil {
		return nil, err
	}
	if err := h.applyPackage(c, v, d); err != nil {
		return nil, err
	}
	if err := h.Data.UpdateDataset(c.ctx(), d); err != nil {
		return nil, err
	}
	if d, err = h.Data.Dataset(c.ctx(), d.ID); err != nil {
		return nil, err
	}
	return v.packageDict(d), nil
}

func (h *Handler) packageDelete(c *call) (any, error) {
	return nil, h.Data.DeleteDataset(c.ctx(), c.str("id"))
}

func (h *Handler) upload(c *call) *opendata.File {
	if c.upload == nil {
		return nil
	}
	return &opendata.File{Name: c.upload.FileName(), Body: c.upload}
}

func (h *Handler) resourceCreate(c *call) (any, error) {
	pkg := c.str("package_id")
	if pkg == "" {
		return nil, validation("package_id", "Missing value")
	}
	r := &opendata.Resource{Name: c.str("name"), Description: c.str("description"), Format: c.str("format"), URL: c.str("url")}
	file := h.upload(c)
	if err := h.Data.AddResource(c.ctx(), pkg, r, file); err != nil {
		return nil, err
	}
	r, d, err := h.Data.Resource(c.ctx(), r.ID)
	if err != nil {
		return nil, err
	}
	return resourceDict(c.q, d, r), nil
}

func (h *Handler) resourcePatch(c *call) (any, error) {
	var ch opendata.ResourceChange
	for key, dst := range map[string]**string{"name": &ch.Name, "description": &ch.Description, "format": &ch.Format, "url": &ch.URL} {
		if c.has(key) {
			s := c.str(key)
			*dst = &s
		}
	}
	file := h.upload(c)
	if file != nil {
		ch.URL = nil
	}
	r, err := h.Data.UpdateResource(c.ctx(), c.str("id"), ch, file)
	if err != nil {
		return nil, err
	}
	r, d, err := h.Data.Resource(c.ctx(), r.ID)
	if err != nil {
		return nil, err
	}
	return resourceDict(c.q, d, r), nil
}
