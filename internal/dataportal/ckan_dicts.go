package dataportal

import (
	"context"
	"crypto/sha1"
	"fmt"

	"github.com/congvn/cong/internal/opendata"
	"github.com/congvn/cong/internal/web"
)

// The dictionaries the Action API returns, with CKAN's field names.

// nameUUID derives a stable UUID from a name (tags have no id of their own).
func nameUUID(kind, name string) string {
	b := sha1.Sum([]byte(kind + ":" + name))
	b[6] = b[6]&0x0f | 0x50
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// view is what building dictionaries needs for one request.
type view struct {
	q      *web.Req
	orgs   *opendata.Orgs
	groups map[string]*opendata.Group // by name and by id
}

func (h *Handler) view(ctx context.Context, q *web.Req) (*view, error) {
	v := &view{q: q, orgs: opendata.OrgsOf(q.Dir), groups: map[string]*opendata.Group{}}
	gs, err := h.Data.Groups(ctx)
	if err != nil {
		return nil, err
	}
	for _, g := range gs {
		v.groups[g.Name], v.groups[g.ID] = g, g
	}
	return v, nil
}

func (v *view) packageDict(d *opendata.Dataset) map[string]any {
	q, orgs := v.q, v.orgs
	lic, _ := opendata.LicenseByID(d.LicenseID)
	p := map[string]any{
		"id": d.ID, "name": d.Name, "title": d.Title, "notes": d.Notes, "type": "dataset", "state": string(d.State),
		"private": false, "license_id": d.LicenseID, "license_title": lic.Title, "isopen": lic.OKD,
		"author": nil, "author_email": nil, "maintainer": nilIfEmpty(d.ContactName), "maintainer_email": nilIfEmpty(d.ContactEmail),
		"url": d.SourceURL, "version": nilIfEmpty(d.Version), "creator_user_id": nil,
		"metadata_created": ckanTime(d.Created), "metadata_modified": ckanTime(d.Modified),
		"num_tags": len(d.Tags), "relationships_as_object": []any{}, "relationships_as_subject": []any{},
	}
	if lic.URL != "" {
		p["license_url"] = lic.URL
	}
	extras := []map[string]string{}
	add := func(k, v string) {
		if v != "" {
			extras = append(extras, map[string]string{"key": k, "value": v})
		}
	}
	add("frequency", opendata.FrequencyURI(d.Frequency))
	add("temporal_start", d.TemporalStart)
	add("temporal_end", d.TemporalEnd)
	add("spatial_text", d.Spatial)
	add("language", "vi")
	if d.Feed != "" {
		add("generated_by", "cong")
	}
	if org, ok := orgs.OfSite(d.SiteID); ok {
		p["owner_org"] = org.ID
		p["organization"] = orgDict(q, org, -1)
		add("publisher_name", org.Title)
	} else {
		p["owner_org"] = nil
		p["organization"] = nil
	}
	p["extras"] = extras
	tags := []map[string]any{}
	for _, t := range d.Tags {
		tags = append(tags, map[string]any{"id": nameUUID("tag", t), "name": t, "display_name": t, "state": "active", "vocabulary_id": nil})
	}
	p["tags"] = tags
	groups := []map[string]any{}
	for _, name := range d.Groups {
		if g := v.groups[name]; g != nil {
			groups = append(groups, map[string]any{"id": g.ID, "name": g.Name, "title": g.Title, "display_name": g.DisplayTitle(q.Lang),
				"description": g.Description, "image_display_url": ""})
		}
	}
	p["groups"] = groups
	res := []map[string]any{}
	for _, r := range d.Resources {
		res = append(res, resourceDict(q, d, r))
	}
	p["resources"] = res
	p["num_resources"] = len(res)
	return p
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func resourceDict(q *web.Req, d *opendata.Dataset, r *opendata.Resource) map[string]any {
	m := map[string]any{
		"id": r.ID, "package_id": d.ID, "name": r.Name, "description": r.Description, "format": r.Format,
		"mimetype": nilIfEmpty(r.Mimetype), "mimetype_inner": nil, "url": resourceURL(q, d, r), "position": r.Position,
		"state": string(r.State), "created": ckanTime(r.Created), "last_modified": ckanTime(r.Modified),
		"metadata_modified": ckanTime(d.Modified), "cache_url": nil, "cache_last_updated": nil, "resource_type": nil,
		"datastore_active": r.Tabular(), "download_count": r.Downloads,
	}
	if r.Upload() {
		m["url_type"] = "upload"
		m["size"] = r.Size
		m["hash"] = plainHash(r.Hash)
		m["hash_algorithm"] = "http://spdx.org/rdf/terms#checksumAlgorithm_sha256"
		m["version"] = r.Version
	} else {
		m["url_type"] = nil
		m["size"] = nil
		m["hash"] = ""
	}
	return m
}

// orgDict is an organisation; count < 0 leaves package_count out.
func orgDict(q *web.Req, o *opendata.Org, count int) map[string]any {
	m := map[string]any{
		"id": o.ID, "name": o.Name, "title": o.Title, "display_name": o.DisplayTitle(q.Lang), "type": "organization",
		"is_organization": true, "state": "active", "approval_status": "approved", "description": "",
		"image_url": "", "image_display_url": "", "created": ckanTime(o.Created),
	}
	if o.Portal != nil {
		m["description"] = q.SiteURL(o.Portal, "/")
	}
	if count >= 0 {
		m["package_count"] = count
		m["num_followers"] = 0
	}
	return m
}

func groupDict(q *web.Req, g *opendata.Group, count int) map[string]any {
	m := map[string]any{
		"id": g.ID, "name": g.Name, "title": g.Title, "display_name": g.DisplayTitle(q.Lang), "type": "group",
		"is_organization": false, "state": "active", "approval_status": "approved", "description": g.Description,
		"image_url": "", "image_display_url": "", "created": ckanTime(g.Created),
	}
	if count >= 0 {
		m["package_count"] = count
		m["num_followers"] = 0
	}
	return m
}

func licenseDict(l opendata.License) map[string]any {
	od := "not reviewed"
	if l.OKD {
		od = "approved"
	}
	return map[string]any{
		"id": l.ID, "title": l.Title, "url": l.URL, "status": "active", "maintainer": "", "family": l.Family,
		"is_generic": l.URL == "", "is_okd_compliant": l.OKD, "is_osi_compliant": l.OSI, "od_conformance": od,
		"osd_conformance": "not reviewed", "domain_data": l.Data, "domain_content": l.Content, "domain_software": l.Software,
	}
}
