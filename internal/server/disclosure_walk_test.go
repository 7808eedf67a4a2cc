package server_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/congvn/cong/internal/consultation"
	"github.com/congvn/cong/internal/document"
	"github.com/congvn/cong/internal/listing"
	"github.com/congvn/cong/internal/server/servertest"
)

// pathValues fills the path values of the walked routes: the site, and
// the items the forms of disclosureForms act on.
func pathValues(forms map[string]url.Values) *strings.Replacer {
	var pairs []string
	for k, v := range forms {
		if strings.HasPrefix(k, "{") && k != "{site}" {
			pairs = append(pairs, k, v.Get("id"))
		}
	}
	return strings.NewReplacer(append([]string{"{site}", "phuong-cua-nam"}, pairs...)...)
}

// disclosureForms are valid forms for the routes of mandatory disclosure,
// with a document, a closed draft with a comment, and a listing item of
// Phường Cửa Nam for them to act on.
func disclosureForms(env *servertest.Env, t *testing.T) map[string]url.Values {
	ctx := asSystem(t)
	app := env.App
	st, err := app.Sites.Site(ctx, "phuong-cua-nam")
	if err != nil {
		t.Fatal(err)
	}
	types, _ := app.Documents.Terms(ctx, document.ListType)
	issuers, _ := app.Documents.Terms(ctx, document.ListIssuer)
	if len(types) == 0 || len(issuers) == 0 {
		t.Fatal("the demo has no document lists")
	}
	typ, issuer := strconv.FormatInt(types[0].ID, 10), strconv.FormatInt(issuers[0].ID, 10)
	doc := &document.Document{SiteID: st.ID, Number: "77/QĐ-UBND", TypeID: types[0].ID, IssuerID: issuers[0].ID, Title: "Văn bản để thử quyền", IssuedOn: "2025-01-02"}
	if err := app.Documents.Create(ctx, doc); err != nil {
		t.Fatal(err)
	}
	old := time.Now().AddDate(0, -2, 0)
	c := &consultation.Consultation{SiteID: st.ID, Title: "Dự thảo để thử quyền", Articles: []string{"Điều 1. Phạm vi"},
		OpensOn: old.Format(time.DateOnly), ClosesOn: old.AddDate(0, 0, 10).Format(time.DateOnly)}
	if err := app.Consultations.Create(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := app.Consultations.SetPublished(ctx, c.ID, true); err != nil {
		t.Fatal(err)
	}
	cm := &consultation.Comment{ConsultationID: c.ID, SiteID: st.ID, Name: "Người góp ý", Contact: "a@example.com", Body: "Một ý kiến để duyệt", Status: consultation.Pending, Created: old.AddDate(0, 0, 1)}
	if err := env.DB.AddComment(ctx, cm); err != nil {
		t.Fatal(err)
	}
	it := &listing.Item{SiteID: st.ID, Kind: "plan", Title: "Kế hoạch để thử quyền", IssuedOn: "2025-01-02"}
	if err := app.Listings.Create(ctx, it); err != nil {
		t.Fatal(err)
	}
	id := func(n int64) url.Values { return url.Values{"id": {strconv.FormatInt(n, 10)}} }
	return map[string]url.Values{
		"{doc}": id(doc.ID), "{draft}": id(c.ID), "{item}": id(it.ID),
		"POST /quan-tri/trang/{site}/van-ban": {"number": {"78/QĐ-UBND"}, "type": {typ}, "issuer": {issuer}, "title": {"Văn bản mới"}, "issued_on": {"2025-02-03"}},
		"POST /quan-tri/trang/{site}/van-ban/nhap": {"text": {"so_ky_hieu,hinh_thuc,co_quan_ban_hanh,trich_yeu,ngay_ban_hanh,cong_bo\n79/QĐ-UBND," + types[0].Name + "," +
			issuers[0].Name + ",Nhập thử,2025-03-04,khong\n"}},
		"POST /quan-tri/trang/{site}/van-ban/{doc}": {"version": {"1"}, "number": {"77/QĐ-UBND"}, "type": {typ}, "issuer": {issuer},
			"title": {"Văn bản để thử quyền, đã sửa"}, "issued_on": {"2025-01-02"}},
		"POST /quan-tri/trang/{site}/van-ban/{doc}/cong-bo":      {"publish": {"1"}},
		"POST /quan-tri/trang/{site}/van-ban/{doc}/lien-ket":     {"kind": {"implements"}, "to": {"42/2022/NĐ-CP"}},
		"POST /quan-tri/trang/{site}/thu-tuc/nhap":               {"text": {`{"ma_thu_tuc": "9.999999", "ten_thu_tuc": "Thủ tục thử quyền"}` + "\n"}},
		"POST /quan-tri/trang/{site}/thu-tuc/thong-ke":           {"text": {"ky,tiep_nhan,dung_han,qua_han\n2025-Q1,10,9,1\n"}},
		"POST /quan-tri/trang/{site}/du-thao":                    {"title": {"Dự thảo mới"}, "opens_on": {"2030-01-01"}, "closes_on": {"2030-02-01"}},
		"POST /quan-tri/trang/{site}/du-thao/{draft}/cong-bo":    {"publish": {"1"}},
		"POST /quan-tri/trang/{site}/du-thao/{draft}/kiem-duyet": {"comment": {strconv.FormatInt(cm.ID, 10)}, "approve": {"1"}},
		"POST /quan-tri/trang/{site}/du-thao/{draft}/ket-qua":    {"result": {"Tổng hợp"}, "response": {"Giải trình"}},
		"POST /quan-tri/trang/{site}/cong-khai":                  {"kind": {"budget"}, "title": {"Dự toán"}, "issued_on": {"2025-01-05"}},
		"POST /quan-tri/trang/{site}/cong-khai/{item}/cong-bo":   {"publish": {"1"}},
		"POST /quan-tri/trang/{site}/dau-moi":                    {"role_0": {"info_officer"}, "name_0": {"Người tiếp nhận"}, "phone_0": {"024 3000 0000"}},
		"POST /quan-tri/giam-sat":                                {},
		"POST /quan-tri/danh-muc-van-ban":                        {"list": {"field"}, "name": {"Lĩnh vực thử quyền"}},
	}
}
