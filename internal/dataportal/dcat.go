package dataportal

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/opendata"
	"github.com/congvn/cong/internal/web"
)

// The DCAT description of the catalogue, as ckanext-dcat serves it
// (/catalog.ttl, /catalog.rdf, /catalog.jsonld, /dataset/ID.ttl …), with
// DCAT-AP terms, paging in Hydra and modified_since, for the national data
// portal's harvester.

type rdfFormat struct {
	ext, ctype, label string
	write             func(*graph) []byte
}

var rdfFormats = []rdfFormat{
	{"ttl", "text/turtle", "Turtle", (*graph).turtle},
	{"rdf", "application/rdf+xml", "RDF/XML", (*graph).rdfXML},
	{"xml", "application/rdf+xml", "RDF/XML", (*graph).rdfXML},
	{"jsonld", "application/ld+json", "JSON-LD", (*graph).jsonLD},
	{"n3", "text/n3", "Notation3", (*graph).turtle},
}

// catalogPageSize is ckanext-dcat's default datasets_per_page.
const catalogPageSize = 100

const (
	euLanguage = "http://publications.europa.eu/resource/authority/language/VIE"
	euFileType = "http://publications.europa.eu/resource/authority/file-type/"
	euPublic   = "http://publications.europa.eu/resource/authority/access-right/PUBLIC"
	ianaMedia  = "http://www.iana.org/assignments/media-types/"
	spdxSHA256 = nsSPDX + "checksumAlgorithm_sha256"
	rdfType    = nsRDF + "type"
)

// catalogURI is the catalogue's URI: the data portal's address.
func catalogURI(q *web.Req) string { return strings.TrimSuffix(dataURL(q, "/"), "/") }

func (h *Handler) catalog(w http.ResponseWriter, r *http.Request, f rdfFormat) {
	q := web.FromRequest(r)
	params := r.URL.Query()
	page := 1
	if p := params.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 {
			h.Error(w, r, fault.New(fault.Invalid, "data.page_invalid"))
			return
		}
		page = n
	}
	fq := params.Get("fq")
	if ms := params.Get("modified_since"); ms != "" {
		t, ok := parseSince(ms)
		if !ok {
			h.Error(w, r, fault.New(fault.Invalid, "data.modified_since_invalid"))
			return
		}
		term := "metadata_modified:[" + t.UTC().Format(time.RFC3339Nano) + " TO *]"
		if fq != "" {
			fq = "(" + fq + ") AND " + term
		} else {
			fq = term
		}
	}
	v, err := h.view(r.Context(), q)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	res, err := h.Data.Search(r.Context(), v.orgs, opendata.SearchQuery{Q: params.Get("q"), FQ: fq, Sort: "metadata_modified desc",
		Rows: catalogPageSize, Start: (page - 1) * catalogPageSize})
	if err != nil {
		h.Error(w, r, err)
		return
	}
	last := max(1, (res.Count+catalogPageSize-1)/catalogPageSize)
	if page > last {
		h.Error(w, r, fault.New(fault.NotFound, "data.page_too_high"))
		return
	}
	g := &graph{}
	cat := iriT(catalogURI(q))
	st := dataSite(q)
	g.addIRI(cat, rdfType, nsDCAT+"Catalog")
	g.add(cat, iriT(nsDCT+"title"), langT(st.Name, "vi"))
	if st.NameEn != "" {
		g.add(cat, iriT(nsDCT+"title"), langT(st.NameEn, "en"))
	}
	g.add(cat, iriT(nsDCT+"description"), langT(q.T("data.catalog_description"), q.Lang))
	g.addIRI(cat, nsFOAF+"homepage", cat.value+"/")
	g.addIRI(cat, nsDCT+"language", euLanguage)
	if o, ok := v.orgs.OfSite(st.ID); ok {
		g.addIRI(cat, nsDCT+"publisher", h.addOrg(g, q, o).value)
	}
	if all, err := h.Data.Search(r.Context(), v.orgs, opendata.SearchQuery{Sort: "metadata_modified desc", Rows: 1}); err == nil && len(all.Results) > 0 {
		g.add(cat, iriT(nsDCT+"modified"), typedT(all.Results[0].Modified.UTC().Format(time.RFC3339), nsXSD+"dateTime"))
	}
	for _, d := range res.Results {
		g.addIRI(cat, nsDCAT+"dataset", h.addDataset(g, q, v, d).value)
	}
	// Paging, in Hydra, as ckanext-dcat writes it.
	pageURL := func(n int) string {
		p := url.Values{}
		for k, vs := range params {
			p[k] = vs
		}
		p.Set("page", strconv.Itoa(n))
		return dataURL(q, "/catalog."+f.ext+"?"+p.Encode())
	}
	coll := iriT(pageURL(page))
	g.addIRI(coll, rdfType, nsHydra+"PagedCollection")
	g.add(coll, iriT(nsHydra+"totalItems"), typedT(strconv.Itoa(res.Count), nsXSD+"integer"))
	g.add(coll, iriT(nsHydra+"itemsPerPage"), typedT(strconv.Itoa(catalogPageSize), nsXSD+"integer"))
	g.add(coll, iriT(nsHydra+"firstPage"), litT(pageURL(1)))
	g.add(coll, iriT(nsHydra+"lastPage"), litT(pageURL(last)))
	if page < last {
		g.add(coll, iriT(nsHydra+"nextPage"), litT(pageURL(page+1)))
	}
	if page > 1 {
		g.add(coll, iriT(nsHydra+"previousPage"), litT(pageURL(page-1)))
	}
	writeRDF(w, &f, g)
}

// parseSince reads modified_since: an ISO 8601 date or date-time.
func parseSince(s string) (time.Time, bool) {
	for _, l := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04", time.DateOnly} {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func writeRDF(w http.ResponseWriter, f *rdfFormat, g *graph) {
	w.Header().Set("Content-Type", f.ctype+"; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=60")
	w.Write(f.write(g))
}

func (h *Handler) datasetRDF(w http.ResponseWriter, r *http.Request, name string, f rdfFormat) {
	q := web.FromRequest(r)
	d, err := h.Data.Dataset(r.Context(), name)
	if err == nil && d.State != opendata.Active {
		err = fault.New(fault.NotFound, "data.not_found")
	}
	if err != nil {
		h.Error(w, r, err)
		return
	}
	v, err := h.view(r.Context(), q)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	g := &graph{}
	h.addDataset(g, q, v, d)
	writeRDF(w, &f, g)
}

func (h *Handler) addOrg(g *graph, q *web.Req, o *opendata.Org) term {
	org := iriT(catalogURI(q) + "/organization/" + o.Name)
	g.addIRI(org, rdfType, nsFOAF+"Organization")
	g.add(org, iriT(nsFOAF+"name"), langT(o.Title, "vi"))
	if o.TitleEn != "" {
		g.add(org, iriT(nsFOAF+"name"), langT(o.TitleEn, "en"))
	}
	if o.Portal != nil {
		vi := *q
		vi.Lang = "vi"
		g.addIRI(org, nsFOAF+"homepage", vi.SiteURL(o.Portal, "/"))
	}
	return org
}

func dateTime(t time.Time) term { return typedT(t.UTC().Format(time.RFC3339), nsXSD+"dateTime") }

// addDataset describes a dataset and its distributions in DCAT-AP terms.
func (h *Handler) addDataset(g *graph, q *web.Req, v *view, d *opendata.Dataset) term {
	base := catalogURI(q)
	ds := iriT(base + "/dataset/" + d.ID)
	g.addIRI(ds, rdfType, nsDCAT+"Dataset")
	g.add(ds, iriT(nsDCT+"identifier"), litT(d.ID))
	g.add(ds, iriT(nsDCT+"title"), langT(d.Title, "vi"))
	if d.Notes != "" {
		g.add(ds, iriT(nsDCT+"description"), langT(d.Notes, "vi"))
	}
	for _, t := range d.Tags {
		g.add(ds, iriT(nsDCAT+"keyword"), langT(t, "vi"))
	}
	for _, name := range d.Groups {
		g.addIRI(ds, nsDCAT+"theme", base+"/group/"+name)
	}
	g.add(ds, iriT(nsDCT+"issued"), dateTime(d.Created))
	g.add(ds, iriT(nsDCT+"modified"), dateTime(d.Modified))
	g.addIRI(ds, nsDCAT+"landingPage", dataURL(q, "/du-lieu/"+d.Name))
	g.addIRI(ds, nsDCT+"language", euLanguage)
	g.addIRI(ds, nsDCT+"accessRights", euPublic)
	if d.Version != "" {
		g.add(ds, iriT(nsOWL+"versionInfo"), litT(d.Version))
	}
	if d.Frequency != "" {
		g.addIRI(ds, nsDCT+"accrualPeriodicity", opendata.FrequencyURI(d.Frequency))
	}
	if o, ok := v.orgs.OfSite(d.SiteID); ok {
		g.addIRI(ds, nsDCT+"publisher", h.addOrg(g, q, o).value)
	}
	if d.TemporalStart != "" || d.TemporalEnd != "" {
		t := g.blank()
		g.add(ds, iriT(nsDCT+"temporal"), t)
		g.addIRI(t, rdfType, nsDCT+"PeriodOfTime")
		if d.TemporalStart != "" {
			g.add(t, iriT(nsDCAT+"startDate"), typedT(d.TemporalStart, nsXSD+"date"))
		}
		if d.TemporalEnd != "" {
			g.add(t, iriT(nsDCAT+"endDate"), typedT(d.TemporalEnd, nsXSD+"date"))
		}
	}
	if d.Spatial != "" {
		s := g.blank()
		g.add(ds, iriT(nsDCT+"spatial"), s)
		g.addIRI(s, rdfType, nsDCT+"Location")
		g.add(s, iriT(nsSKOS+"prefLabel"), langT(d.Spatial, "vi"))
	}
	if d.ContactName != "" || d.ContactEmail != "" {
		c := g.blank()
		g.add(ds, iriT(nsDCAT+"contactPoint"), c)
		g.addIRI(c, rdfType, nsVCARD+"Organization")
		if d.ContactName != "" {
			g.add(c, iriT(nsVCARD+"fn"), litT(d.ContactName))
		}
		if d.ContactEmail != "" {
			g.addIRI(c, nsVCARD+"hasEmail", "mailto:"+d.ContactEmail)
		}
	}
	lic, _ := opendata.LicenseByID(d.LicenseID)
	for _, r := range d.Resources {
		dist := iriT(base + "/dataset/" + d.ID + "/resource/" + r.ID)
		g.addIRI(ds, nsDCAT+"distribution", dist.value)
		g.addIRI(dist, rdfType, nsDCAT+"Distribution")
		g.add(dist, iriT(nsDCT+"title"), langT(r.Name, "vi"))
		if r.Description != "" {
			g.add(dist, iriT(nsDCT+"description"), langT(r.Description, "vi"))
		}
		g.addIRI(dist, nsDCAT+"accessURL", dataURL(q, "/du-lieu/"+d.Name+"/tai-nguyen/"+r.ID))
		if r.Upload() {
			g.addIRI(dist, nsDCAT+"downloadURL", resourceURL(q, d, r))
			g.add(dist, iriT(nsDCAT+"byteSize"), typedT(strconv.FormatInt(r.Size, 10), nsXSD+"nonNegativeInteger"))
			ck := g.blank()
			g.add(dist, iriT(nsSPDX+"checksum"), ck)
			g.addIRI(ck, rdfType, nsSPDX+"Checksum")
			g.addIRI(ck, nsSPDX+"algorithm", spdxSHA256)
			g.add(ck, iriT(nsSPDX+"checksumValue"), typedT(plainHash(r.Hash), nsXSD+"hexBinary"))
		} else {
			g.addIRI(dist, nsDCAT+"accessURL", r.URL)
		}
		if r.Format != "" {
			g.addIRI(dist, nsDCT+"format", euFileType+r.Format)
		}
		if r.Mimetype != "" {
			g.addIRI(dist, nsDCAT+"mediaType", ianaMedia+r.Mimetype)
		}
		if lic.URL != "" {
			g.addIRI(dist, nsDCT+"license", lic.URL)
		}
		g.add(dist, iriT(nsDCT+"issued"), dateTime(r.Created))
		g.add(dist, iriT(nsDCT+"modified"), dateTime(r.Modified))
	}
	return ds
}
