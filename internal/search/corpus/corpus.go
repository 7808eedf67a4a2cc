// Package corpus generates realistic Vietnamese published content over the
// real Hà Nội site tree, and the queries citizens type, for the search
// benchmark: titles and bodies built from the phrases of real portals,
// with common words very common (Zipf) and some words rare.
package corpus

import (
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/congvn/cong/internal/search"
)

// Site is a site of the tree: the city portal, an agency or a commune.
type Site struct {
	ID   int64
	Name string
}

// Sites reads the real units from the demo's data directory
// (internal/demo/data): the city, its agencies, its communes and wards.
func Sites(dataDir string) ([]Site, error) {
	out := []Site{{1, "Thành phố Hà Nội"}}
	for _, f := range []string{"hanoi-departments.csv", "hanoi-communes-2025.csv"} {
		fh, err := os.Open(filepath.Join(dataDir, f))
		if err != nil {
			return nil, err
		}
		recs, err := csv.NewReader(fh).ReadAll()
		fh.Close()
		if err != nil {
			return nil, fmt.Errorf("corpus: %s: %w", f, err)
		}
		col := 0
		if recs[0][0] == "code" {
			col = 1
		}
		for _, r := range recs[1:] {
			out = append(out, Site{int64(len(out) + 1), r[col]})
		}
	}
	return out, nil
}

var topics = []string{
	"chuyển đổi số", "cải cách hành chính", "dịch vụ công trực tuyến", "xây dựng nông thôn mới", "an toàn giao thông",
	"bảo vệ môi trường", "giải phóng mặt bằng", "phòng cháy chữa cháy", "phòng chống dịch bệnh", "bảo hiểm xã hội",
	"bảo hiểm y tế", "an sinh xã hội", "giảm nghèo bền vững", "phát triển kinh tế", "thu ngân sách", "đầu tư công",
	"quy hoạch đô thị", "trật tự xây dựng", "quản lý đất đai", "cấp giấy chứng nhận quyền sử dụng đất", "tuyển sinh đầu cấp",
	"giáo dục và đào tạo", "chăm sóc sức khỏe nhân dân", "tiêm chủng mở rộng", "văn hóa và thể thao", "du lịch",
	"phát triển thương mại", "an toàn thực phẩm", "phòng chống thiên tai", "tiếp công dân", "giải quyết khiếu nại tố cáo",
	"phổ biến giáo dục pháp luật", "thực hiện Đề án 06", "định danh điện tử", "cơ sở dữ liệu dân cư", "công tác cán bộ",
	"thi đua khen thưởng", "đền ơn đáp nghĩa", "người có công", "bầu cử đại biểu Hội đồng nhân dân", "sắp xếp đơn vị hành chính",
	"chính quyền hai cấp", "thu gom rác thải", "nước sạch nông thôn", "chiếu sáng công cộng", "cải tạo chung cư cũ",
	"hỗ trợ doanh nghiệp", "khởi nghiệp sáng tạo", "kinh tế số", "thanh toán không dùng tiền mặt",
}

var rareTopics = []string{
	"phòng chống sốt xuất huyết", "lễ hội chùa Hương", "làng gốm Bát Tràng", "điểm phát sóng wifi công cộng",
	"bảo tồn cây di sản", "tuyến đường sắt đô thị Nhổn - ga Hà Nội", "chợ đêm phố cổ", "nuôi ong lấy mật",
}

var verbs = []string{
	"triển khai", "tổ chức", "hướng dẫn", "kiểm tra", "tăng cường", "đẩy mạnh", "tổng kết", "sơ kết", "phát động",
	"ban hành kế hoạch", "đánh giá kết quả", "chỉ đạo", "rà soát", "thông báo", "tuyên truyền",
}

var sentences = []string{
	"Ủy ban nhân dân %s đã tổ chức hội nghị về %s.",
	"Theo kế hoạch, đến hết năm %d, 100%% hồ sơ %s được tiếp nhận trực tuyến.",
	"Hội đồng nhân dân %s thông qua nghị quyết về %s.",
	"Chủ tịch Ủy ban nhân dân %s yêu cầu các phòng, ban chuyên môn tập trung %s.",
	"Người dân có thể tra cứu thông tin tại Cổng dịch vụ công của Thành phố Hà Nội.",
	"Cán bộ, công chức %s được tập huấn về %s.",
	"Thực hiện Nghị định %s của Chính phủ, %s đã rà soát các thủ tục hành chính.",
	"Kết quả cho thấy công tác %s có nhiều chuyển biến tích cực.",
	"Mặt trận Tổ quốc và các đoàn thể tham gia tuyên truyền về %s.",
	"Trong năm %d, %s tiếp nhận hơn %d hồ sơ, giải quyết đúng hạn đạt 98%%.",
	"Lãnh đạo %s đề nghị người dân phản ánh qua đường dây nóng.",
	"Văn bản số %s hướng dẫn chi tiết việc %s.",
	"Thành phố Hà Nội tiếp tục đẩy mạnh %s gắn với %s.",
	"Buổi làm việc có sự tham dự của đại diện Sở Nội vụ, Sở Tài chính và Văn phòng UBND Thành phố.",
	"Các đơn vị báo cáo kết quả trước ngày %d tháng %d.",
}

var docTypes = []struct{ name, code, issuer string }{
	{"Quyết định", "QĐ-UBND", "UBND"}, {"Kế hoạch", "KH-UBND", "UBND"}, {"Công văn", "UBND-KT", "UBND"},
	{"Nghị quyết", "NQ-HĐND", "HĐND"}, {"Thông báo", "TB-UBND", "UBND"}, {"Chỉ thị", "CT-UBND", "UBND"},
	{"Nghị định", "NĐ-CP", "CP"}, {"Thông tư", "TT-BTTTT", "BTTTT"},
}

var procedures = []string{
	"Cấp giấy phép xây dựng nhà ở riêng lẻ", "Đăng ký khai sinh", "Đăng ký kết hôn", "Chứng thực bản sao từ bản chính",
	"Cấp giấy chứng nhận quyền sử dụng đất lần đầu", "Đăng ký thường trú", "Cấp phiếu lý lịch tư pháp", "Đăng ký hộ kinh doanh",
	"Cấp giấy phép lái xe", "Trợ cấp xã hội hàng tháng", "Đăng ký khai tử", "Cấp giấy phép kinh doanh rượu",
}

// Generator makes documents; the same seed gives the same corpus.
type Generator struct {
	Sites []Site
	Start time.Time // the oldest publication
	Span  time.Duration
	rnd   *rand.Rand
	zipf  *rand.Zipf
	sites *rand.Zipf
}

// New returns a generator over sites.
func New(sites []Site, seed uint64) *Generator {
	r := rand.New(rand.NewPCG(seed, 42))
	return &Generator{
		Sites: sites, Start: time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC), Span: 10 * 365 * 24 * time.Hour,
		rnd: r, zipf: rand.NewZipf(r, 1.1, 2, uint64(len(topics)-1)), sites: rand.NewZipf(r, 1.05, 4, uint64(len(sites)-1)),
	}
}

func (g *Generator) topic() string {
	if g.rnd.IntN(20000) == 0 {
		return rareTopics[g.rnd.IntN(len(rareTopics))]
	}
	return topics[g.zipf.Uint64()]
}

func (g *Generator) pick(s []string) string { return s[g.rnd.IntN(len(s))] }

func (g *Generator) number(year int) string {
	t := docTypes[g.rnd.IntN(len(docTypes))]
	if g.rnd.IntN(2) == 0 {
		return fmt.Sprintf("%d/%d/%s", 1+g.rnd.IntN(400), year, t.code)
	}
	return fmt.Sprintf("%d/%s", 1+g.rnd.IntN(6000), t.code)
}

// Doc returns the i-th document; publication times ascend with i.
func (g *Generator) Doc(i, n int) search.Doc {
	pub := g.Start.Add(time.Duration(float64(g.Span) * float64(i) / float64(max(n, 1))))
	pub = pub.Add(time.Duration(g.rnd.IntN(3600)) * time.Second)
	year := pub.Year()
	st := g.Sites[g.sites.Uint64()]
	unit := st.Name
	d := search.Doc{SiteID: st.ID, Lang: "vi", Published: pub, Ref: fmt.Sprintf("b%d", i)}
	topic := g.topic()
	switch k := g.rnd.IntN(100); {
	case k < 62:
		d.Kind = search.KindArticle
		d.Title = fmt.Sprintf("%s %s %s năm %d", unit, g.pick(verbs), topic, year)
		if g.rnd.IntN(3) == 0 {
			d.Title = fmt.Sprintf("Hội nghị %s %s tại %s", g.pick(verbs), topic, unit)
		}
		d.Category = []string{"Tin hoạt động", "Tin tức - Sự kiện", "Chuyển đổi số", "Cải cách hành chính", "Thông báo"}[g.rnd.IntN(5)]
	case k < 80:
		d.Kind = search.KindDocument
		t := docTypes[g.rnd.IntN(len(docTypes))]
		num := fmt.Sprintf("%d/%d/%s", 1+g.rnd.IntN(400), year, t.code)
		d.Numbers = []string{num}
		d.Title = fmt.Sprintf("%s %s về việc %s %s trên địa bàn %s", t.name, num, g.pick(verbs), topic, unit)
		d.Category = topic
	case k < 88:
		d.Kind = search.KindProcedure
		d.Title = g.pick(procedures)
		d.Numbers = []string{fmt.Sprintf("1.%06d.000.00.00.H26", g.rnd.IntN(20000))}
		d.Summary = "Lĩnh vực " + topic + " — " + unit
		d.Category = topic
	case k < 96:
		d.Kind = search.KindAnswer
		d.Title = fmt.Sprintf("Hỏi về %s tại %s", topic, unit)
		d.Category = topic
	case k < 98:
		d.Kind = search.KindMedia
		d.Title = fmt.Sprintf("Ảnh: %s %s", unit, topic)
	default:
		d.Kind = search.KindDraft
		d.Title = fmt.Sprintf("Dự thảo quyết định về %s", topic)
	}
	if d.Summary == "" {
		d.Summary = fmt.Sprintf("%s %s %s.", unit, g.pick(verbs), topic)
	}
	var b strings.Builder
	for range 4 + g.rnd.IntN(5) {
		s := g.pick(sentences)
		var args []any
		for _, verb := range verbArgs(s) {
			switch verb {
			case 'd':
				args = append(args, []int{year, 1 + g.rnd.IntN(28), 1 + g.rnd.IntN(12), 100 + g.rnd.IntN(9000)}[g.rnd.IntN(4)])
			default:
				switch g.rnd.IntN(3) {
				case 0:
					args = append(args, unit)
				case 1:
					args = append(args, g.number(year))
				default:
					args = append(args, g.topic())
				}
			}
		}
		b.WriteString(fmt.Sprintf(s, args...))
		b.WriteByte(' ')
	}
	d.Body = b.String()
	d.Path = "/tin-tuc/" + d.Ref
	return d
}

// verbArgs lists the verbs of a format string ('s' or 'd'), skipping "%%".
func verbArgs(f string) []byte {
	var out []byte
	for i := 0; i+1 < len(f); i++ {
		if f[i] == '%' {
			if f[i+1] != '%' {
				out = append(out, f[i+1])
			}
			i++
		}
	}
	return out
}

// Query is a benchmark query and its class.
type Query struct{ Class, Text string }

// Queries are typical queries of one to three words, with and without
// diacritics: very common, common, rare, and document numbers.
func Queries(sites []Site) []Query {
	qs := []Query{
		{"very common", "hà nội"}, {"very common", "ha noi"}, {"very common", "ủy ban nhân dân"}, {"very common", "uy ban nhan dan"},
		{"very common", "UBND"}, {"very common", "thành phố"}, {"very common", "năm 2024"},
		{"common", "chuyển đổi số"}, {"common", "chuyen doi so"}, {"common", "cải cách hành chính"}, {"common", "dich vu cong"},
		{"common", "giải phóng mặt bằng"}, {"common", "an toan giao thong"}, {"common", "tuyển sinh"}, {"common", "bảo hiểm y tế"},
		{"common", "đăng ký khai sinh"}, {"common", "giay phep xay dung"},
		{"rare", "sốt xuất huyết"}, {"rare", "sot xuat huyet"}, {"rare", "chùa Hương"}, {"rare", "bat trang"}, {"rare", "wifi"},
		{"rare", "cây di sản"}, {"rare", "chợ đêm"}, {"rare", "nuoi ong"},
		{"number", "15/2024/QĐ-UBND"}, {"number", "42/2022/NĐ-CP"}, {"number", "120/2019/nq-hdnd"}, {"number", "1.000123.000.00.00.H26"},
		{"none", "xyzw qwerty"}, {"none", "hà nội sốt xuất huyết wifi"},
	}
	for _, i := range []int{3, 40, 100} {
		if i < len(sites) {
			name := sites[i].Name
			qs = append(qs, Query{"site name", name})
		}
	}
	return qs
}
