package feedback

import (
	"slices"
	"strings"

	"github.com/congvn/cong/internal/vietnamese"
)

// Policy holds the rules that come from regulations and from the city's
// own decisions. It is a plain struct so that the rule pack
// (internal/rulepack) can fill it at start; DefaultPolicy gives the values
// used until then, with their basis.
type Policy struct {
	// AnswerDays is the time to answer, in working days counted from the
	// day after receipt, per kind.
	//
	// Questions: 10 working days, as for a request for information (Law on
	// Access to Information 2016, Art. 28–29). Feedback and petitions: 15
	// working days, a conservative figure within the time limits for
	// handling feedback on administrative regulations (Decree 20/2008/NĐ-CP
	// as amended by Decree 92/2017/NĐ-CP) and for handling petitions (Law
	// on Citizen Reception 2013); the rule pack sets the figure the city
	// adopts.
	AnswerDays map[Kind]int
	// RemindDays: the handling unit is reminded this many working days
	// before the deadline.
	RemindDays int
	// EscalateDays: an item still open this many working days after its
	// deadline is reported to the parent unit, and again to the next unit up
	// after each further EscalateDays.
	EscalateDays int
	// KeepContactDays: contacts are erased this many days after an item is
	// closed (Law 91/2025: kept only as long as the purpose needs).
	KeepContactDays int
	// Purpose is the version of the purpose notice shown on the forms; a
	// consent records it.
	Purpose string
	// Categories are the fields (lĩnh vực) a citizen chooses from, with the
	// unit that usually answers them.
	Categories []Category
	// MaxPerContact and MaxPerContactHours limit submissions from one phone
	// number or e-mail address.
	MaxPerContact      int
	MaxPerContactHours int
}

// Category is a field of feedback and questions, with the rule that
// suggests who answers it: Local categories go to the commune or ward the
// place names (rubbish, urban order, security), the others to Agency (a
// site code), falling back to the site it was sent on.
type Category struct {
	Code   string
	Name   string
	NameEn string
	Local  bool
	Agency string
}

// DefaultPolicy returns the policy used until the rule pack provides one.
func DefaultPolicy() Policy {
	return Policy{
		AnswerDays:         map[Kind]int{Feedback: 15, Question: 10},
		RemindDays:         2,
		EscalateDays:       1,
		KeepContactDays:    365,
		Purpose:            "phan-anh-v1",
		MaxPerContact:      5,
		MaxPerContactHours: 1,
		Categories: []Category{
			{"moi-truong", "Môi trường, rác thải, ô nhiễm", "Environment, waste, pollution", true, "so-nong-nghiep-moi-truong"},
			{"trat-tu-do-thi", "Trật tự đô thị, vỉa hè, xây dựng", "Urban order, pavements, building", true, "so-xay-dung"},
			{"giao-thong", "Giao thông, hạ tầng, chiếu sáng", "Traffic, infrastructure, lighting", false, "so-xay-dung"},
			{"dien-nuoc", "Điện, nước, dịch vụ công ích", "Power, water, public utilities", true, "so-xay-dung"},
			{"dat-dai", "Đất đai, nhà ở", "Land and housing", false, "so-nong-nghiep-moi-truong"},
			{"an-ninh", "An ninh, trật tự, an toàn xã hội", "Security and public order", true, ""},
			{"y-te", "Y tế, an toàn thực phẩm", "Health and food safety", false, "so-y-te"},
			{"giao-duc", "Giáo dục, đào tạo", "Education and training", false, "so-giao-duc-dao-tao"},
			{"thu-tuc", "Thủ tục hành chính, dịch vụ công", "Administrative procedures, public services", false, "trung-tam-phuc-vu-hcc"},
			{"lao-dong", "Lao động, việc làm, bảo hiểm xã hội", "Labour, jobs, social insurance", false, "so-noi-vu"},
			{"doanh-nghiep", "Doanh nghiệp, đầu tư, thuế, tài chính", "Business, investment, tax, finance", false, "so-tai-chinh"},
			{"van-hoa", "Văn hóa, thể thao, du lịch", "Culture, sports, tourism", false, "so-van-hoa-the-thao"},
			{"khac", "Lĩnh vực khác", "Other", false, ""},
		},
	}
}

// Category returns the category with code c.
func (p *Policy) Category(c string) (Category, bool) {
	i := slices.IndexFunc(p.Categories, func(x Category) bool { return x.Code == c })
	if i < 0 {
		return Category{}, false
	}
	return p.Categories[i], true
}

// CategoryName returns a category's name in lang, or the code when unknown.
func (p *Policy) CategoryName(c, lang string) string {
	cat, ok := p.Category(c)
	if !ok {
		return c
	}
	if lang == "en" && cat.NameEn != "" {
		return cat.NameEn
	}
	return cat.Name
}

// Days returns the time to answer an item of kind k.
func (p *Policy) Days(k Kind) int {
	if d := p.AnswerDays[k]; d > 0 {
		return d
	}
	return 15
}

// Unit is what the suggestion needs to know of a unit's site.
type Unit struct {
	SiteID   int64
	SiteCode string
	Name     string // the unit's name, e.g. "Phường Ba Đình"
	Local    bool   // a commune or ward
}

// Suggest proposes the site that should answer an item: for a local
// category, the commune or ward named in the place (or the text); else the
// category's agency; else the commune, ward or agency whose portal it was
// sent on. ok is false when nothing fits and the editorial office decides.
func (p *Policy) Suggest(it *Item, origin *Unit, units []Unit) (Unit, string, bool) {
	cat, _ := p.Category(it.Category)
	if cat.Local {
		if u, ok := placeUnit(it.Place.Address+" "+it.Title, units); ok {
			return u, "place", true
		}
		if origin != nil && origin.Local {
			return *origin, "origin", true
		}
	}
	if cat.Agency != "" {
		for _, u := range units {
			if u.SiteCode == cat.Agency {
				return u, "category", true
			}
		}
	}
	if origin != nil && origin.SiteCode != "" && !strings.EqualFold(origin.Name, "") {
		return *origin, "origin", true
	}
	return Unit{}, "", false
}

// placeUnit finds the commune or ward whose name appears in text, the
// longest name first ("Phường Hoàn Kiếm" before a shorter name inside it).
func placeUnit(text string, units []Unit) (Unit, bool) {
	hay := " " + strings.ReplaceAll(vietnamese.Slug(text, 0), "-", " ") + " "
	best, bestLen := Unit{}, 0
	for _, u := range units {
		if !u.Local {
			continue
		}
		name := strings.ReplaceAll(vietnamese.Slug(u.Name, 0), "-", " ")
		if len(name) > bestLen && strings.Contains(hay, " "+name+" ") {
			best, bestLen = u, len(name)
		}
	}
	return best, bestLen > 0
}
