package demo

import (
	"context"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"time"

	"github.com/congvn/cong/internal/feedback"
	"github.com/congvn/cong/internal/server"
	"github.com/congvn/cong/internal/site"
)

func init() { steps = append(steps, feedbackDemo) }

// FeedbackItems is how many feedback items and questions the demo holds.
const FeedbackItems = 2000

// sample is a kind of feedback the demo varies.
type sample struct {
	kind     feedback.Kind
	category string
	title    string
	body     string
	answer   string
}

var samples = []sample{
	{feedback.Feedback, "moi-truong", "Rác thải tập kết sai nơi quy định tại %s", "Nhiều ngày nay rác thải sinh hoạt bị đổ thành đống trên vỉa hè %s, gây mùi hôi và mất vệ sinh. Đề nghị chính quyền kiểm tra, xử lý.", "UBND đã chỉ đạo đơn vị vệ sinh môi trường thu gom toàn bộ rác thải tại %s, đồng thời lắp biển cấm đổ rác và giao tổ dân phố giám sát."},
	{feedback.Feedback, "trat-tu-do-thi", "Lấn chiếm vỉa hè để kinh doanh tại %s", "Các hộ kinh doanh tại %s bày hàng hóa, để xe máy kín vỉa hè, người đi bộ phải đi xuống lòng đường rất nguy hiểm.", "Đội trật tự đô thị đã kiểm tra, lập biên bản và yêu cầu các hộ kinh doanh tại %s trả lại vỉa hè cho người đi bộ; việc kiểm tra được duy trì thường xuyên."},
	{feedback.Feedback, "giao-thong", "Đèn chiếu sáng công cộng hỏng tại %s", "Hệ thống đèn chiếu sáng tại %s bị hỏng nhiều tuần, buổi tối rất tối, tiềm ẩn nguy cơ mất an toàn giao thông.", "Đơn vị quản lý chiếu sáng đã thay thế bóng đèn và sửa chữa tủ điện tại %s; hệ thống đã hoạt động bình thường."},
	{feedback.Feedback, "giao-thong", "Mặt đường hư hỏng, nhiều ổ gà tại %s", "Mặt đường %s xuống cấp, có nhiều ổ gà sâu, trời mưa đọng nước, xe máy đi qua dễ bị ngã.", "Sở Xây dựng đã giao đơn vị duy tu vá ổ gà tại %s và đưa tuyến đường vào kế hoạch cải tạo năm tới."},
	{feedback.Feedback, "dien-nuoc", "Mất nước sinh hoạt kéo dài tại %s", "Khu dân cư %s bị mất nước sinh hoạt ba ngày liền mà không có thông báo trước.", "Công ty cấp nước cho biết sự cố vỡ ống tại %s đã được khắc phục; đơn vị đã cấp nước bằng xe téc trong thời gian sửa chữa."},
	{feedback.Feedback, "an-ninh", "Tụ tập gây mất trật tự vào ban đêm tại %s", "Thường xuyên có nhóm thanh niên tụ tập, nẹt pô xe máy sau 23 giờ tại %s, ảnh hưởng đến giấc ngủ của người dân.", "Công an phường đã tăng cường tuần tra tại %s vào ban đêm và xử lý các trường hợp vi phạm."},
	{feedback.Feedback, "y-te", "Cơ sở kinh doanh thực phẩm không bảo đảm vệ sinh tại %s", "Một cơ sở chế biến thực phẩm tại %s xả nước thải ra đường, nghi không bảo đảm vệ sinh an toàn thực phẩm.", "Đoàn kiểm tra liên ngành đã kiểm tra cơ sở tại %s, xử phạt vi phạm hành chính và yêu cầu khắc phục."},
	{feedback.Question, "thu-tuc", "Thủ tục đăng ký thường trú cần những giấy tờ gì?", "Tôi mới mua nhà tại %s, xin hỏi thủ tục đăng ký thường trú cần chuẩn bị những giấy tờ gì và nộp ở đâu?", "Hồ sơ đăng ký thường trú gồm Tờ khai thay đổi thông tin cư trú và giấy tờ chứng minh chỗ ở hợp pháp; công dân nộp trực tuyến trên Cổng Dịch vụ công quốc gia hoặc tại công an cấp xã nơi cư trú (%s)."},
	{feedback.Question, "thu-tuc", "Cấp bản sao trích lục khai sinh mất bao lâu?", "Xin hỏi tôi cần cấp bản sao trích lục khai sinh cho con, đăng ký khai sinh tại %s, thì làm ở đâu và mất bao lâu?", "Việc cấp bản sao trích lục hộ tịch được giải quyết ngay trong ngày làm việc tại UBND cấp xã nơi đã đăng ký (%s) hoặc trực tuyến."},
	{feedback.Question, "lao-dong", "Điều kiện hưởng trợ cấp thất nghiệp", "Tôi nghỉ việc tại một công ty ở %s sau 14 tháng đóng bảo hiểm thất nghiệp. Tôi có được hưởng trợ cấp không?", "Người lao động đã đóng bảo hiểm thất nghiệp từ đủ 12 tháng trong 24 tháng trước khi chấm dứt hợp đồng và nộp hồ sơ trong 3 tháng thì được hưởng trợ cấp; hồ sơ nộp tại Trung tâm Dịch vụ việc làm (gần %s)."},
	{feedback.Question, "doanh-nghiep", "Thời hạn nộp tờ khai thuế của hộ kinh doanh", "Hộ kinh doanh của tôi tại %s nộp thuế theo phương pháp khoán. Xin hỏi thời hạn nộp thuế như thế nào?", "Hộ khoán nộp thuế theo thông báo của cơ quan thuế, chậm nhất ngày cuối cùng của quý; chi tiết xem tại Chi cục Thuế khu vực phụ trách %s."},
	{feedback.Question, "giao-duc", "Tuyển sinh lớp 1 theo địa bàn cư trú", "Gia đình tôi ở %s nhưng chưa đăng ký thường trú. Con tôi có được tuyển sinh lớp 1 tại trường gần nhà không?", "Trẻ cư trú trên địa bàn (thường trú hoặc tạm trú) được tuyển sinh theo tuyến; phụ huynh đăng ký trực tuyến theo hướng dẫn tuyển sinh của Sở Giáo dục và Đào tạo cho %s."},
	{feedback.Question, "dat-dai", "Thủ tục tách thửa đất ở", "Tôi muốn tách thửa đất ở tại %s để tặng cho con. Diện tích tối thiểu được tách là bao nhiêu?", "Diện tích tối thiểu được tách thửa thực hiện theo quyết định của UBND Thành phố; hồ sơ nộp tại bộ phận một cửa nơi có đất (%s)."},
	{feedback.Question, "van-hoa", "Cấp phép tổ chức biểu diễn nghệ thuật", "Đơn vị tôi muốn tổ chức chương trình biểu diễn nghệ thuật tại %s, cần xin phép cơ quan nào?", "Việc tổ chức biểu diễn nghệ thuật thực hiện theo thủ tục thông báo tại Sở Văn hóa và Thể thao; chương trình tại %s cần bảo đảm các điều kiện về an ninh, phòng cháy."},
}

var feedbackStreets = []string{"phố Quán Thánh", "phố Đội Cấn", "phố Hàng Bông", "đường Láng", "phố Kim Mã", "đường Giải Phóng", "phố Trần Duy Hưng",
	"ngõ Thổ Quan", "phố Minh Khai", "đường Nguyễn Trãi", "phố Lò Đúc", "đường Phạm Văn Đồng", "đường Hồ Tùng Mậu", "phố Thụy Khuê"}

var givenNames = []string{"An", "Bình", "Chi", "Dũng", "Hà", "Hùng", "Lan", "Minh", "Nam", "Ngọc", "Phương", "Quân", "Sơn", "Thảo", "Trang", "Tuấn"}
var familyNames = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"}
var middleNames = []string{"Văn", "Thị", "Minh", "Đức", "Thu", "Quang", "Hồng"}

// feedbackDemo fills the demo with feedback and questions received over the
// last four months, in every state: new, being handled, waiting for the
// sender, drafted, answered, published and rated, rejected, merged; some
// overdue, some of those reported to the city. It writes through the store
// directly (one transaction, no per-item audit chain) so the first start
// stays fast.
func feedbackDemo(ctx context.Context, svc *server.Services, res *Result) error {
	d, err := svc.Sites.Directory(ctx)
	if err != nil {
		return err
	}
	if d.City == nil {
		return nil
	}
	var wards, agencies []*site.Site
	byCode := map[string]*site.Site{}
	for _, st := range d.Sites {
		if st.Status != site.Active || st.Kind != site.Portal {
			continue
		}
		byCode[st.Code] = st
		if u, ok := d.Unit(st.UnitID); ok {
			switch u.Kind {
			case site.Ward, site.Commune:
				wards = append(wards, st)
			case site.Agency:
				agencies = append(agencies, st)
			}
		}
	}
	if len(wards) == 0 {
		return nil
	}
	db := svc.DB
	f := svc.Feedback
	rng := rand.New(rand.NewPCG(42, 2026))
	now := time.Now().UTC().Truncate(time.Microsecond)
	var published []*feedback.Item
	var items []*feedback.Item
	var merges [][2]int64 // (duplicate, main) by index
	var events []*feedback.Event
	for i := 0; i < FeedbackItems; i++ {
		s := samples[rng.IntN(len(samples))]
		ward := wards[rng.IntN(len(wards))]
		where := feedbackStreets[rng.IntN(len(feedbackStreets))] + ", " + ward.Name
		name := familyNames[rng.IntN(len(familyNames))] + " " + middleNames[rng.IntN(len(middleNames))] + " " + givenNames[rng.IntN(len(givenNames))]
		received := now.Add(-time.Duration(rng.IntN(120*24*60)) * time.Minute)
		it := &feedback.Item{
			Kind: s.kind, OriginSiteID: ward.ID, SiteID: d.City.ID, Category: s.category, Status: feedback.Received,
			Title: fmt.Sprintf(s.title, where), Body: fmt.Sprintf(s.body, where),
			Place:    feedback.Place{Address: where},
			Contact:  feedback.Contact{Name: name, Phone: fmt.Sprintf("09%08d", rng.IntN(100_000_000)), Email: fmt.Sprintf("nguoidan%d@example.vn", i)},
			Consent:  feedback.Consent{Purpose: f.Policy.Purpose, At: received, Notify: rng.IntN(3) == 0},
			Verified: rng.IntN(10) != 0, Source: "web", ReceivedAt: received, UpdatedAt: received,
		}
		if rng.IntN(4) == 0 {
			it.OriginSiteID = d.City.ID
		}
		it.DueAt = f.Calendar.AddWorkingDays(received, f.Policy.Days(it.Kind)).UTC()
		it.Fingerprint = feedback.Fingerprint(it.Kind, it.Category, it.Title, it.Body)
		it.Sketch = feedback.Sketch(it.Title, it.Body)
		it.PublicName = feedback.ShortName(name)
		// The samples hold no personal data: the public copy is the text.
		it.PublicTitle, it.PublicBody = it.Title, it.Body
		it.Code = demoCode(rng, it.Kind)
		it.ID = int64(len(items)) // its index until imported
		ev := []*feedback.Event{{Type: "received", Public: true, Actor: "citizen", SiteID: it.OriginSiteID, At: received}}
		// Who answers it.
		cat, _ := f.Policy.Category(s.category)
		handler := ward
		if !cat.Local {
			if a := byCode[cat.Agency]; a != nil {
				handler = a
			} else if len(agencies) > 0 {
				handler = agencies[rng.IntN(len(agencies))]
			}
		}
		age := now.Sub(received)
		roll := rng.IntN(100)
		step := received.Add(time.Duration(2+rng.IntN(20)) * time.Hour)
		if age > 6*time.Hour && roll >= 8 {
			it.SiteID, it.Status = handler.ID, feedback.Assigned
			ev = append(ev, &feedback.Event{Type: "assigned", Public: true, Actor: "Ban Biên tập", SiteID: d.City.ID, ToSiteID: handler.ID, At: step})
		}
		// The laggards leave some items unanswered well past the deadline.
		slow := roll >= 70 && laggard(d, handler)
		if it.Status == feedback.Assigned && !slow {
			answerAt := step.Add(time.Duration(1+rng.IntN(14*24)) * time.Hour)
			switch {
			case roll < 14:
				it.Status = feedback.Waiting
				it.PausedAt = step.Add(24 * time.Hour)
				if it.PausedAt.After(now) {
					it.PausedAt = now
				}
				ev = append(ev, &feedback.Event{Type: "info_requested", Public: true, Actor: "Cán bộ", SiteID: handler.ID, At: it.PausedAt, Text: "Đề nghị cung cấp thêm địa chỉ cụ thể và hình ảnh."})
			case roll < 20:
				it.Status = feedback.Rejected
				it.Reason = "Nội dung không thuộc phạm vi tiếp nhận của cổng thông tin; đề nghị liên hệ tòa án nhân dân có thẩm quyền."
				it.ClosedAt = step.Add(time.Hour)
				ev = append(ev, &feedback.Event{Type: "rejected", Public: true, Actor: "Cán bộ", SiteID: handler.ID, At: it.ClosedAt, Text: it.Reason})
			case roll < 26 && len(published) > 0:
				main := published[rng.IntN(len(published))]
				if main.Kind == it.Kind {
					it.Status, it.DuplicateOf, it.ClosedAt = feedback.Duplicate, main.ID, step.Add(time.Hour)
					ev = append(ev, &feedback.Event{Type: "merged", Public: true, Actor: "Cán bộ", SiteID: handler.ID, At: it.ClosedAt})
					merges = append(merges, [2]int64{it.ID, main.ID})
				}
			case roll < 34 && answerAt.Before(now):
				it.Status, it.Answer = feedback.Drafted, fmt.Sprintf(s.answer, where)
				ev = append(ev, &feedback.Event{Type: "drafted", Actor: "Cán bộ", SiteID: handler.ID, At: answerAt})
			case roll >= 40 && answerAt.Before(now):
				it.Answer = fmt.Sprintf(s.answer, where)
				it.AnsweredAt, it.ClosedAt, it.AnswerSiteID = answerAt, answerAt, handler.ID
				it.Status = feedback.Published
				it.PublishedAt = answerAt
				ev = append(ev, &feedback.Event{Type: "answered", Public: true, Actor: "Lãnh đạo", SiteID: handler.ID, At: answerAt},
					&feedback.Event{Type: "published", Public: true, Actor: "Lãnh đạo", SiteID: handler.ID, At: answerAt})
				if roll < 44 {
					it.Status, it.PublishedAt = feedback.Answered, time.Time{}
					it.Reason = "Nội dung liên quan đến thông tin riêng của người gửi."
					ev = ev[:len(ev)-1]
				}
				if rng.IntN(3) == 0 {
					it.Rating, it.RatedAt = 3+rng.IntN(3), answerAt.Add(48*time.Hour)
					if rng.IntN(5) == 0 {
						it.Rating = 1 + rng.IntN(2)
					}
					ev = append(ev, &feedback.Event{Type: "rated", Public: true, Actor: "citizen", SiteID: handler.ID, At: it.RatedAt})
				}
			}
		}
		// Most units answer in time; the demo's laggards, about one commune
		// or ward in five, leave items overdue for the escalation and the
		// audit to find. Elsewhere an open item's whole story is moved later
		// so that its deadline is still ahead.
		responsible := handler
		if it.Status == feedback.Received {
			responsible = d.City // still at the editorial office's desk
		}
		if it.Status.Open() && it.Status != feedback.Waiting && now.After(it.DueAt) && !laggard(d, responsible) {
			shift := now.Sub(it.DueAt) + 72*time.Hour
			for {
				due := f.Calendar.AddWorkingDays(received.Add(shift), f.Policy.Days(it.Kind)).UTC()
				if due.After(now.Add(24 * time.Hour)) {
					it.DueAt = due
					break
				}
				shift += 24 * time.Hour
			}
			received = received.Add(shift)
			it.ReceivedAt, it.Consent.At = received, received
			if !it.PausedAt.IsZero() {
				it.PausedAt = it.PausedAt.Add(shift)
			}
			for _, e := range ev {
				e.At = e.At.Add(shift)
				if e.At.After(now) {
					e.At = now
				}
			}
		}
		// Items still overdue (the laggards') are reported to the city.
		if (it.Status == feedback.Assigned || it.Status == feedback.Drafted) && now.After(it.DueAt) && handler.ID != d.City.ID {
			late := f.Calendar.WorkingDaysBetween(it.DueAt, now)
			if late >= f.Policy.EscalateDays {
				it.EscalationLevel, it.EscalatedSiteID = 1, d.City.ID
				ev = append(ev, &feedback.Event{Type: "escalated", Public: true, Actor: "system", SiteID: handler.ID, ToSiteID: d.City.ID, At: f.Calendar.AddWorkingDays(it.DueAt, f.Policy.EscalateDays)})
			}
		}
		if it.DueAt.Before(now.Add(48*time.Hour)) && it.Status.Open() {
			it.RemindedAt = it.DueAt.Add(-48 * time.Hour)
		}
		it.UpdatedAt = ev[len(ev)-1].At
		for _, e := range ev {
			e.ItemID = it.ID
		}
		events = append(events, ev...)
		items = append(items, it)
		if it.Status == feedback.Published {
			published = append(published, it)
		}
	}
	// Duplicates point at their main item by index until the import gives
	// ids; they are linked afterwards.
	for _, it := range items {
		it.DuplicateOf = 0
	}
	if err := db.ImportFeedback(ctx, items, events); err != nil {
		return err
	}
	if err := svc.Feedback.IndexPublished(ctx, published); err != nil {
		return err
	}
	for _, pair := range merges {
		c, m := items[pair[0]], items[pair[1]]
		c.DuplicateOf = m.ID
		if err := db.UpdateFeedback(ctx, c); err != nil {
			return err
		}
		if err := db.AddFeedbackLink(ctx, c.ID, m.ID, "merged", 0); err != nil {
			return err
		}
	}
	res.Feedback = FeedbackItems
	return nil
}

// laggard reports whether a handling site is one of the demo's slow
// communes and wards (chosen by a hash of its code: stable from build to
// build, and independent of the random sequence the codes come from).
func laggard(d *site.Directory, st *site.Site) bool {
	u, ok := d.Unit(st.UnitID)
	if !ok || u.Kind != site.Ward && u.Kind != site.Commune {
		return false
	}
	h := fnv.New32a()
	h.Write([]byte(st.Code))
	return h.Sum32()%5 == 0
}

// demoCode makes the demo's tracking codes from its seeded generator, so
// the demo's items keep their codes from one build to the next (tests and
// the browser checks open them). Real codes come from crypto/rand.
func demoCode(rng *rand.Rand, k feedback.Kind) string {
	b := []byte(k.Prefix() + "-")
	for i := 0; i < 10; i++ {
		if i == 5 {
			b = append(b, '-')
		}
		b = append(b, feedback.CodeAlphabet[rng.IntN(len(feedback.CodeAlphabet))])
	}
	return string(b)
}
