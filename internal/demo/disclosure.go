package demo

import (
	"context"
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	"github.com/congvn/cong/internal/consultation"
	"github.com/congvn/cong/internal/contactpoint"
	"github.com/congvn/cong/internal/document"
	"github.com/congvn/cong/internal/listing"
	"github.com/congvn/cong/internal/procedure"
	"github.com/congvn/cong/internal/server"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/vietnamese"
)

func init() { steps = append(steps, disclosureDemo) }

// Compliance of the demo's communes, by position in the list, so the audit
// has something to find: half pass every rule this part checks, the others
// each miss one thing.
const (
	compliant   = iota // 0–4: everything published and current
	noDocuments = 5    // no document at all
	staleDocs   = 6    // documents, but none for two years
	noSettings  = 7    // no EMC code, no phone, no English contact data
	noContacts  = 8    // no contact points, no information officer
	noProcs     = 9    // no procedures, no statistics
)

// communeCase says what a commune-level site lacks, from its code, so the
// same site gets the same case at every step of the demo.
func communeCase(code string) int {
	if code == "phuong-ba-dinh" {
		// The showcase ward starts with its settings to fill in: its
		// administrator (quantri.badinh) can make it pass the audit, and the
		// foundation's tests expect it blank.
		return noSettings
	}
	h := fnv.New32a()
	h.Write([]byte(code))
	if c := int(h.Sum32() % 10); c >= 5 {
		return c
	}
	return compliant
}

// isCommuneLevel reports whether a site is a ward's or commune's portal.
func isCommuneLevel(st *site.Site) bool {
	return st.Kind == site.Portal && (strings.HasPrefix(st.Name, "Phường ") || strings.HasPrefix(st.Name, "Xã "))
}

// demoSettings fills in, as each site is created, the contact data and EMC
// code a compliant site has; the communes of the noSettings case, and the
// Department of Justice's missing EMC code, give the audit something to
// find. Districts merged in 2025 are left as they were.
func demoSettings(st *site.Site) {
	if st.Kind == site.Portal && (strings.HasPrefix(st.Name, "Quận ") || strings.HasPrefix(st.Name, "Huyện ") || strings.HasPrefix(st.Name, "Thị xã ")) {
		return
	}
	if isCommuneLevel(st) && communeCase(st.Code) == noSettings {
		return
	}
	h := fnv.New32a()
	h.Write([]byte(st.Code))
	n := h.Sum32()
	if st.Code != "so-tu-phap" {
		st.EMCID = fmt.Sprint(10000 + n%90000)
	}
	if st.Code == CityCode || st.Kind != site.Portal {
		return
	}
	c := &st.Contact
	c.Phone = fmt.Sprintf("024 3%03d %04d", n%1000, n/1000%10000)
	if c.Email == "" {
		c.Email = st.Code + "@hanoi.gov.vn"
	}
	if c.AddressEn == "" && st.NameEn != "" {
		c.AddressEn = st.NameEn + ", Hanoi"
	}
	if c.Address == "Thành phố Hà Nội" {
		c.Address = st.Name + ", thành phố Hà Nội"
	}
}

// realDocument is a document the city plan cites, with its real number,
// title and dates (see data/SOURCES.md).
type realDocument struct {
	number, typ, issuer, title, signer, issued, effective string
}

var realDocuments = []realDocument{
	{"104/2016/QH13", "Luật", "Quốc hội", "Luật Tiếp cận thông tin", "Nguyễn Thị Kim Ngân", "2016-04-06", "2018-07-01"},
	{"85/2016/NĐ-CP", "Nghị định", "Chính phủ", "Về bảo đảm an toàn hệ thống thông tin theo cấp độ", "", "2016-07-01", "2016-07-01"},
	{"13/2018/NĐ-CP", "Nghị định", "Chính phủ", "Quy định chi tiết và biện pháp thi hành Luật Tiếp cận thông tin", "", "2018-01-23", "2018-07-01"},
	{"43/2011/NĐ-CP", "Nghị định", "Chính phủ", "Quy định về việc cung cấp thông tin và dịch vụ công trực tuyến trên trang thông tin điện tử hoặc cổng thông tin điện tử của cơ quan nhà nước", "", "2011-06-13", "2011-08-01"},
	{"42/2022/NĐ-CP", "Nghị định", "Chính phủ", "Quy định về việc cung cấp thông tin và dịch vụ công trực tuyến của cơ quan nhà nước trên môi trường mạng", "", "2022-06-24", "2022-08-15"},
	{"4946/BTTTT-CĐSQG", "Công văn", "Bộ Thông tin và Truyền thông", "Về việc hướng dẫn triển khai Nghị định số 42/2022/NĐ-CP", "", "2022-10-04", "2022-10-04"},
	{"22/2023/TT-BTTTT", "Thông tư", "Bộ Thông tin và Truyền thông", "Quy định cấu trúc, bố cục, yêu cầu kỹ thuật cho cổng thông tin điện tử và trang thông tin điện tử của cơ quan nhà nước", "", "2023-12-31", "2024-02-15"},
	{"1351/QĐ-UBND", "Quyết định", "UBND thành phố Hà Nội", "Về việc thành lập Ban Biên tập Cổng Thông tin điện tử thành phố Hà Nội", "", "2024-03-12", "2024-03-12"},
}

// realRelations link the real documents: from does kind to to.
var realRelations = []struct{ from, kind, to string }{
	{"42/2022/NĐ-CP", document.Replaces, "43/2011/NĐ-CP"},
	{"13/2018/NĐ-CP", document.Implements, "104/2016/QH13"},
	{"4946/BTTTT-CĐSQG", document.Guides, "42/2022/NĐ-CP"},
	{"22/2023/TT-BTTTT", document.Implements, "42/2022/NĐ-CP"},
	{"1351/QĐ-UBND", document.Implements, "42/2022/NĐ-CP"},
}

var docTypes = []struct{ name, en, abbr string }{
	{"Luật", "Law", "QH"}, {"Nghị định", "Decree", "NĐ"}, {"Nghị quyết", "Resolution", "NQ"}, {"Thông tư", "Circular", "TT"},
	{"Quyết định", "Decision", "QĐ"}, {"Chỉ thị", "Directive", "CT"}, {"Kế hoạch", "Plan", "KH"}, {"Công văn", "Official letter", ""},
	{"Thông báo", "Notice", "TB"}, {"Báo cáo", "Report", "BC"}, {"Hướng dẫn", "Guidance", "HD"},
}

// topics are what the generated documents are about, with their field.
var topics = []struct{ topic, field string }{
	{"chuyển đổi số", "Công nghệ thông tin"}, {"cải cách hành chính", "Hành chính"}, {"phòng cháy, chữa cháy", "An ninh, trật tự"},
	{"quản lý trật tự xây dựng", "Xây dựng"}, {"giải phóng mặt bằng", "Đất đai"}, {"bảo vệ môi trường", "Môi trường"},
	{"bảo đảm an toàn thực phẩm", "Y tế"}, {"phổ biến, giáo dục pháp luật", "Tư pháp"}, {"tuyển sinh vào lớp 10", "Giáo dục"},
	{"thu ngân sách nhà nước", "Tài chính"}, {"phát triển du lịch", "Du lịch"}, {"giảm nghèo bền vững", "Lao động, xã hội"},
	{"bảo đảm trật tự an toàn giao thông", "Giao thông"}, {"Đề án 06 về phát triển ứng dụng dữ liệu dân cư", "Hành chính"},
	{"xây dựng nông thôn mới", "Nông nghiệp"}, {"bảo tồn và phát huy giá trị di sản văn hóa", "Văn hóa, thể thao"},
}

var fieldsEn = map[string]string{"Công nghệ thông tin": "Information technology", "Hành chính": "Administration", "An ninh, trật tự": "Security and order",
	"Xây dựng": "Construction", "Đất đai": "Land", "Môi trường": "Environment", "Y tế": "Health", "Tư pháp": "Justice", "Giáo dục": "Education",
	"Tài chính": "Finance", "Du lịch": "Tourism", "Lao động, xã hội": "Labour and social affairs", "Giao thông": "Transport",
	"Nông nghiệp": "Agriculture", "Văn hóa, thể thao": "Culture and sports"}

var signers = []string{"Nguyễn Văn Hùng", "Trần Thị Mai", "Lê Quang Minh", "Phạm Đức Long", "Hoàng Thu Hà", "Vũ Mạnh Cường", "Đỗ Thanh Bình", "Bùi Thị Lan"}

// titleOf writes a realistic summary (trích yếu) for a type and topic.
func titleOf(typ, topic string, year int) string {
	switch typ {
	case "Quyết định":
		return fmt.Sprintf("Về việc phê duyệt Kế hoạch %s năm %d", topic, year)
	case "Kế hoạch":
		return fmt.Sprintf("Triển khai công tác %s năm %d", topic, year)
	case "Chỉ thị":
		return "Về việc tăng cường công tác " + topic
	case "Công văn":
		return "Về việc đôn đốc, hướng dẫn thực hiện công tác " + topic
	case "Thông báo":
		return "Kết luận tại cuộc họp về công tác " + topic
	case "Báo cáo":
		return fmt.Sprintf("Kết quả thực hiện công tác %s năm %d", topic, year-1)
	case "Nghị quyết":
		return fmt.Sprintf("Về việc thông qua chương trình %s giai đoạn 2026–2030", topic)
	case "Hướng dẫn":
		return "Hướng dẫn thực hiện công tác " + topic
	}
	return topic
}

// agencyAbbr abbreviates an agency for document symbols: Sở Giáo dục và
// Đào tạo is SGDĐT.
func agencyAbbr(name string) string {
	switch {
	case strings.HasPrefix(name, "Văn phòng"):
		return "VP"
	case strings.HasPrefix(name, "Thanh tra"):
		return "TTr"
	case strings.HasPrefix(name, "Ban quản lý"):
		return "BQL"
	case strings.HasPrefix(name, "Trung tâm"):
		return "TTPVHCC"
	}
	var b strings.Builder
	for _, w := range strings.Fields(name) {
		if w == "và" || w == "-" {
			continue
		}
		r := []rune(w)
		b.WriteString(strings.ToUpper(string(r[0])))
	}
	return b.String()
}

// demoDocs makes documents for a site: n of them, issued over the days
// before now (the newest `recent` days ago at most).
type docMaker struct {
	svc      *server.Services
	now      time.Time
	types    map[string]*document.Term
	fields   map[string]*document.Term
	issuers  map[string]*document.Term
	seq      int
	counters map[string]int
}

func (m *docMaker) make(siteID int64, issuer, abbr string, n, newestDaysAgo, spreadDays int, kinds []string) []*document.Document {
	var out []*document.Document
	for i := 0; i < n; i++ {
		m.seq++
		typ := kinds[m.seq%len(kinds)]
		tp := topics[(m.seq*7+i)%len(topics)]
		at := m.now.AddDate(0, 0, -(newestDaysAgo + (i*spreadDays)/max(n, 1)))
		key := fmt.Sprintf("%d|%s|%d", siteID, typ, at.Year())
		m.counters[key] += 1 + m.seq%7
		num := m.counters[key]
		var number string
		switch {
		case typ == "Công văn" && abbr == "UBND":
			number = fmt.Sprintf("%d/UBND-VP", num)
		case typ == "Công văn":
			number = fmt.Sprintf("%d/%s-VP", num, abbr)
		case typ == "Nghị quyết":
			number = fmt.Sprintf("%d/NQ-HĐND", num)
		default:
			t := typ
			for _, dt := range docTypes {
				if dt.name == typ {
					t = dt.abbr
				}
			}
			number = fmt.Sprintf("%d/%s-%s", num, t, abbr)
		}
		iss := m.issuers[issuer]
		if typ == "Nghị quyết" && m.issuers["HĐND thành phố Hà Nội"] != nil && abbr == "UBND" && issuer == "UBND thành phố Hà Nội" {
			iss = m.issuers["HĐND thành phố Hà Nội"]
		}
		day := at.Format(time.DateOnly)
		d := &document.Document{SiteID: siteID, Number: number, TypeID: m.types[typ].ID, IssuerID: iss.ID, FieldID: m.fields[tp.field].ID,
			Type: typ, Issuer: iss.Name, Field: tp.field, Title: titleOf(typ, tp.topic, at.Year()), Signer: signers[m.seq%len(signers)],
			IssuedOn: day, EffectiveOn: day, Published: true, PublishedAt: at.Add(10 * time.Hour)}
		out = append(out, d)
	}
	return out
}

func disclosureDemo(ctx context.Context, svc *server.Services, res *Result) error {
	now := time.Now()
	d, err := svc.Sites.Directory(ctx)
	if err != nil {
		return err
	}
	m := &docMaker{svc: svc, now: now, types: map[string]*document.Term{}, fields: map[string]*document.Term{}, issuers: map[string]*document.Term{}, counters: map[string]int{}}
	addTerm := func(list, name, en string) (*document.Term, error) {
		t := &document.Term{List: list, Name: name, NameEn: en}
		return t, svc.Documents.AddTerm(ctx, t)
	}
	for _, t := range docTypes {
		if m.types[t.name], err = addTerm(document.ListType, t.name, t.en); err != nil {
			return err
		}
	}
	for _, tp := range topics {
		if m.fields[tp.field] == nil {
			if m.fields[tp.field], err = addTerm(document.ListField, tp.field, fieldsEn[tp.field]); err != nil {
				return err
			}
		}
	}
	national := []struct{ name, en string }{{"Quốc hội", "National Assembly"}, {"Chính phủ", "Government"}, {"Thủ tướng Chính phủ", "Prime Minister"},
		{"Bộ Thông tin và Truyền thông", "Ministry of Information and Communications"}, {"HĐND thành phố Hà Nội", "Hanoi People's Council"},
		{"UBND thành phố Hà Nội", "Hanoi People's Committee"}}
	for _, n := range national {
		if m.issuers[n.name], err = addTerm(document.ListIssuer, n.name, n.en); err != nil {
			return err
		}
	}
	var portals []*site.Site
	for _, st := range d.Sites {
		u, _ := d.Unit(st.UnitID)
		if st.Status != site.Active || st.Kind != site.Portal || u == nil || u.Kind == site.City {
			continue
		}
		name := u.Name
		en := u.NameEn
		if u.Kind == site.Ward || u.Kind == site.Commune {
			name, en = "UBND "+u.Name, "People's Committee of "+u.NameEn
		}
		if m.issuers[name], err = addTerm(document.ListIssuer, name, en); err != nil {
			return err
		}
		portals = append(portals, st)
	}

	// The real documents the city plan cites, on the city portal, with a
	// PDF each, and their relations.
	city := d.City
	var docs []*document.Document
	for _, r := range realDocuments {
		docs = append(docs, &document.Document{SiteID: city.ID, Number: r.number, TypeID: m.types[r.typ].ID, IssuerID: m.issuers[r.issuer].ID,
			FieldID: m.fields["Công nghệ thông tin"].ID, Type: r.typ, Issuer: r.issuer, Field: "Công nghệ thông tin", Title: r.title, Signer: r.signer,
			IssuedOn: r.issued, EffectiveOn: r.effective, Published: true, PublishedAt: now.AddDate(0, 0, -40)})
	}
	docs = append(docs, m.make(city.ID, "UBND thành phố Hà Nội", "UBND", 45, 1, 700, []string{"Quyết định", "Kế hoạch", "Chỉ thị", "Công văn", "Thông báo", "Báo cáo", "Nghị quyết"})...)

	type plan struct {
		st   *site.Site
		u    *site.Unit
		kase int
	}
	var plans []plan
	for _, st := range portals {
		u, _ := d.Unit(st.UnitID)
		p := plan{st: st, u: u}
		switch u.Kind {
		case site.Agency:
			docs = append(docs, m.make(st.ID, u.Name, agencyAbbr(u.Name), 12, 2, 500, []string{"Quyết định", "Kế hoạch", "Công văn", "Hướng dẫn", "Báo cáo", "Thông báo"})...)
		default:
			p.kase = communeCase(st.Code)
			switch p.kase {
			case noDocuments:
			case staleDocs:
				docs = append(docs, m.make(st.ID, "UBND "+u.Name, "UBND", 2, 700, 60, []string{"Quyết định", "Kế hoạch"})...)
			default:
				docs = append(docs, m.make(st.ID, "UBND "+u.Name, "UBND", 3, 3, 50, []string{"Quyết định", "Kế hoạch", "Thông báo", "Báo cáo"})...)
			}
		}
		plans = append(plans, p)
	}
	if err := svc.Documents.Insert(ctx, docs); err != nil {
		return fmt.Errorf("demo documents: %w", err)
	}
	byNumber := map[string]*document.Document{}
	for _, doc := range docs[:len(realDocuments)] {
		byNumber[doc.Number] = doc
	}
	for _, r := range realRelations {
		if err := svc.Documents.Relate(ctx, document.Relation{FromID: byNumber[r.from].ID, ToID: byNumber[r.to].ID, Kind: r.kind}); err != nil {
			return fmt.Errorf("demo relation %s %s %s: %w", r.from, r.kind, r.to, err)
		}
	}
	if svc.Files.Dir != "" {
		for _, doc := range docs[:len(realDocuments)] {
			name := vietnamese.Slug(doc.Type+" "+doc.Number, 60) + ".pdf"
			if err := svc.Documents.Attach(ctx, doc.ID, name, strings.NewReader(samplePDF(doc))); err != nil {
				return err
			}
		}
	}

	// Procedures, statistics, contact points, settings, listings, drafts.
	var procs []*procedure.Procedure
	var stats []*procedure.Stat
	for _, p := range append([]plan{{st: city, u: unitOf(d, city)}}, plans...) {
		isCommune := p.u.Kind == site.Ward || p.u.Kind == site.Commune
		if p.kase != noProcs {
			procs = append(procs, demoProcedures(p.st, p.u, isCommune)...)
			for q := 1; q <= 4; q++ {
				per := now.AddDate(0, -3*q, 0)
				received := 200 + (int(p.st.ID)*37+q*53)%900
				late := received * (1 + int(p.st.ID)%4) / 100
				stats = append(stats, &procedure.Stat{SiteID: p.st.ID, Period: fmt.Sprintf("%d-Q%d", per.Year(), (int(per.Month())+2)/3),
					Received: received, OnTime: received - late - 10, Late: late, Pending: 10, Imported: now.AddDate(0, 0, -20)})
			}
		}
		if p.kase != noContacts {
			if err := svc.ContactPoints.Save(ctx, p.st.ID, demoContacts(p.st, p.u)); err != nil {
				return err
			}
		}
		if err := demoListings(ctx, svc, p.st, p.u, now, p.kase == staleDocs); err != nil {
			return err
		}
		if p.u.Kind == site.City || p.u.Kind == site.Agency {
			if err := demoConsultations(ctx, svc, p.st, p.u, now); err != nil {
				return err
			}
		}
	}
	if err := svc.Procedures.Insert(ctx, procs); err != nil {
		return err
	}
	if err := svc.Procedures.InsertStats(ctx, stats); err != nil {
		return err
	}
	res.Documents, res.Procedures = len(docs), len(procs)
	return nil
}

func unitOf(d *site.Directory, st *site.Site) *site.Unit {
	u, _ := d.Unit(st.UnitID)
	return u
}

func demoContacts(st *site.Site, u *site.Unit) []*contactpoint.Point {
	n := int(st.ID)
	return []*contactpoint.Point{
		{Role: contactpoint.InfoOfficer, Name: signers[(n+3)%len(signers)], Title: "Chánh Văn phòng", TitleEn: "Chief of Office",
			Duty: "Tiếp nhận yêu cầu cung cấp thông tin", DutyEn: "Receives requests for information", Phone: fmt.Sprintf("024 3%03d 1%03d", n%1000, n%1000), Email: "tiepcanthongtin." + st.Code + "@hanoi.gov.vn"},
		{Role: contactpoint.Contact, Name: signers[(n+5)%len(signers)], Title: "Phó Chủ tịch", TitleEn: "Vice Chairperson",
			Duty: "Phụ trách cổng thông tin điện tử", DutyEn: "In charge of the e-portal", Phone: fmt.Sprintf("024 3%03d 2%03d", n%1000, n%1000), Email: "lienhe." + st.Code + "@hanoi.gov.vn"},
	}
}

// communeProcedures are common procedures of commune-level People's
// Committees (codes are samples in the national database's format).
type procEntry struct{ code, name, field, level, limit, fees string }

var communeProcedures = []procEntry{
	{"1.001193", "Đăng ký khai sinh", "Hộ tịch", procedure.Full, "Ngay trong ngày tiếp nhận hồ sơ", "Miễn lệ phí"},
	{"1.000894", "Đăng ký kết hôn", "Hộ tịch", procedure.Partial, "Ngay trong ngày tiếp nhận hồ sơ", "Miễn lệ phí"},
	{"1.000656", "Đăng ký khai tử", "Hộ tịch", procedure.Full, "Ngay trong ngày tiếp nhận hồ sơ", "Miễn lệ phí"},
	{"1.001022", "Đăng ký nhận cha, mẹ, con", "Hộ tịch", procedure.Partial, "03 ngày làm việc", "Miễn lệ phí"},
	{"2.000635", "Cấp bản sao trích lục hộ tịch", "Hộ tịch", procedure.Full, "Ngay trong ngày", "8.000 đồng/bản sao"},
	{"1.004873", "Cấp Giấy xác nhận tình trạng hôn nhân", "Hộ tịch", procedure.Full, "03 ngày làm việc", "Miễn lệ phí"},
	{"1.001669", "Đăng ký giám hộ", "Hộ tịch", procedure.Partial, "03 ngày làm việc", "Miễn lệ phí"},
	{"1.004859", "Thay đổi, cải chính, bổ sung thông tin hộ tịch", "Hộ tịch", procedure.Partial, "03 ngày làm việc", "15.000 đồng"},
	{"2.000908", "Chứng thực bản sao từ bản chính giấy tờ, văn bản", "Chứng thực", procedure.Full, "Trong ngày làm việc", "2.000 đồng/trang"},
	{"2.000884", "Chứng thực chữ ký trong các giấy tờ, văn bản", "Chứng thực", procedure.Partial, "Trong ngày làm việc", "10.000 đồng/trường hợp"},
	{"2.001035", "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản", "Chứng thực", procedure.Partial, "02 ngày làm việc", "50.000 đồng/hợp đồng"},
	{"1.003554", "Hòa giải tranh chấp đất đai", "Đất đai", procedure.Info, "45 ngày", "Không"},
	{"1.004227", "Đăng ký đất đai, tài sản gắn liền với đất lần đầu", "Đất đai", procedure.Partial, "20 ngày làm việc", "Theo quy định của HĐND Thành phố"},
	{"1.001776", "Trợ cấp xã hội hằng tháng đối với đối tượng bảo trợ xã hội", "Bảo trợ xã hội", procedure.Partial, "22 ngày làm việc", "Không"},
	{"1.001758", "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội", "Bảo trợ xã hội", procedure.Partial, "05 ngày làm việc", "Không"},
	{"1.001699", "Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật", "Bảo trợ xã hội", procedure.Partial, "30 ngày", "Không"},
	{"1.010805", "Giải quyết chế độ mai táng phí đối với cựu chiến binh", "Người có công", procedure.Partial, "15 ngày làm việc", "Không"},
	{"1.011575", "Cấp giấy phép xây dựng nhà ở riêng lẻ", "Xây dựng", procedure.Full, "15 ngày", "75.000 đồng/giấy phép"},
	{"2.000720", "Đăng ký thành lập hộ kinh doanh", "Thành lập và hoạt động của hộ kinh doanh", procedure.Full, "03 ngày làm việc", "100.000 đồng"},
	{"2.000719", "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh", "Thành lập và hoạt động của hộ kinh doanh", procedure.Full, "03 ngày làm việc", "50.000 đồng"},
	{"2.000575", "Tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn đã thông báo của hộ kinh doanh", "Thành lập và hoạt động của hộ kinh doanh", procedure.Full, "03 ngày làm việc", "Không"},
	{"1.003622", "Thông báo tổ chức lễ hội", "Văn hóa", procedure.Partial, "05 ngày làm việc", "Không"},
	{"1.001055", "Đăng ký hoạt động tín ngưỡng", "Tín ngưỡng, tôn giáo", procedure.Partial, "15 ngày", "Không"},
	{"1.000775", "Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã", "Thi đua, khen thưởng", procedure.Info, "20 ngày làm việc", "Không"},
	{"1.004475", "Hỗ trợ khôi phục sản xuất vùng bị thiệt hại do thiên tai", "Nông nghiệp", procedure.Partial, "15 ngày", "Không"},
}

var agencyProcedures = []procEntry{
	{"2.001417", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam", "Lý lịch tư pháp", procedure.Full, "10 ngày làm việc", "200.000 đồng/lần"},
	{"1.002198", "Đăng ký hoạt động của Văn phòng công chứng", "Công chứng", procedure.Partial, "10 ngày làm việc", "1.000.000 đồng"},
	{"1.009994", "Cấp giấy phép xây dựng mới đối với công trình cấp I, II", "Xây dựng", procedure.Full, "20 ngày", "150.000 đồng/giấy phép"},
	{"1.001612", "Cấp giấy phép hoạt động đối với bệnh viện", "Khám bệnh, chữa bệnh", procedure.Partial, "60 ngày", "Theo quy định của Bộ Tài chính"},
	{"2.002296", "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", "An toàn thực phẩm", procedure.Full, "20 ngày làm việc", "Theo quy định của Bộ Tài chính"},
	{"1.005097", "Cấp giấy phép kinh doanh lữ hành nội địa", "Du lịch", procedure.Full, "10 ngày làm việc", "3.000.000 đồng"},
	{"2.000044", "Cấp Giấy phép bán lẻ sản phẩm rượu", "Lưu thông hàng hóa", procedure.Full, "10 ngày làm việc", "1.200.000 đồng"},
	{"1.004441", "Cho phép trường trung học phổ thông hoạt động giáo dục", "Giáo dục trung học", procedure.Partial, "20 ngày làm việc", "Không"},
	{"1.003882", "Đăng ký thành lập doanh nghiệp tư nhân", "Thành lập và phát triển doanh nghiệp", procedure.Full, "03 ngày làm việc", "50.000 đồng"},
	{"1.009793", "Thẩm định báo cáo đánh giá tác động môi trường", "Môi trường", procedure.Partial, "30 ngày", "Theo quy định của HĐND Thành phố"},
	{"2.001827", "Cấp Giấy phép tổ chức biểu diễn nghệ thuật", "Nghệ thuật biểu diễn", procedure.Full, "05 ngày làm việc", "Theo quy định của Bộ Tài chính"},
	{"1.000105", "Tiếp nhận hồ sơ khiếu nại, tố cáo", "Giải quyết khiếu nại, tố cáo", procedure.Info, "Theo Luật Khiếu nại, Luật Tố cáo", "Không"},
}

func demoProcedures(st *site.Site, u *site.Unit, isCommune bool) []*procedure.Procedure {
	list := agencyProcedures
	agency := "Ủy ban nhân dân Thành phố"
	if isCommune {
		// Each commune publishes eight of the catalogue (the demo stays
		// quick to build; a real import brings the whole catalogue).
		agency = "Ủy ban nhân dân " + u.Name
		start := int(st.ID) % len(communeProcedures)
		list = append(append([]procEntry(nil), communeProcedures[start:]...), communeProcedures[:start]...)[:8]
	} else if u.Kind == site.Agency {
		agency = u.Name
		// Each agency publishes a handful of the catalogue.
		start := int(st.ID) % len(list)
		list = append(append([]procEntry(nil), list[start:]...), list[:start]...)[:6]
	}
	var out []*procedure.Procedure
	for _, p := range list {
		out = append(out, &procedure.Procedure{SiteID: st.ID, Code: p.code, Name: p.name, Field: p.field, Level: p.level, Agency: agency,
			Steps:     []string{"Tổ chức, cá nhân nộp hồ sơ trực tuyến trên Cổng Dịch vụ công quốc gia hoặc trực tiếp tại Bộ phận Một cửa", "Cán bộ tiếp nhận kiểm tra hồ sơ, hướng dẫn bổ sung nếu chưa đầy đủ", "Cơ quan có thẩm quyền giải quyết và trả kết quả"},
			Dossier:   []string{"Tờ khai hoặc đơn theo mẫu", "Giấy tờ tùy thân (khai thác từ Cơ sở dữ liệu quốc gia về dân cư)"},
			TimeLimit: p.limit, Fees: p.fees, LegalBasis: []string{"Nghị định số 42/2022/NĐ-CP ngày 24/6/2022 của Chính phủ"},
			OnlineURL: "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=" + p.code,
			Forms:     []procedure.Form{{Name: "Mẫu tờ khai " + strings.ToLower(p.name[:1]) + p.name[1:], URL: "https://dichvucong.gov.vn/mau/" + p.code + ".docx"}},
			Published: true, Source: "demo"})
	}
	return out
}

func demoListings(ctx context.Context, svc *server.Services, st *site.Site, u *site.Unit, now time.Time, stale bool) error {
	year := now.Year()
	at := func(days int) string { return now.AddDate(0, 0, -days).Format(time.DateOnly) }
	created := now.AddDate(0, 0, -15)
	if stale {
		created = now.AddDate(-2, 0, 0)
	}
	items := []*listing.Item{
		{Kind: "plan", Title: fmt.Sprintf("Kế hoạch phát triển kinh tế - xã hội năm %d", year), Number: fmt.Sprintf("%d/KH-UBND", 10+st.ID%90), Period: fmt.Sprint(year), IssuedOn: at(60)},
		{Kind: "budget", Title: fmt.Sprintf("Công khai dự toán ngân sách năm %d", year), Number: fmt.Sprintf("%d/QĐ-UBND", 100+st.ID%300), Period: fmt.Sprint(year), IssuedOn: at(50)},
		{Kind: "budget", Title: fmt.Sprintf("Công khai quyết toán ngân sách năm %d", year-1), Period: fmt.Sprint(year - 1), IssuedOn: at(30)},
	}
	if u.Kind == site.City || u.Kind == site.Agency {
		items = append(items,
			&listing.Item{Kind: "plan", Title: "Chiến lược chuyển đổi số giai đoạn 2026–2030, tầm nhìn 2035", Period: "2026–2030", IssuedOn: at(200)},
			&listing.Item{Kind: "investment", Title: "Dự án nâng cấp hạ tầng Cổng thông tin điện tử và trung tâm dữ liệu", Owner: u.Name, Location: "Thành phố Hà Nội",
				Amount: 45_000_000_000 + st.ID*1_000_000_000, Stage: "Đang thực hiện, hoàn thành 60 %", IssuedOn: at(120)},
			&listing.Item{Kind: "investment", Title: "Gói thầu mua sắm thiết bị phục vụ Bộ phận Một cửa", Owner: u.Name, Location: "Thành phố Hà Nội",
				Amount: 3_200_000_000, Stage: "Đã lựa chọn nhà thầu", IssuedOn: at(90)},
			&listing.Item{Kind: "statistics", Title: fmt.Sprintf("Báo cáo thống kê quý %d/%d", (int(now.Month())+2)/3, year), Period: fmt.Sprintf("Quý %d/%d", (int(now.Month())+2)/3, year), IssuedOn: at(10)},
			&listing.Item{Kind: "science", Title: "Đề tài: Ứng dụng trí tuệ nhân tạo hỗ trợ trả lời phản ánh, kiến nghị của người dân", Number: fmt.Sprintf("01C-%02d/%d", st.ID%99, year-1),
				Owner: "Trường Đại học Bách khoa Hà Nội", Period: fmt.Sprintf("%d–%d", year-1, year), Stage: "Đang thực hiện", IssuedOn: at(300)},
		)
	}
	for _, it := range items {
		it.SiteID, it.Published, it.Created = st.ID, true, created
		it.Summary = "Thông tin công khai theo Luật Tiếp cận thông tin năm 2016."
	}
	return svc.Listings.Insert(ctx, items)
}

func demoConsultations(ctx context.Context, svc *server.Services, st *site.Site, u *site.Unit, now time.Time) error {
	day := func(d int) string { return now.AddDate(0, 0, d).Format(time.DateOnly) }
	open := &consultation.Consultation{SiteID: st.ID, Title: "Dự thảo Quyết định ban hành Quy chế quản lý, vận hành và cung cấp thông tin trên cổng thông tin điện tử của " + u.Name,
		Summary:  "Lấy ý kiến rộng rãi của tổ chức, cá nhân đối với dự thảo Quy chế theo Nghị định số 42/2022/NĐ-CP.",
		Articles: []string{"Điều 1. Phạm vi điều chỉnh", "Điều 2. Đối tượng áp dụng", "Điều 3. Trách nhiệm cung cấp thông tin", "Điều 4. Tổ chức thực hiện"},
		OpensOn:  day(-10), ClosesOn: day(20)}
	closed := &consultation.Consultation{SiteID: st.ID, Title: fmt.Sprintf("Dự thảo Kế hoạch cải cách hành chính năm %d", now.Year()),
		Summary: "Dự thảo đã hết thời hạn lấy ý kiến.", Articles: []string{"Phần I. Mục đích, yêu cầu", "Phần II. Nhiệm vụ"},
		OpensOn: day(-80), ClosesOn: day(-50), Published: true}
	for _, c := range []*consultation.Consultation{open, closed} {
		if err := svc.Consultations.Create(ctx, c); err != nil {
			return err
		}
		if err := svc.Consultations.SetPublished(ctx, c.ID, true); err != nil {
			return err
		}
	}
	if u.Kind == site.City {
		cm, err := svc.Consultations.AddComment(ctx, open.ID, consultation.NewComment{Name: "Nguyễn Minh Tuấn", Contact: "tuan.nm@example.com",
			Article: "Điều 3. Trách nhiệm cung cấp thông tin", Body: "Đề nghị quy định rõ thời hạn cập nhật thông tin trên cổng sau khi văn bản được ban hành.", Addr: "192.0.2.10"})
		if err != nil {
			return err
		}
		if err := svc.Consultations.Moderate(ctx, cm.ID, true); err != nil {
			return err
		}
	}
	return svc.Consultations.PublishResult(ctx, closed.ID, "Cơ quan soạn thảo nhận được 12 ý kiến góp ý của tổ chức, cá nhân, tập trung vào tiến độ số hóa hồ sơ.",
		"Tiếp thu ý kiến về tiến độ số hóa; giải trình về nguồn kinh phí thực hiện.")
}

// samplePDF makes a small valid PDF naming a document, as its demo file.
func samplePDF(d *document.Document) string {
	text := vietnamese.Fold(d.Type + " " + d.Number)
	text = strings.NewReplacer("(", "", ")", "", "\\", "").Replace(text)
	stream := "BT /F1 18 Tf 72 720 Td (" + strings.ToUpper(text[:1]) + text[1:] + ") Tj 0 -28 Td /F1 11 Tf (Ban trinh dien - cong demo) Tj ET"
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b strings.Builder
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.String()
}
