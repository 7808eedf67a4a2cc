package feedback_test

import (
	"testing"

	"github.com/congvn/cong/internal/feedback"
)

func TestPolicySuggest(t *testing.T) {
	p := feedback.DefaultPolicy()
	baDinh := feedback.Unit{SiteID: 2, SiteCode: "phuong-ba-dinh", Name: "Phường Ba Đình", Local: true}
	hoanKiem := feedback.Unit{SiteID: 3, SiteCode: "phuong-hoan-kiem", Name: "Phường Hoàn Kiếm", Local: true}
	// A short name inside a longer one: the longer must win when both appear.
	hoan := feedback.Unit{SiteID: 4, SiteCode: "xa-hoan", Name: "Xã Hoàn", Local: true}
	kiem := feedback.Unit{SiteID: 8, SiteCode: "phuong-kiem", Name: "Phường Kiếm", Local: true}
	build := feedback.Unit{SiteID: 5, SiteCode: "so-xay-dung", Name: "Sở Xây dựng"}
	env := feedback.Unit{SiteID: 6, SiteCode: "so-nong-nghiep-moi-truong", Name: "Sở Nông nghiệp và Môi trường"}
	health := feedback.Unit{SiteID: 7, SiteCode: "so-y-te", Name: "Sở Y tế"}
	units := []feedback.Unit{baDinh, hoanKiem, hoan, kiem, build, env, health}

	item := func(cat, title, addr string) *feedback.Item {
		return &feedback.Item{Category: cat, Title: title, Place: feedback.Place{Address: addr}}
	}
	for _, tc := range []struct {
		name   string
		it     *feedback.Item
		origin *feedback.Unit
		units  []feedback.Unit
		want   int64
		why    string
	}{
		{"local category, ward named in the address", item("moi-truong", "Rác thải", "Số 12 phố Quán Thánh, phường Ba Đình"), nil, units, baDinh.SiteID, "place"},
		{"the address wins over the portal it was sent on", item("moi-truong", "Rác thải", "ngõ 5, Phường Hoàn Kiếm"), &baDinh, units, hoanKiem.SiteID, "place"},
		{"typed without diacritics, in capitals", item("trat-tu-do-thi", "Lấn chiếm vỉa hè", "PHUONG HOAN KIEM"), nil, units, hoanKiem.SiteID, "place"},
		{"the ward named in the title", item("dien-nuoc", "Mất nước ở phường Ba Đình", ""), nil, units, baDinh.SiteID, "place"},
		{"a name is matched whole, not inside a word", item("an-ninh", "Mất trật tự", "phường Ba Đìnhh"), nil, units, 0, ""},
		{"local category, no place: the ward it was sent on", item("moi-truong", "Rác thải", "gần chợ"), &hoanKiem, units, hoanKiem.SiteID, "origin"},
		{"local category, no place, sent on the city portal: the agency", item("moi-truong", "Rác thải", "gần chợ"), nil, units, env.SiteID, "category"},
		{"local category sent on an agency's portal: the category's agency", item("dien-nuoc", "Mất nước", ""), &health, units, build.SiteID, "category"},
		{"city-wide category: its agency, even with a ward in the address", item("giao-thong", "Đèn hỏng", "phường Ba Đình"), &baDinh, units, build.SiteID, "category"},
		{"another city-wide category", item("y-te", "Thực phẩm bẩn", ""), nil, units, health.SiteID, "category"},
		{"no agency for the category: the portal it was sent on", item("khac", "Góp ý", ""), &baDinh, units, baDinh.SiteID, "origin"},
		{"the category's agency has no portal: the portal it was sent on", item("giao-duc", "Trường học", ""), &hoanKiem, units, hoanKiem.SiteID, "origin"},
		{"nothing fits: the editorial office decides", item("khac", "Góp ý", ""), nil, units, 0, ""},
		{"security, no ward named, sent on an agency portal: that portal", item("an-ninh", "Mất trật tự", ""), &health, units, health.SiteID, "origin"},
		{"unknown category: the portal it was sent on", item("khong-co", "Gì đó", "phường Ba Đình"), &hoanKiem, units, hoanKiem.SiteID, "origin"},
		{"no units at all", item("moi-truong", "Rác", "phường Ba Đình"), nil, nil, 0, ""},
	} {
		u, why, ok := p.Suggest(tc.it, tc.origin, tc.units)
		if ok != (tc.want != 0) || u.SiteID != tc.want || why != tc.why {
			t.Errorf("%s: got site %d (%q, %v), want %d (%q)", tc.name, u.SiteID, why, ok, tc.want, tc.why)
		}
	}
	// The longest name that appears wins.
	u, _, _ := p.Suggest(item("moi-truong", "", "Xã Hoàn, nay là Phường Hoàn Kiếm"), nil, units)
	if u.SiteID != hoanKiem.SiteID {
		t.Errorf("both names in the place: got %d, want Phường Hoàn Kiếm", u.SiteID)
	}
}
