package demo

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/congvn/cong/internal/opendata"
	"github.com/congvn/cong/internal/server"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/vietnamese"
)

// The open data portal's demo: themes, then datasets of the city's agencies
// and of most communes and wards, each with a CSV resource of made-up but
// plausible content (Vietnamese headers and values); one resource has
// tens of thousands of rows so that the preview's paging is real.

func init() { steps = append(steps, openData) }

var demoGroups = []struct{ name, title, en string }{
	{"hanh-chinh-cong", "Hành chính công", "Public administration"},
	{"giao-thong", "Giao thông", "Transport"},
	{"y-te", "Y tế", "Health"},
	{"giao-duc", "Giáo dục", "Education"},
	{"moi-truong", "Tài nguyên và môi trường", "Environment"},
	{"dan-so", "Dân số và lao động", "Population and labour"},
	{"kinh-te", "Kinh tế và doanh nghiệp", "Economy and business"},
	{"tai-chinh", "Tài chính, ngân sách", "Finance and budget"},
	{"van-hoa-du-lich", "Văn hóa, du lịch", "Culture and tourism"},
	{"xay-dung", "Xây dựng, quy hoạch", "Construction and planning"},
}

// table is a CSV's header and rows.
type table struct {
	head []string
	rows [][]string
}

func (t table) csv() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(t.head)
	w.WriteAll(t.rows)
	return b.Bytes()
}

// spec is one demo dataset.
type spec struct {
	owner, title, notes, license, freq, group string
	tags                                      []string
	resource                                  string
	make                                      func(r *rand.Rand) table
}

var streets = []string{"Đinh Tiên Hoàng", "Tràng Thi", "Hai Bà Trưng", "Lý Thường Kiệt", "Nguyễn Trãi", "Láng Hạ", "Kim Mã", "Giảng Võ",
	"Trần Duy Hưng", "Phạm Văn Đồng", "Nguyễn Văn Cừ", "Giải Phóng", "Tây Sơn", "Xuân Thủy", "Hoàng Quốc Việt", "Lê Duẩn", "Trường Chinh",
	"Quang Trung", "Lạc Long Quân", "Âu Cơ", "Ngọc Hồi", "Nguyễn Xiển", "Cầu Giấy", "Thụy Khuê"}

var surnames = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func addr(r *rand.Rand) string { return fmt.Sprintf("Số %d %s", 1+r.IntN(300), pick(r, streets)) }

func phone(r *rand.Rand) string {
	return fmt.Sprintf("024 %04d %04d", 3000+r.IntN(6999), r.IntN(10000))
}

// wardNames are filled from the demo's units when the step runs.
var wardNames []string

func monthly(cols []string, from, n int, f func(r *rand.Rand, month string) []string) func(r *rand.Rand) table {
	return func(r *rand.Rand) table {
		t := table{head: append([]string{"Tháng"}, cols...)}
		for i := 0; i < n; i++ {
			m := from + i
			month := fmt.Sprintf("%04d-%02d", 2024+(m-1)/12, (m-1)%12+1)
			t.rows = append(t.rows, append([]string{month}, f(r, month)...))
		}
		return t
	}
}

func list(head []string, n int, f func(r *rand.Rand, i int) []string) func(r *rand.Rand) table {
	return func(r *rand.Rand) table {
		t := table{head: head}
		for i := 0; i < n; i++ {
			t.rows = append(t.rows, f(r, i))
		}
		return t
	}
}

func num(r *rand.Rand, lo, hi int) string { return fmt.Sprint(lo + r.IntN(hi-lo+1)) }

// airQuality is the big one: hourly readings of five stations over the
// first quarter of 2025 (10,800 rows).
func airQuality(r *rand.Rand) table {
	stations := []string{"Hoàn Kiếm", "Cầu Giấy", "Hà Đông", "Long Biên", "Tây Mỗ"}
	t := table{head: []string{"Trạm quan trắc", "Thời điểm", "Ngày", "AQI", "PM2.5 (µg/m³)", "PM10 (µg/m³)", "NO2 (µg/m³)", "Mức chất lượng"}}
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for h := 0; h < 90*24; h++ {
		at := start.Add(time.Duration(h) * time.Hour)
		for _, s := range stations {
			pm25 := 20 + r.IntN(80) + 30*boolInt(at.Hour() >= 6 && at.Hour() <= 9)
			aqi := pm25 * 2
			level := "Tốt"
			switch {
			case aqi > 200:
				level = "Rất xấu"
			case aqi > 150:
				level = "Xấu"
			case aqi > 100:
				level = "Kém"
			case aqi > 50:
				level = "Trung bình"
			}
			t.rows = append(t.rows, []string{s, at.Format("2006-01-02 15:04"), at.Format("2006-01-02"), fmt.Sprint(aqi), fmt.Sprint(pm25),
				fmt.Sprint(pm25 + 10 + r.IntN(40)), fmt.Sprint(15 + r.IntN(60)), level})
		}
	}
	return t
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

var agencySpecs = []spec{
	{owner: "Sở Y tế", title: "Danh sách cơ sở khám bệnh, chữa bệnh", group: "y-te", freq: "QUARTERLY", tags: []string{"y tế", "bệnh viện"},
		notes: "Các bệnh viện, phòng khám đa khoa và trạm y tế đang hoạt động trên địa bàn Thành phố, với loại hình, địa chỉ và số giường bệnh.",
		make: list([]string{"Tên cơ sở", "Loại hình", "Phường, xã", "Địa chỉ", "Số giường", "Điện thoại"}, 180, func(r *rand.Rand, i int) []string {
			kind := pick(r, []string{"Bệnh viện", "Phòng khám đa khoa", "Trạm y tế"})
			ward := pick(r, wardNames)
			return []string{kind + " " + strings.TrimPrefix(strings.TrimPrefix(ward, "Phường "), "Xã ") + " " + fmt.Sprint(i%3+1), kind, ward, addr(r), num(r, 5, 900), phone(r)}
		})},
	{owner: "Sở Y tế", title: "Số ca mắc sốt xuất huyết theo tuần năm 2025", group: "y-te", freq: "WEEKLY", license: "odc-by", tags: []string{"dịch bệnh", "sốt xuất huyết"},
		notes: "Số ca mắc sốt xuất huyết được ghi nhận theo tuần dịch tễ và theo phường, xã.",
		make: func(r *rand.Rand) table {
			t := table{head: []string{"Tuần", "Phường, xã", "Số ca mắc", "Số ca nhập viện"}}
			for wk := 1; wk <= 30; wk++ {
				for _, w := range wardNames[:20] {
					n := r.IntN(15)
					t.rows = append(t.rows, []string{fmt.Sprint(wk), w, fmt.Sprint(n), fmt.Sprint(n / 3)})
				}
			}
			return t
		}},
	{owner: "Sở Giáo dục và Đào tạo", title: "Danh sách trường học các cấp", group: "giao-duc", freq: "ANNUAL", tags: []string{"trường học", "giáo dục"},
		notes: "Trường mầm non, tiểu học, trung học cơ sở và trung học phổ thông công lập và ngoài công lập.",
		make: list([]string{"Tên trường", "Cấp học", "Loại hình", "Phường, xã", "Địa chỉ", "Số lớp", "Số học sinh"}, 400, func(r *rand.Rand, i int) []string {
			level := pick(r, []string{"Mầm non", "Tiểu học", "Trung học cơ sở", "Trung học phổ thông"})
			return []string{"Trường " + level + " " + pick(r, streets), level, pick(r, []string{"Công lập", "Công lập", "Tư thục"}), pick(r, wardNames), addr(r), num(r, 8, 60), num(r, 250, 2400)}
		})},
	{owner: "Sở Giáo dục và Đào tạo", title: "Điểm chuẩn tuyển sinh lớp 10 công lập năm 2025", group: "giao-duc", freq: "ANNUAL", license: "cc-zero", tags: []string{"tuyển sinh", "lớp 10"},
		notes: "Điểm chuẩn nguyện vọng 1, 2 và 3 của các trường trung học phổ thông công lập.",
		make: list([]string{"Trường", "Nguyện vọng 1", "Nguyện vọng 2", "Nguyện vọng 3", "Chỉ tiêu"}, 120, func(r *rand.Rand, i int) []string {
			base := 30 + r.Float64()*15
			return []string{"Trường THPT " + pick(r, streets) + " " + fmt.Sprint(i+1), fmt.Sprintf("%.2f", base), fmt.Sprintf("%.2f", base+0.5), fmt.Sprintf("%.2f", base+1), num(r, 450, 900)}
		})},
	{owner: "Sở Xây dựng", title: "Tuyến xe buýt đang khai thác", group: "giao-thong", freq: "MONTHLY", license: "odc-odbl", tags: []string{"xe buýt", "giao thông công cộng"},
		notes: "Số hiệu, lộ trình, đơn vị khai thác, giờ hoạt động và giá vé các tuyến xe buýt.",
		make: list([]string{"Số hiệu tuyến", "Điểm đầu", "Điểm cuối", "Đơn vị khai thác", "Giờ bắt đầu", "Giờ kết thúc", "Giá vé (đồng)", "Xe buýt điện"}, 150, func(r *rand.Rand, i int) []string {
			return []string{fmt.Sprint(i + 1), "Bến xe " + pick(r, []string{"Mỹ Đình", "Giáp Bát", "Gia Lâm", "Yên Nghĩa", "Nước Ngầm"}), pick(r, streets),
				pick(r, []string{"Transerco", "Bắc Hà", "VinBus", "Đông Anh"}), fmt.Sprintf("0%d:00", 5+r.IntN(2)), fmt.Sprintf("%d:30", 20+r.IntN(3)), pick(r, []string{"7000", "8000", "9000"}), pick(r, []string{"Có", "Không"})}
		})},
	{owner: "Sở Xây dựng", title: "Điểm thường xuyên ùn tắc giao thông", group: "giao-thong", freq: "QUARTERLY", tags: []string{"ùn tắc", "giao thông"},
		notes: "Các nút giao và tuyến đường thường xuyên ùn tắc vào giờ cao điểm, với giải pháp đang triển khai.",
		make: list([]string{"Vị trí", "Phường, xã", "Khung giờ", "Mức độ", "Giải pháp"}, 45, func(r *rand.Rand, i int) []string {
			return []string{"Nút giao " + pick(r, streets) + " – " + pick(r, streets), pick(r, wardNames), pick(r, []string{"07:00–09:00", "16:30–19:00"}),
				pick(r, []string{"Nghiêm trọng", "Thường xuyên", "Cục bộ"}), pick(r, []string{"Tổ chức lại giao thông", "Mở rộng nút", "Điều chỉnh đèn tín hiệu", "Tăng cường phân luồng"})}
		})},
	{owner: "Sở Nông nghiệp và Môi trường", title: "Quan trắc chất lượng không khí tự động theo giờ, quý I/2025", group: "moi-truong", freq: "DAILY", license: "odc-by",
		tags: []string{"không khí", "AQI", "quan trắc"}, resource: "Số liệu quan trắc theo giờ",
		notes: "Chỉ số chất lượng không khí (AQI) và nồng độ bụi PM2.5, PM10, NO2 đo theo giờ tại các trạm quan trắc tự động.", make: airQuality},
	{owner: "Sở Nông nghiệp và Môi trường", title: "Điểm tập kết rác thải sinh hoạt", group: "moi-truong", freq: "ANNUAL", tags: []string{"rác thải", "vệ sinh môi trường"},
		notes: "Điểm tập kết, trung chuyển rác thải sinh hoạt và thời gian thu gom.",
		make: list([]string{"Điểm tập kết", "Phường, xã", "Thời gian thu gom", "Đơn vị thu gom"}, 200, func(r *rand.Rand, i int) []string {
			return []string{addr(r), pick(r, wardNames), pick(r, []string{"18:00–22:00", "19:00–23:00", "05:00–07:00"}), pick(r, []string{"Urenco", "Thăng Long", "Hà Đông"})}
		})},
	{owner: "Sở Tài chính", title: "Doanh nghiệp thành lập mới theo tháng", group: "kinh-te", freq: "MONTHLY", tags: []string{"doanh nghiệp", "đăng ký kinh doanh"},
		notes: "Số doanh nghiệp thành lập mới, vốn đăng ký và số doanh nghiệp quay lại hoạt động.",
		make: monthly([]string{"Doanh nghiệp thành lập mới", "Vốn đăng ký (tỷ đồng)", "Doanh nghiệp quay lại hoạt động"}, 1, 24, func(r *rand.Rand, m string) []string {
			return []string{num(r, 2200, 3600), fmt.Sprintf("%.1f", 20000+r.Float64()*15000), num(r, 500, 1200)}
		})},
	{owner: "Sở Tài chính", title: "Dự toán chi ngân sách địa phương theo lĩnh vực năm 2025", group: "tai-chinh", freq: "ANNUAL", license: "odc-pddl", tags: []string{"ngân sách", "công khai ngân sách"},
		notes: "Dự toán chi ngân sách Thành phố được Hội đồng nhân dân Thành phố quyết định, theo lĩnh vực chi.",
		make: func(r *rand.Rand) table {
			t := table{head: []string{"Lĩnh vực chi", "Dự toán (triệu đồng)", "Tỷ trọng (%)"}}
			for _, f := range []string{"Giáo dục – đào tạo", "Y tế", "Khoa học và công nghệ", "Văn hóa, thể thao", "Bảo vệ môi trường", "Giao thông", "Quản lý hành chính", "An sinh xã hội", "Quốc phòng, an ninh", "Chi khác"} {
				t.rows = append(t.rows, []string{f, num(r, 1500000, 25000000), fmt.Sprintf("%.1f", 2+r.Float64()*18)})
			}
			return t
		}},
	{owner: "Sở Văn hóa và Thể thao", title: "Di tích lịch sử – văn hóa được xếp hạng", group: "van-hoa-du-lich", freq: "IRREG", tags: []string{"di tích", "văn hóa"},
		notes: "Di tích cấp quốc gia đặc biệt, cấp quốc gia và cấp thành phố.",
		make: list([]string{"Tên di tích", "Loại hình", "Cấp xếp hạng", "Phường, xã", "Năm xếp hạng"}, 250, func(r *rand.Rand, i int) []string {
			kind := pick(r, []string{"Đình", "Chùa", "Đền", "Miếu", "Nhà thờ họ"})
			return []string{kind + " " + pick(r, []string{"Kim Liên", "Quán Thánh", "Ngọc Sơn", "Bạch Mã", "Hai Bà", "Thượng", "Hạ"}) + " " + fmt.Sprint(i+1), kind,
				pick(r, []string{"Quốc gia", "Thành phố", "Thành phố"}), pick(r, wardNames), num(r, 1962, 2024)}
		})},
	{owner: "Sở Du lịch", title: "Lượt khách du lịch đến Hà Nội theo tháng", group: "van-hoa-du-lich", freq: "MONTHLY", tags: []string{"du lịch", "khách quốc tế"},
		notes: "Tổng lượt khách, khách quốc tế, khách nội địa và tổng thu từ khách du lịch.",
		make: monthly([]string{"Tổng lượt khách", "Khách quốc tế", "Khách nội địa", "Tổng thu (tỷ đồng)"}, 1, 24, func(r *rand.Rand, m string) []string {
			intl := 400000 + r.IntN(300000)
			dom := 1800000 + r.IntN(900000)
			return []string{fmt.Sprint(intl + dom), fmt.Sprint(intl), fmt.Sprint(dom), num(r, 7000, 12000)}
		})},
	{owner: "Sở Du lịch", title: "Cơ sở lưu trú du lịch được công nhận hạng sao", group: "van-hoa-du-lich", freq: "QUARTERLY", license: "cc-by-sa-4.0", tags: []string{"khách sạn", "lưu trú"},
		notes: "Khách sạn, căn hộ du lịch được công nhận hạng sao.",
		make: list([]string{"Tên cơ sở", "Hạng", "Số buồng", "Phường, xã", "Địa chỉ", "Điện thoại"}, 160, func(r *rand.Rand, i int) []string {
			return []string{"Khách sạn " + pick(r, []string{"Sông Hồng", "Hồ Gươm", "Thăng Long", "Tây Hồ", "Phố Cổ", "Ba Vì"}) + " " + fmt.Sprint(i+1), num(r, 1, 5) + " sao", num(r, 20, 400), pick(r, wardNames), addr(r), phone(r)}
		})},
	{owner: "Sở Tư pháp", title: "Tổ chức hành nghề công chứng", group: "hanh-chinh-cong", freq: "QUARTERLY", tags: []string{"công chứng", "tư pháp"},
		notes: "Phòng công chứng và văn phòng công chứng đang hoạt động, với địa chỉ và số công chứng viên.",
		make: list([]string{"Tên tổ chức", "Loại hình", "Trưởng văn phòng", "Địa chỉ", "Số công chứng viên", "Điện thoại"}, 110, func(r *rand.Rand, i int) []string {
			return []string{"Văn phòng công chứng " + pick(r, streets), pick(r, []string{"Văn phòng công chứng", "Phòng công chứng"}), pick(r, surnames) + " " + pick(r, []string{"Văn An", "Thị Bình", "Minh Châu", "Đức Dũng"}), addr(r), num(r, 2, 9), phone(r)}
		})},
	{owner: "Sở Tư pháp", title: "Kết quả đăng ký hộ tịch theo tháng", group: "hanh-chinh-cong", freq: "MONTHLY", tags: []string{"hộ tịch", "khai sinh"},
		notes: "Số việc đăng ký khai sinh, kết hôn, khai tử trên toàn Thành phố.",
		make: monthly([]string{"Khai sinh", "Kết hôn", "Khai tử"}, 1, 24, func(r *rand.Rand, m string) []string {
			return []string{num(r, 9000, 14000), num(r, 4000, 7000), num(r, 3000, 5000)}
		})},
	{owner: "Sở Nội vụ", title: "Giải quyết việc làm theo tháng", group: "dan-so", freq: "MONTHLY", tags: []string{"việc làm", "lao động"},
		notes: "Số lao động được giải quyết việc làm, đi làm việc ở nước ngoài và hưởng trợ cấp thất nghiệp.",
		make: monthly([]string{"Lao động có việc làm mới", "Đi làm việc ở nước ngoài", "Hưởng trợ cấp thất nghiệp"}, 1, 24, func(r *rand.Rand, m string) []string {
			return []string{num(r, 12000, 18000), num(r, 300, 900), num(r, 5000, 9000)}
		})},
	{owner: "Sở Công Thương", title: "Chợ trên địa bàn Thành phố", group: "kinh-te", freq: "ANNUAL", tags: []string{"chợ", "thương mại"},
		notes: "Danh sách chợ, hạng chợ và số hộ kinh doanh.",
		make: list([]string{"Tên chợ", "Hạng", "Phường, xã", "Số hộ kinh doanh", "Đơn vị quản lý"}, 300, func(r *rand.Rand, i int) []string {
			return []string{"Chợ " + pick(r, []string{"Đồng Xuân", "Hôm", "Mơ", "Long Biên", "Hà Đông", "Nghĩa Tân", "Thành Công"}) + " " + fmt.Sprint(i+1),
				pick(r, []string{"Hạng 1", "Hạng 2", "Hạng 3"}), pick(r, wardNames), num(r, 30, 1500), pick(r, []string{"Ban quản lý chợ", "Doanh nghiệp", "Hợp tác xã"})}
		})},
	{owner: "Sở Công Thương", title: "Chỉ số giá tiêu dùng theo tháng", group: "kinh-te", freq: "MONTHLY", license: "cc-zero", tags: []string{"CPI", "giá cả"},
		notes: "Chỉ số giá tiêu dùng so với tháng trước và cùng kỳ năm trước (%).",
		make: monthly([]string{"So với tháng trước (%)", "So với cùng kỳ (%)"}, 1, 24, func(r *rand.Rand, m string) []string {
			return []string{fmt.Sprintf("%.2f", r.Float64()*1.2-0.3), fmt.Sprintf("%.2f", 2+r.Float64()*2.5)}
		})},
	{owner: "Sở Khoa học và Công nghệ", title: "Điểm truy cập Wi-Fi công cộng miễn phí", group: "hanh-chinh-cong", freq: "QUARTERLY", license: "odc-odbl", tags: []string{"wi-fi", "chuyển đổi số"},
		notes: "Vị trí các điểm phát Wi-Fi công cộng miễn phí và tình trạng hoạt động.",
		make: list([]string{"Mã điểm", "Vị trí", "Phường, xã", "Vĩ độ", "Kinh độ", "Tình trạng"}, 350, func(r *rand.Rand, i int) []string {
			return []string{fmt.Sprintf("WF-%04d", i+1), addr(r), pick(r, wardNames), fmt.Sprintf("%.5f", 20.95+r.Float64()*0.15), fmt.Sprintf("%.5f", 105.75+r.Float64()*0.15), pick(r, []string{"Hoạt động", "Hoạt động", "Đang bảo trì"})}
		})},
	{owner: "Trung tâm Phục vụ hành chính công Thành phố Hà Nội", title: "Kết quả giải quyết hồ sơ thủ tục hành chính theo tháng", group: "hanh-chinh-cong", freq: "MONTHLY",
		tags:  []string{"thủ tục hành chính", "dịch vụ công"},
		notes: "Số hồ sơ tiếp nhận, giải quyết đúng hạn, quá hạn và tỷ lệ hồ sơ trực tuyến.",
		make: monthly([]string{"Hồ sơ tiếp nhận", "Giải quyết đúng hạn", "Giải quyết quá hạn", "Tỷ lệ trực tuyến (%)"}, 1, 24, func(r *rand.Rand, m string) []string {
			n := 150000 + r.IntN(60000)
			late := r.IntN(900)
			return []string{fmt.Sprint(n), fmt.Sprint(n - late - r.IntN(2000)), fmt.Sprint(late), fmt.Sprintf("%.1f", 60+r.Float64()*30)}
		})},
}

// communeSpec is the dataset each demo commune and ward publishes.
func communeSpec(u *site.Unit) spec {
	ward := u.Kind == site.Ward
	unit, col := "Thôn", "Tên thôn"
	if ward {
		unit, col = "Tổ dân phố", "Tên tổ dân phố"
	}
	return spec{owner: u.Name, title: "Dân số và số hộ theo " + strings.ToLower(unit) + " – " + u.Name, group: "dan-so", freq: "ANNUAL",
		tags: []string{"dân số", strings.ToLower(unit)}, resource: "Dân số theo " + strings.ToLower(unit) + " năm 2025",
		notes: "Số hộ, số nhân khẩu thường trú và tạm trú theo từng " + strings.ToLower(unit) + " của " + u.Name + ", số liệu ngày 31/12/2025.",
		make: list([]string{col, "Số hộ", "Nhân khẩu thường trú", "Nhân khẩu tạm trú", "Trưởng " + strings.ToLower(unit)}, 25, func(r *rand.Rand, i int) []string {
			return []string{fmt.Sprintf("%s %d", unit, i+1), num(r, 120, 900), num(r, 400, 3200), num(r, 20, 800), pick(r, surnames) + " " + pick(r, []string{"Văn Hùng", "Thị Lan", "Quang Minh", "Thị Hoa", "Văn Tuấn"})}
		})}
}

func openData(ctx context.Context, svc *server.Services, res *Result) error {
	data := svc.Data
	for _, g := range demoGroups {
		if err := data.CreateGroup(ctx, &opendata.Group{Name: g.name, Title: g.title, TitleEn: g.en}); err != nil {
			return err
		}
	}
	dir, err := svc.Sites.Directory(ctx)
	if err != nil {
		return err
	}
	portalOf := map[string]*site.Site{}
	var communes []*site.Unit
	for _, u := range dir.Units {
		if u.Status != site.Active {
			continue
		}
		if p := dir.PortalOf(u.ID); p != nil {
			portalOf[u.Name] = p
		}
		if u.Kind == site.Ward || u.Kind == site.Commune {
			communes = append(communes, u)
			wardNames = append(wardNames, u.Name)
		}
	}
	specs := append([]spec(nil), agencySpecs...)
	for i, u := range communes {
		if i%3 != 2 { // two thirds of them have published something
			specs = append(specs, communeSpec(u))
		}
	}
	r := rand.New(rand.NewPCG(2026, 7))
	base := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	for i, s := range specs {
		owner := portalOf[s.owner]
		if owner == nil {
			return fmt.Errorf("demo: dataset %q: no portal for %q", s.title, s.owner)
		}
		lic := s.license
		if lic == "" {
			lic = opendata.DefaultLicense
		}
		d := &opendata.Dataset{SiteID: owner.ID, Title: s.title, Notes: s.notes, LicenseID: lic, Frequency: s.freq, Tags: s.tags,
			Groups: []string{s.group}, Spatial: "Thành phố Hà Nội", ContactName: "Bộ phận công bố dữ liệu – " + owner.Name,
			ContactEmail: owner.Code + "@hanoi.gov.vn", TemporalStart: "2025-01-01", TemporalEnd: "2025-12-31", State: opendata.Active}
		if err := data.CreateDataset(ctx, d); err != nil {
			return fmt.Errorf("demo: dataset %q: %w", s.title, err)
		}
		name := s.resource
		if name == "" {
			name = s.title
		}
		t := s.make(r)
		file := &opendata.File{Name: vietnamese.Slug(name, 60) + ".csv", Body: bytes.NewReader(t.csv())}
		if err := data.AddResource(ctx, d.ID, &opendata.Resource{Name: name, Format: "CSV", Description: "Tệp CSV, mã UTF-8."}, file); err != nil {
			return fmt.Errorf("demo: dataset %q: %w", s.title, err)
		}
		_ = base.Add(time.Duration(i) * time.Hour)
		res.Datasets++
	}
	// The portal's own content, kept current by its feeds.
	if err := data.RefreshFeeds(ctx); err != nil {
		return err
	}
	res.Datasets += len(data.Feeds())
	return nil
}
