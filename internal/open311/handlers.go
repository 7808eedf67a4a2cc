package open311

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/calendar"
	"github.com/congvn/cong/internal/feedback"
	"github.com/congvn/cong/internal/web"
)

// w3c writes a time as the spec's W3C format, in Vietnam's time zone.
func w3c(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(calendar.Zone).Format("2006-01-02T15:04:05-07:00")
}

type service struct {
	XMLName     xml.Name `json:"-" xml:"service"`
	Code        string   `json:"service_code" xml:"service_code"`
	Name        string   `json:"service_name" xml:"service_name"`
	Description string   `json:"description" xml:"description"`
	Metadata    bool     `json:"metadata" xml:"metadata"`
	Type        string   `json:"type" xml:"type"`
	Keywords    string   `json:"keywords" xml:"keywords"`
	Group       string   `json:"group" xml:"group"`
}

type serviceList struct {
	XMLName  xml.Name  `xml:"services"`
	Services []service `xml:"service"`
}

type attribute struct {
	XMLName xml.Name `json:"-" xml:"attribute"`
}

type definition struct {
	XMLName    xml.Name    `json:"-" xml:"service_definition"`
	Code       string      `json:"service_code" xml:"service_code"`
	Attributes []attribute `json:"attributes" xml:"attributes>attribute"`
}

type endpoint struct {
	Specification string   `json:"specification" xml:"specification"`
	URL           string   `json:"url" xml:"url"`
	Changeset     string   `json:"changeset" xml:"changeset"`
	Type          string   `json:"type" xml:"type"`
	Formats       []string `json:"formats" xml:"formats>format"`
}

type discovery struct {
	XMLName    xml.Name   `json:"-" xml:"discovery"`
	Changeset  string     `json:"changeset" xml:"changeset"`
	Contact    string     `json:"contact" xml:"contact"`
	KeyService string     `json:"key_service" xml:"key_service"`
	Endpoints  []endpoint `json:"endpoints" xml:"endpoints>endpoint"`
}

type request struct {
	XMLName           xml.Name `json:"-" xml:"request"`
	ID                string   `json:"service_request_id" xml:"service_request_id"`
	Status            string   `json:"status" xml:"status"`
	StatusNotes       string   `json:"status_notes" xml:"status_notes"`
	ServiceName       string   `json:"service_name" xml:"service_name"`
	ServiceCode       string   `json:"service_code" xml:"service_code"`
	Description       string   `json:"description" xml:"description"`
	AgencyResponsible string   `json:"agency_responsible" xml:"agency_responsible"`
	ServiceNotice     string   `json:"service_notice" xml:"service_notice"`
	Requested         string   `json:"requested_datetime" xml:"requested_datetime"`
	Updated           string   `json:"updated_datetime" xml:"updated_datetime"`
	Expected          string   `json:"expected_datetime" xml:"expected_datetime"`
	Address           string   `json:"address" xml:"address"`
	AddressID         string   `json:"address_id" xml:"address_id"`
	Zipcode           string   `json:"zipcode" xml:"zipcode"`
	Lat               *float64 `json:"lat,omitempty" xml:"lat,omitempty"`
	Long              *float64 `json:"long,omitempty" xml:"long,omitempty"`
	MediaURL          string   `json:"media_url" xml:"media_url"`
}

type requestList struct {
	XMLName  xml.Name  `xml:"service_requests"`
	Requests []request `xml:"request"`
}

type created struct {
	XMLName       xml.Name `json:"-" xml:"request"`
	ID            string   `json:"service_request_id" xml:"service_request_id"`
	Token         string   `json:"token" xml:"token"`
	ServiceNotice string   `json:"service_notice" xml:"service_notice"`
	AccountID     string   `json:"account_id" xml:"account_id"`
	// TrackingCode is an extension: the code the submitter follows the
	// request with on the portal's tracking page (/tra-cuu).
	TrackingCode string `json:"tracking_code" xml:"tracking_code"`
}

type createdList struct {
	XMLName  xml.Name  `xml:"service_requests"`
	Requests []created `xml:"request"`
}

type tokenResult struct {
	XMLName xml.Name `json:"-" xml:"request"`
	ID      string   `json:"service_request_id" xml:"service_request_id"`
	Token   string   `json:"token" xml:"token"`
}

type tokenList struct {
	XMLName  xml.Name      `xml:"service_requests"`
	Requests []tokenResult `xml:"request"`
}

type update struct {
	XMLName   xml.Name `json:"-" xml:"request_update"`
	ID        string   `json:"update_id" xml:"update_id"`
	RequestID string   `json:"service_request_id" xml:"service_request_id"`
	Status    string   `json:"status" xml:"status"`
	Updated   string   `json:"updated_datetime" xml:"updated_datetime"`
	Text      string   `json:"description" xml:"description"`
	MediaURL  string   `json:"media_url" xml:"media_url"`
}

type updateList struct {
	XMLName xml.Name `xml:"service_request_updates"`
	Updates []update `xml:"request_update"`
}

func (h *Handler) services(q *web.Req) []service {
	var out []service
	for _, c := range h.svc.Policy.Categories {
		out = append(out, service{Code: c.Code, Name: h.svc.Policy.CategoryName(c.Code, q.Lang), Description: h.svc.Policy.CategoryName(c.Code, q.Lang),
			Type: "realtime", Keywords: strings.ReplaceAll(strings.ToLower(c.NameEn), ", ", ","), Group: q.T("feedback.kind.feedback")})
	}
	return out
}

func (h *Handler) top(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	name, format, ok := split(r.PathValue("file"))
	if !ok {
		h.fail(w, r, "json", http.StatusNotFound, "open311.format")
		return
	}
	switch name {
	case "discovery":
		d := discovery{Changeset: "2026-01-01T00:00:00+07:00", Contact: q.Site.Contact.Email, KeyService: q.T("open311.key_service"),
			Endpoints: []endpoint{{Specification: "http://wiki.open311.org/GeoReport_v2", URL: q.Origin() + q.Base + "/open311/v2",
				Changeset: "2026-01-01T00:00:00+07:00", Type: "production", Formats: []string{"text/xml", "application/json"}}}}
		write(w, format, http.StatusOK, d, d)
	case "services":
		s := h.services(q)
		write(w, format, http.StatusOK, s, serviceList{Services: s})
	case "requests":
		h.list(w, r, format)
	case "servicerequestupdates":
		h.updates(w, r, format)
	default:
		h.fail(w, r, format, http.StatusNotFound, "open311.not_found")
	}
}

func (h *Handler) definition(w http.ResponseWriter, r *http.Request) {
	code, format, ok := split(r.PathValue("file"))
	if !ok {
		h.fail(w, r, "json", http.StatusNotFound, "open311.format")
		return
	}
	if _, found := h.svc.Policy.Category(code); !found {
		h.fail(w, r, format, http.StatusNotFound, "open311.service_unknown", code)
		return
	}
	d := definition{Code: code, Attributes: []attribute{}}
	write(w, format, http.StatusOK, d, d)
}

// scope is the site whose requests a host shows: all on the city portal.
func scope(q *web.Req) int64 {
	if q.Dir.City != nil && q.Site.ID == q.Dir.City.ID {
		return 0
	}
	return q.Site.ID
}

func (h *Handler) toRequest(q *web.Req, it *feedback.Item) request {
	rq := request{ID: strconv.FormatInt(it.ID, 10), Status: "open", StatusNotes: q.T("feedback.status." + string(it.Status)),
		ServiceCode: it.Category, ServiceName: h.svc.Policy.CategoryName(it.Category, q.Lang),
		Description: it.PublicBody, Requested: w3c(it.ReceivedAt), Updated: w3c(it.UpdatedAt), Expected: w3c(it.DueAt)}
	if !it.Status.Open() {
		rq.Status = "closed"
		rq.Expected = ""
	}
	if it.Status == feedback.Rejected {
		rq.StatusNotes += ": " + it.Reason
	}
	if st, ok := q.Dir.ByID(it.SiteID); ok {
		rq.AgencyResponsible = st.DisplayName(q.Lang)
	}
	if it.Place.HasPoint {
		lat, lon := it.Place.Lat, it.Place.Lon
		rq.Lat, rq.Long = &lat, &lon
	}
	if it.Status == feedback.Published {
		rq.Address = it.PublicPlace
		rq.MediaURL = ""
		rq.ServiceNotice = q.SiteURL(mustSite(q, it.SiteID), it.Path())
	}
	return rq
}

func mustSite(q *web.Req, id int64) *siteT {
	st, ok := q.Dir.ByID(id)
	if !ok {
		return q.Dir.City
	}
	return st
}

func parseTime(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, true
	}
	t, err := time.Parse(time.RFC3339, strings.ReplaceAll(s, " ", "+"))
	return t, err == nil
}

func (h *Handler) list(w http.ResponseWriter, r *http.Request, format string) {
	q := web.FromRequest(r)
	v := r.URL.Query()
	f := feedback.Filter{SiteID: scope(q), Kind: "", Order: "received", Limit: 1000, Now: q.Now}
	if ids := v.Get("service_request_id"); ids != "" {
		for _, s := range strings.Split(ids, ",") {
			id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
			if err != nil || id <= 0 {
				h.fail(w, r, format, http.StatusBadRequest, "open311.bad_param", "service_request_id")
				return
			}
			f.IDs = append(f.IDs, id)
		}
		if len(f.IDs) > 1000 {
			h.fail(w, r, format, http.StatusBadRequest, "open311.bad_param", "service_request_id")
			return
		}
	}
	if c := v.Get("service_code"); c != "" {
		if _, ok := h.svc.Policy.Category(c); !ok {
			h.fail(w, r, format, http.StatusBadRequest, "open311.service_unknown", c)
			return
		}
		f.Category = c
	}
	start, ok1 := parseTime(v.Get("start_date"))
	end, ok2 := parseTime(v.Get("end_date"))
	if !ok1 || !ok2 {
		h.fail(w, r, format, http.StatusBadRequest, "open311.bad_date")
		return
	}
	if len(f.IDs) == 0 {
		if end.IsZero() {
			end = q.Now.Add(time.Minute)
		}
		if start.IsZero() {
			start = end.AddDate(0, 0, -90)
		}
		if end.Sub(start) > 90*24*time.Hour+time.Minute || end.Before(start) {
			h.fail(w, r, format, http.StatusBadRequest, "open311.range")
			return
		}
		f.From, f.To = start, end
	}
	switch st := v.Get("status"); st {
	case "":
	case "open":
		f.Statuses = []feedback.Status{feedback.Received, feedback.Assigned, feedback.Waiting, feedback.Drafted}
	case "closed":
		f.Statuses = []feedback.Status{feedback.Answered, feedback.Published, feedback.Rejected, feedback.Duplicate}
	default:
		h.fail(w, r, format, http.StatusBadRequest, "open311.bad_param", "status")
		return
	}
	items, err := h.svc.Requests(r.Context(), f)
	if err != nil {
		h.failErr(w, r, format, err)
		return
	}
	out := []request{}
	for _, it := range items {
		out = append(out, h.toRequest(q, it))
	}
	write(w, format, http.StatusOK, out, requestList{Requests: out})
}

func (h *Handler) request(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	idStr, format, ok := split(r.PathValue("file"))
	if !ok {
		h.fail(w, r, "json", http.StatusNotFound, "open311.format")
		return
	}
	id, err := strconv.ParseInt(idStr, 10, 64)
	if err != nil || id <= 0 {
		h.fail(w, r, format, http.StatusNotFound, "open311.request_unknown")
		return
	}
	items, err := h.svc.Requests(r.Context(), feedback.Filter{SiteID: scope(q), IDs: []int64{id}, Limit: 1})
	if err != nil {
		h.failErr(w, r, format, err)
		return
	}
	if len(items) == 0 {
		h.fail(w, r, format, http.StatusNotFound, "open311.request_unknown")
		return
	}
	out := []request{h.toRequest(q, items[0])}
	write(w, format, http.StatusOK, out, requestList{Requests: out})
}

func (h *Handler) token(w http.ResponseWriter, r *http.Request) {
	tok, format, ok := split(r.PathValue("file"))
	if !ok {
		h.fail(w, r, "json", http.StatusNotFound, "open311.format")
		return
	}
	if ok, _ := h.anon.Allow("tok:" + web.FromRequest(r).Addr); !ok {
		h.fail(w, r, format, http.StatusTooManyRequests, "open311.too_many")
		return
	}
	id, err := h.svc.ByCode(r.Context(), tok)
	if err != nil {
		h.fail(w, r, format, http.StatusNotFound, "open311.token_unknown")
		return
	}
	out := []tokenResult{{ID: strconv.FormatInt(id, 10), Token: tok}}
	write(w, format, http.StatusOK, out, tokenList{Requests: out})
}

var closing = map[string]bool{"answered": true, "published": true, "rejected": true, "merged": true, "rated": true}

func (h *Handler) updates(w http.ResponseWriter, r *http.Request, format string) {
	q := web.FromRequest(r)
	start, ok1 := parseTime(r.URL.Query().Get("start_date"))
	end, ok2 := parseTime(r.URL.Query().Get("end_date"))
	if !ok1 || !ok2 {
		h.fail(w, r, format, http.StatusBadRequest, "open311.bad_date")
		return
	}
	if end.IsZero() {
		end = q.Now.Add(time.Minute)
	}
	if start.IsZero() {
		start = end.Add(-24 * time.Hour)
	}
	if end.Sub(start) > 90*24*time.Hour+time.Minute || end.Before(start) {
		h.fail(w, r, format, http.StatusBadRequest, "open311.range")
		return
	}
	evs, err := h.svc.Updates(r.Context(), start, end, 1000)
	if err != nil {
		h.failErr(w, r, format, err)
		return
	}
	name := func(id int64) string {
		if st, ok := q.Dir.ByID(id); ok {
			return st.DisplayName(q.Lang)
		}
		return ""
	}
	out := []update{}
	for _, e := range evs {
		st := "open"
		if closing[e.Type] {
			st = "closed"
		}
		out = append(out, update{ID: strconv.FormatInt(e.ID, 10), RequestID: strconv.FormatInt(e.ItemID, 10), Status: st,
			Updated: w3c(e.At), Text: q.T("feedback.event."+e.Type, name(e.SiteID), name(e.ToSiteID))})
	}
	write(w, format, http.StatusOK, out, updateList{Updates: out})
}

// serverFields are set by the server; a request that tries to set them is
// refused rather than silently changed.
var serverFields = []string{"service_request_id", "status", "status_notes", "agency_responsible", "service_notice",
	"requested_datetime", "updated_datetime", "expected_datetime", "token"}

func (h *Handler) post(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	name, format, ok := split(r.PathValue("file"))
	if !ok || name != "requests" {
		h.fail(w, r, "json", http.StatusNotFound, "open311.not_found")
		return
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		h.fail(w, r, format, http.StatusBadRequest, "open311.form_encoded")
		return
	}
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, format, http.StatusBadRequest, "open311.form_encoded")
		return
	}
	v := r.PostForm
	for k := range v {
		if slices.Contains(serverFields, k) {
			h.fail(w, r, format, http.StatusBadRequest, "open311.server_field", k)
			return
		}
		if strings.HasPrefix(k, "attribute[") {
			h.fail(w, r, format, http.StatusBadRequest, "open311.attribute_unknown", k)
			return
		}
	}
	verified, source := false, "open311"
	if key := v.Get("api_key"); key != "" {
		k, err := h.keys.Open311Key(r.Context(), hashKey(key))
		if err != nil || k.Revoked {
			h.fail(w, r, format, http.StatusForbidden, "open311.key_invalid")
			return
		}
		if ok, _ := h.keyLimiter(k).Allow("k"); !ok {
			h.fail(w, r, format, http.StatusTooManyRequests, "open311.too_many")
			return
		}
		verified, source = true, "open311:"+k.Name
	} else if ok, _ := h.anon.Allow(q.Addr); !ok {
		h.fail(w, r, format, http.StatusTooManyRequests, "open311.too_many")
		return
	}
	code := v.Get("service_code")
	if code == "" {
		h.fail(w, r, format, http.StatusBadRequest, "open311.missing", "service_code")
		return
	}
	if _, found := h.svc.Policy.Category(code); !found {
		h.fail(w, r, format, http.StatusBadRequest, "open311.service_unknown", code)
		return
	}
	in := feedback.Submission{Kind: feedback.Feedback, SiteID: q.Site.ID, Category: code, Body: v.Get("description"),
		Address: v.Get("address_string"), Name: strings.TrimSpace(v.Get("first_name") + " " + v.Get("last_name")),
		Phone: v.Get("phone"), Email: v.Get("email"), Verified: verified, Source: source,
		// An application with a key has agreed to collect the submitter's
		// consent to the purpose notice; anonymous clients say so with
		// consent=true (an extension).
		Consent: verified || v.Get("consent") == "true" || v.Get("consent") == "1"}
	lat, long := v.Get("lat"), v.Get("long")
	if lat != "" || long != "" {
		la, err1 := strconv.ParseFloat(lat, 64)
		lo, err2 := strconv.ParseFloat(long, 64)
		if err1 != nil || err2 != nil {
			h.fail(w, r, format, http.StatusBadRequest, "open311.bad_param", "lat/long")
			return
		}
		in.Lat, in.Lon, in.HasPoint = la, lo, true
	} else if in.Address == "" && v.Get("address_id") == "" {
		h.fail(w, r, format, http.StatusBadRequest, "open311.location")
		return
	}
	in.Title = title(in.Body)
	if in.Address == "" {
		in.Address = v.Get("address_id")
	}
	it, err := h.svc.Submit(access.With(r.Context(), &access.Actor{Name: "open311", Via: "public", Addr: q.Addr}), in)
	if err != nil {
		h.failErr(w, r, format, err)
		return
	}
	out := []created{{ID: strconv.FormatInt(it.ID, 10), Token: it.Code, TrackingCode: it.Code,
		ServiceNotice: q.T("open311.notice", it.Code, q.URL("/tra-cuu")+"?ma="+url.QueryEscape(it.Code))}}
	write(w, format, http.StatusCreated, out, createdList{Requests: out})
}

// title makes a title from the description's first words (Open311 has no
// title).
func title(s string) string {
	s = strings.TrimSpace(strings.SplitN(strings.ReplaceAll(s, "\r", ""), "\n", 2)[0])
	rs := []rune(s)
	if len(rs) > 80 {
		cut := string(rs[:80])
		if i := strings.LastIndex(cut, " "); i > 40 {
			cut = cut[:i]
		}
		return cut + "…"
	}
	return s
}

func (h *Handler) keyLimiter(k *Key) interface {
	Allow(string) (bool, time.Duration)
} {
	h.mu.Lock()
	defer h.mu.Unlock()
	l := h.byKey[k.ID]
	if l == nil {
		per := max(1, k.PerMinute)
		l = newLimiter(per)
		h.byKey[k.ID] = l
	}
	return l
}
