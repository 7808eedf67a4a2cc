package dataportal

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/opendata"
	"github.com/congvn/cong/internal/vietnamese"
)

// actions are the supported actions of CKAN's Action API.
var actions map[string]action

func init() {
	actions = map[string]action{
		"status_show":  {fn: (*Handler).statusShow, doc: "Trạng thái của cổng dữ liệu (site_title, site_url, ckan_version, extensions)."},
		"help_show":    {fn: (*Handler).helpShow, doc: "Mô tả một hàm: name."},
		"package_list": {fn: (*Handler).packageList, doc: "Tên mọi bộ dữ liệu công khai: limit, offset."},
		"package_search": {fn: (*Handler).packageSearch, doc: "Tìm bộ dữ liệu: q, fq, sort, rows, start, facet.field, facet.limit, facet.mincount. " +
			"Kết quả: count, results, facets, search_facets, sort."},
		"package_show":      {fn: (*Handler).packageShow, doc: "Một bộ dữ liệu: id (mã hoặc tên)."},
		"organization_list": {fn: (*Handler).organizationList, doc: "Các tổ chức (đơn vị): all_fields, sort, limit, offset, organizations."},
		"organization_show": {fn: (*Handler).organizationShow, doc: "Một tổ chức: id, include_datasets."},
		"group_list":        {fn: (*Handler).groupList, doc: "Các nhóm (chủ đề): all_fields, sort, limit, offset, groups."},
		"group_show":        {fn: (*Handler).groupShow, doc: "Một nhóm: id, include_datasets."},
		"tag_list":          {fn: (*Handler).tagList, doc: "Các từ khóa: query, all_fields."},
		"license_list":      {fn: (*Handler).licenseList, doc: "Danh mục giấy phép."},
		"resource_show":     {fn: (*Handler).resourceShow, doc: "Một tài nguyên: id."},
		"recently_changed_packages_activity_list": {fn: (*Handler).recentlyChanged, doc: "Các bộ dữ liệu thay đổi gần đây: limit, offset."},
		"datastore_search":                        {fn: (*Handler).datastoreSearch, doc: "Truy vấn bảng dữ liệu: resource_id, q, filters, fields, sort, limit, offset, include_total, records_format."},
		"package_create":                          {fn: (*Handler).packageCreate, write: true, doc: "Tạo bộ dữ liệu (cần token): name, title, owner_org, notes, license_id, tags, groups, extras, resources."},
		"package_patch":                           {fn: (*Handler).packagePatch, write: true, doc: "Sửa một phần bộ dữ liệu (cần token): id và các trường cần đổi."},
		"package_delete":                          {fn: (*Handler).packageDelete, write: true, doc: "Rút bộ dữ liệu (cần token): id."},
		"resource_create":                         {fn: (*Handler).resourceCreate, write: true, doc: "Thêm tài nguyên (cần token): package_id, name, format, url hoặc upload (multipart)."},
		"resource_patch":                          {fn: (*Handler).resourcePatch, write: true, doc: "Sửa tài nguyên hoặc tải lên phiên bản mới (cần token): id, upload."},
	}
}

// ActionNames lists the supported actions, for the API guide.
func ActionNames() []string {
	var out []string
	for k := range actions {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func (h *Handler) statusShow(c *call) (any, error) {
	st := dataSite(c.q)
	return map[string]any{
		"site_title": st.Name, "site_url": strings.TrimSuffix(dataURL(c.q, "/"), "/"), "site_description": st.NameEn,
		"ckan_version": "2.10.0", "api_version": 3, "locale_default": "vi", "error_emails_to": nil,
		"extensions": []string{"datastore", "dcat"},
	}, nil
}

func (h *Handler) helpShow(c *call) (any, error) {
	a, ok := actions[c.str("name")]
	if !ok {
		return nil, fault.New(fault.NotFound, "data.action_unknown", c.str("name"))
	}
	return a.doc, nil
}

func (h *Handler) packageList(c *call) (any, error) {
	limit, err := c.integer("limit", -1)
	if err != nil {
		return nil, err
	}
	offset, err := c.integer("offset", 0)
	if err != nil {
		return nil, err
	}
	all, err := h.Data.Catalogue(c.ctx())
	if err != nil {
		return nil, err
	}
	names := []string{}
	for i, d := range all {
		if i < offset || limit >= 0 && len(names) >= limit {
			continue
		}
		names = append(names, d.Name)
	}
	return names, nil
}

func (h *Handler) packageSearch(c *call) (any, error) {
	rows, err := c.integer("rows", 10)
	if err != nil {
		return nil, err
	}
	start, err := c.integer("start", 0)
	if err != nil {
		return nil, err
	}
	facets, err := c.list("facet.field")
	if err != nil {
		return nil, err
	}
	flimit, err := c.integer("facet.limit", 50)
	if err != nil && c.str("facet.limit") != "-1" {
		return nil, err
	}
	if c.str("facet.limit") == "-1" {
		flimit = -1
	}
	fmin, err := c.integer("facet.mincount", 1)
	if err != nil {
		return nil, err
	}
	v, err := h.view(c.ctx(), c.q)
	if err != nil {
		return nil, err
	}
	res, err := h.Data.Search(c.ctx(), v.orgs, opendata.SearchQuery{Q: c.str("q"), FQ: c.str("fq"), Sort: c.str("sort"), Rows: rows, Start: start,
		FacetFields: facets, FacetLimit: flimit, FacetMinCount: max(fmin, 1)})
	if err != nil {
		return nil, err
	}
	results := []map[string]any{}
	for _, d := range res.Results {
		results = append(results, v.packageDict(d))
	}
	legacy := map[string]map[string]int{}
	search := map[string]any{}
	for _, f := range facets {
		items := []map[string]any{}
		legacy[f] = map[string]int{}
		for _, it := range res.Facets[f] {
			items = append(items, map[string]any{"name": it.Name, "display_name": it.Display, "count": it.Count})
			legacy[f][it.Name] = it.Count
		}
		search[f] = map[string]any{"title": f, "items": items}
	}
	return map[string]any{"count": res.Count, "sort": res.Sort, "results": results, "facets": legacy, "search_facets": search}, nil
}

func (h *Handler) packageShow(c *call) (any, error) {
	id := c.str("id")
	if id == "" {
		return nil, validation("id", "Missing value")
	}
	d, err := h.Data.Dataset(c.ctx(), id)
	if err != nil {
		return nil, err
	}
	v, err := h.view(c.ctx(), c.q)
	if err != nil {
		return nil, err
	}
	return v.packageDict(d), nil
}

// counts returns how many public datasets each organisation and group has.
func (h *Handler) counts(c *call, v *view) (map[string]int, map[string]int, error) {
	res, err := h.Data.Search(c.ctx(), v.orgs, opendata.SearchQuery{FacetFields: []string{"organization", "groups"}, FacetLimit: -1})
	if err != nil {
		return nil, nil, err
	}
	orgs, groups := map[string]int{}, map[string]int{}
	for _, it := range res.Facets["organization"] {
		orgs[it.Name] = it.Count
	}
	for _, it := range res.Facets["groups"] {
		groups[it.Name] = it.Count
	}
	return orgs, groups, nil
}

// listed is an organisation or group in a list, with what sorting needs.
type listed struct {
	name, title string
	count       int
	dict        func() map[string]any
}

func (h *Handler) listOf(c *call, items []listed, filterKey string) (any, error) {
	limit, err := c.integer("limit", 1000)
	if err != nil {
		return nil, err
	}
	offset, err := c.integer("offset", 0)
	if err != nil {
		return nil, err
	}
	only, err := c.list(filterKey)
	if err != nil {
		return nil, err
	}
	sort := c.str("sort")
	if sort == "" {
		sort = "title asc"
	}
	field, dir, _ := strings.Cut(strings.TrimSpace(sort), " ")
	desc := strings.TrimSpace(dir) == "desc"
	switch field {
	case "name", "title", "package_count":
	default:
		return nil, validation("sort", "Cannot sort by field `"+field+"`")
	}
	if only != nil {
		items = slices.DeleteFunc(items, func(l listed) bool { return !slices.Contains(only, l.name) })
	}
	slices.SortStableFunc(items, func(a, b listed) int {
		var r int
		switch field {
		case "name":
			r = strings.Compare(a.name, b.name)
		case "title":
			r = vietnamese.Compare(a.title, b.title)
		default:
			r = a.count - b.count
		}
		if desc {
			r = -r
		}
		return r
	})
	all := c.boolean("all_fields", false)
	out := []any{}
	for i, it := range items {
		if i < offset || len(out) >= limit {
			continue
		}
		if all {
			out = append(out, it.dict())
		} else {
			out = append(out, it.name)
		}
	}
	return out, nil
}

func (h *Handler) organizationList(c *call) (any, error) {
	v, err := h.view(c.ctx(), c.q)
	if err != nil {
		return nil, err
	}
	counts, _, err := h.counts(c, v)
	if err != nil {
		return nil, err
	}
	var items []listed
	for _, o := range v.orgs.All() {
		o := o
		items = append(items, listed{name: o.Name, title: o.Title, count: counts[o.Name], dict: func() map[string]any { return orgDict(c.q, o, counts[o.Name]) }})
	}
	return h.listOf(c, items, "organizations")
}

func (h *Handler) groupList(c *call) (any, error) {
	v, err := h.view(c.ctx(), c.q)
	if err != nil {
		return nil, err
	}
	_, counts, err := h.counts(c, v)
	if err != nil {
		return nil, err
	}
	groups, err := h.Data.Groups(c.ctx())
	if err != nil {
		return nil, err
	}
	var items []listed
	for _, g := range groups {
		g := g
		items = append(items, listed{name: g.Name, title: g.Title, count: counts[g.Name], dict: func() map[string]any { return groupDict(c.q, g, counts[g.Name]) }})
	}
	return h.listOf(c, items, "groups")
}

// withDatasets adds the first datasets of an organisation or group.
func (h *Handler) withDatasets(c *call, v *view, m map[string]any, field, name string) error {
	res, err := h.Data.Search(c.ctx(), v.orgs, opendata.SearchQuery{Filters: map[string][]string{field: {name}}, Rows: 1000, Sort: "name asc"})
	if err != nil {
		return err
	}
	m["package_count"] = res.Count
	if c.boolean("include_datasets", false) {
		pkgs := []map[string]any{}
		for _, d := range res.Results {
			pkgs = append(pkgs, v.packageDict(d))
		}
		m["packages"] = pkgs
	}
	return nil
}

func (h *Handler) organizationShow(c *call) (any, error) {
	v, err := h.view(c.ctx(), c.q)
	if err != nil {
		return nil, err
	}
	o, ok := v.orgs.Find(c.str("id"))
	if !ok {
		return nil, fault.New(fault.NotFound, "data.org_not_found", c.str("id"))
	}
	m := orgDict(c.q, o, 0)
	return m, h.withDatasets(c, v, m, "organization", o.Name)
}

func (h *Handler) groupShow(c *call) (any, error) {
	v, err := h.view(c.ctx(), c.q)
	if err != nil {
		return nil, err
	}
	g := v.groups[c.str("id")]
	if g == nil {
		return nil, fault.New(fault.NotFound, "data.group_not_found", c.str("id"))
	}
	m := groupDict(c.q, g, 0)
	return m, h.withDatasets(c, v, m, "groups", g.Name)
}

func (h *Handler) tagList(c *call) (any, error) {
	all, err := h.Data.Catalogue(c.ctx())
	if err != nil {
		return nil, err
	}
	query := vietnamese.Fold(c.str("query"))
	seen := map[string]bool{}
	var tags []string
	for _, d := range all {
		for _, t := range d.Tags {
			if !seen[t] && (query == "" || strings.Contains(vietnamese.Fold(t), query)) {
				seen[t] = true
				tags = append(tags, t)
			}
		}
	}
	slices.SortFunc(tags, vietnamese.Compare)
	if c.boolean("all_fields", false) {
		out := []map[string]any{}
		for _, t := range tags {
			out = append(out, map[string]any{"id": nameUUID("tag", t), "name": t, "display_name": t, "vocabulary_id": nil})
		}
		return out, nil
	}
	if tags == nil {
		tags = []string{}
	}
	return tags, nil
}

func (h *Handler) licenseList(c *call) (any, error) {
	out := []map[string]any{}
	for _, l := range opendata.Licenses {
		out = append(out, licenseDict(l))
	}
	return out, nil
}

func (h *Handler) resourceShow(c *call) (any, error) {
	r, d, err := h.Data.Resource(c.ctx(), c.str("id"))
	if err != nil {
		return nil, err
	}
	return resourceDict(c.q, d, r), nil
}

func (h *Handler) recentlyChanged(c *call) (any, error) {
	limit, err := c.integer("limit", 31)
	if err != nil {
		return nil, err
	}
	offset, err := c.integer("offset", 0)
	if err != nil {
		return nil, err
	}
	limit = min(limit, 100)
	v, err := h.view(c.ctx(), c.q)
	if err != nil {
		return nil, err
	}
	res, err := h.Data.Search(c.ctx(), v.orgs, opendata.SearchQuery{Sort: "metadata_modified desc", Rows: limit, Start: offset})
	if err != nil {
		return nil, err
	}
	out := []map[string]any{}
	for _, d := range res.Results {
		typ := "changed package"
		if d.Modified.Sub(d.Created) < 1e9 {
			typ = "new package"
		}
		out = append(out, map[string]any{
			"id": nameUUID("activity", d.ID+"@"+ckanTime(d.Modified)), "timestamp": ckanTime(d.Modified), "user_id": nil,
			"object_id": d.ID, "activity_type": typ, "data": map[string]any{"package": v.packageDict(d)},
		})
	}
	return out, nil
}

func (h *Handler) datastoreSearch(c *call) (any, error) {
	req := opendata.DatastoreRequest{ResourceID: c.str("resource_id"), Sort: c.str("sort"), NoTotal: !c.boolean("include_total", true)}
	if req.ResourceID == "" {
		req.ResourceID = c.str("id")
	}
	if req.ResourceID == "" {
		return nil, validation("resource_id", "Missing value")
	}
	var err error
	if req.Limit, err = c.integer("limit", 100); err != nil {
		return nil, err
	}
	if req.Offset, err = c.integer("offset", 0); err != nil {
		return nil, err
	}
	filters, err := c.object("filters")
	if err != nil {
		return nil, err
	}
	req.Filters = map[string]any{}
	for k, v := range filters {
		req.Filters[k] = plainJSON(v)
	}
	switch qv := c.params["q"].(type) {
	case string:
		req.Q = qv
	case map[string]any:
		req.QFields = map[string]string{}
		for k, v := range qv {
			s, _ := plainJSON(v).(string)
			req.QFields[k] = s
		}
	}
	if req.Fields, err = c.list("fields"); err != nil {
		return nil, err
	}
	// sort is a string ("a, b desc") or, from some clients, a list.
	if _, isList := c.params["sort"].([]any); isList || strings.HasPrefix(strings.TrimSpace(c.str("sort")), "[") {
		parts, err := c.list("sort")
		if err != nil {
			return nil, err
		}
		for i, p := range parts {
			parts[i] = opendata.QuoteSortKey(p)
		}
		req.Sort = strings.Join(parts, ",")
	} else {
		req.Sort = c.str("sort")
	}
	format := c.str("records_format")
	if format == "" {
		format = "objects"
	}
	if format != "objects" && format != "lists" {
		return nil, validation("records_format", "Value must be one of ['objects', 'lists']")
	}
	res, err := h.Data.DatastoreSearch(c.ctx(), req)
	if err != nil {
		return nil, err
	}
	fields := []map[string]any{}
	for _, f := range res.Fields {
		fields = append(fields, map[string]any{"id": f.ID, "type": f.Type})
	}
	var records any
	if format == "lists" {
		records = res.Records
		if res.Records == nil {
			records = [][]any{}
		}
	} else {
		objs := []json.RawMessage{}
		for _, row := range res.Records {
			objs = append(objs, rowObject(res.Fields, row))
		}
		records = objs
	}
	q := c.r.URL.Query()
	q.Set("resource_id", res.Resource.ID)
	q.Del("offset")
	start := dataURL(c.q, "/api/3/action/datastore_search?"+q.Encode())
	q.Set("offset", itoa(req.Offset+max(min(req.Limit, opendata.MaxDatastoreLimit), 1)))
	out := map[string]any{
		"resource_id": res.Resource.ID, "fields": fields, "records": records, "records_format": format,
		"limit": min(req.Limit, opendata.MaxDatastoreLimit), "offset": req.Offset, "include_total": !req.NoTotal,
		"total_estimation_threshold": nil,
		"_links":                     map[string]string{"start": start, "next": dataURL(c.q, "/api/3/action/datastore_search?"+q.Encode())},
	}
	if !req.NoTotal {
		out["total"] = res.Total
		out["total_was_estimated"] = false
	}
	if filters != nil {
		out["filters"] = filters
	}
	if c.has("q") {
		out["q"] = c.params["q"]
	}
	if req.Sort != "" {
		out["sort"] = req.Sort
	}
	return out, nil
}

// rowObject writes a row as a JSON object keeping the columns' order.
func rowObject(fields []opendata.Column, row []any) json.RawMessage {
	var b strings.Builder
	b.WriteByte('{')
	for i, f := range fields {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(f.ID)
		v, _ := json.Marshal(row[i])
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return json.RawMessage(b.String())
}

// plainJSON turns json.Numbers into strings, recursively in lists.
func plainJSON(v any) any {
	switch x := v.(type) {
	case json.Number:
		return x.String()
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = plainJSON(e)
		}
		return out
	}
	return v
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

var _ = http.StatusOK
