package search_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/congvn/cong/internal/search"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/store/storetest"
)

// judged is a small corpus of realistic published items; the judged
// queries below say which come first. Both engines must give the same
// answers (the conformance suite).
var judged = []search.Doc{
	{SiteID: 1, Kind: search.KindArticle, Ref: "cds", Title: "Hà Nội đẩy mạnh chuyển đổi số trong cải cách hành chính năm 2024",
		Summary: "Thành phố đặt mục tiêu 100% thủ tục đủ điều kiện được cung cấp trực tuyến toàn trình.", Category: "Chuyển đổi số",
		Body: "Ủy ban nhân dân Thành phố ban hành kế hoạch chuyển đổi số. Người dân có thể nộp hồ sơ qua Cổng dịch vụ công."},
	{SiteID: 2, Kind: search.KindArticle, Ref: "dng", Title: "Đà Nẵng học tập kinh nghiệm của Hà Nội về dịch vụ công trực tuyến",
		Summary: "Đoàn công tác thành phố Đà Nẵng làm việc với Sở Thông tin và Truyền thông.", Category: "Tin hoạt động",
		Body: "Hai bên trao đổi về dịch vụ công trực tuyến và cơ sở dữ liệu dân cư."},
	{SiteID: 1, Kind: search.KindDocument, Ref: "nd42", Title: "Nghị định 42/2022/NĐ-CP quy định về việc cung cấp thông tin và dịch vụ công trực tuyến của cơ quan nhà nước trên môi trường mạng",
		Numbers: []string{"42/2022/NĐ-CP"}, Category: "Công nghệ thông tin", Summary: "Quy định về cổng thông tin điện tử và dịch vụ công trực tuyến."},
	{SiteID: 1, Kind: search.KindDocument, Ref: "qd15", Title: "Quyết định 15/2024/QĐ-UBND ban hành quy chế quản lý cổng thông tin điện tử Thành phố",
		Numbers: []string{"15/2024/QĐ-UBND"}, Category: "Công nghệ thông tin", Summary: "Quy chế quản lý, vận hành cổng thông tin điện tử."},
	{SiteID: 3, Kind: search.KindProcedure, Ref: "gpxd", Title: "Cấp giấy phép xây dựng nhà ở riêng lẻ", Numbers: []string{"1.009994.000.00.00.H26"},
		Category: "Xây dựng", Summary: "Xây dựng — Ủy ban nhân dân cấp xã", Body: "Nộp hồ sơ đề nghị cấp giấy phép xây dựng. Nhận kết quả."},
	{SiteID: 3, Kind: search.KindAnswer, Ref: "qsdd", Title: "Hỏi về thủ tục cấp giấy chứng nhận quyền sử dụng đất lần đầu",
		Category: "Đất đai", Body: "Công dân hỏi về thủ tục hành chính cấp giấy chứng nhận. Trả lời: hồ sơ gồm đơn đăng ký và giấy tờ về đất."},
	{SiteID: 4, Kind: search.KindArticle, Ref: "tcd", Title: "Ủy ban nhân dân phường Hoàn Kiếm tiếp công dân định kỳ tháng 5",
		Category: "Tin hoạt động", Body: "Chủ tịch phường chủ trì buổi tiếp công dân."},
	{SiteID: 5, Kind: search.KindArticle, Ref: "soyte", Title: "Cấp sổ y tế điện tử cho người dân từ tháng 7",
		Category: "Y tế", Body: "Người dân dùng ứng dụng VNeID để xem sổ sức khỏe."},
	{SiteID: 5, Kind: search.KindArticle, Ref: "soyte2", Title: "Sở Y tế hướng dẫn phòng chống sốt xuất huyết",
		Category: "Y tế", Body: "Các trạm y tế phun thuốc diệt muỗi."},
	{SiteID: 6, Kind: search.KindDataset, Ref: "wifi", Title: "Danh sách điểm phát sóng wifi công cộng", Category: "ha-tang",
		Body: "Vị trí các điểm wifi miễn phí tại phố đi bộ Hoàn Kiếm."},
	{SiteID: 4, Kind: search.KindMedia, Ref: "anh1", Title: "Lễ hội chùa Hương 2024", Summary: "Du khách dâng hương tại chùa Thiên Trù."},
	{SiteID: 1, Kind: search.KindDraft, Ref: "dt1", Title: "Dự thảo Nghị quyết quy định mức thu phí tham quan di tích",
		Body: "Lấy ý kiến nhân dân về dự thảo."},
	{SiteID: 7, Kind: search.KindSite, Ref: "dong-anh", Title: "Xã Đông Anh", Body: "Ủy ban nhân dân xã Đông Anh, Thành phố Hà Nội."},
	{SiteID: 2, Kind: search.KindArticle, Ref: "dulich", Title: "Khách du lịch quốc tế tăng mạnh dịp lễ",
		Body: "Nhiều du khách đến Huế, Hội An và Đà Nẵng. Lượng khách đến Thủ đô cũng tăng."},
}

type judgedCase struct {
	name    string
	p       search.Params
	first   []string // the refs that must come first, in this order
	top     []string // refs that must be among the results (any order)
	exactly int      // when > 0, the number of results
	notice  string
	dym     string
}

var judgedCases = []judgedCase{
	{name: "folded", p: search.Params{Text: "ha noi"}, top: []string{"cds", "dng", "dong-anh"}},
	{name: "diacritics", p: search.Params{Text: "Hà Nội"}, top: []string{"cds", "dng", "dong-anh"}},
	{name: "đ folds to d", p: search.Params{Text: "da nang"}, first: []string{"dng"}, top: []string{"dulich"}, exactly: 2},
	{name: "title above body", p: search.Params{Text: "Đà Nẵng"}, first: []string{"dng", "dulich"}},
	{name: "exact spelling first (sở)", p: search.Params{Text: "sở y tế"}, first: []string{"soyte2", "soyte"}},
	{name: "exact spelling first (sổ)", p: search.Params{Text: "sổ y tế"}, first: []string{"soyte", "soyte2"}},
	{name: "document number", p: search.Params{Text: "42/2022/NĐ-CP"}, first: []string{"nd42"}, exactly: 1},
	{name: "document number typed loosely", p: search.Params{Text: "42/2022/nd-cp"}, first: []string{"nd42"}, exactly: 1},
	{name: "document number start", p: search.Params{Text: "42/2022"}, first: []string{"nd42"}, exactly: 1},
	{name: "number is whole", p: search.Params{Text: "2/2022/NĐ-CP"}, exactly: 0},
	{name: "procedure code", p: search.Params{Text: "1.009994.000.00.00.H26"}, first: []string{"gpxd"}, exactly: 1},
	{name: "abbreviation", p: search.Params{Text: "UBND"}, top: []string{"tcd", "qd15", "cds", "gpxd", "dong-anh"}},
	{name: "abbreviation spelled out", p: search.Params{Text: "ủy ban nhân dân"}, top: []string{"tcd", "qd15", "cds", "gpxd", "dong-anh"}},
	{name: "abbreviation in title first", p: search.Params{Text: "UBND Hoàn Kiếm"}, first: []string{"tcd"}, exactly: 1},
	{name: "TTHC", p: search.Params{Text: "tthc"}, first: []string{"qsdd"}, exactly: 1},
	{name: "quoted phrase", p: search.Params{Text: `"dịch vụ công trực tuyến"`}, top: []string{"dng", "nd42"}, exactly: 2},
	{name: "phrase is adjacent words", p: search.Params{Text: `"trực tuyến dịch vụ"`}, exactly: 0},
	{name: "procedure", p: search.Params{Text: "giay phep xay dung"}, first: []string{"gpxd"}, exactly: 1},
	{name: "media caption", p: search.Params{Text: "chùa Thiên Trù"}, first: []string{"anh1"}},
	{name: "draft", p: search.Params{Text: "du thao phi tham quan"}, first: []string{"dt1"}},
	{name: "dataset", p: search.Params{Text: "wifi"}, first: []string{"wifi"}, exactly: 1},
	{name: "site scope", p: search.Params{Text: "ha noi", SiteID: 2}, first: []string{"dng"}, exactly: 1},
	{name: "kind filter", p: search.Params{Text: "cong thong tin", Kind: search.KindDocument}, top: []string{"nd42", "qd15"}, exactly: 2},
	{name: "category filter", p: search.Params{Text: "y te", Category: "Y tế"}, exactly: 2},
	{name: "by date", p: search.Params{Text: "y te", ByDate: true}, first: []string{"soyte2", "soyte"}},
	{name: "FTS syntax is text", p: search.Params{Text: `ha AND noi OR "da NEAR(nang) -x* ^title:`}, exactly: 0},
	{name: "operators only", p: search.Params{Text: "AND OR NOT"}, notice: "search.no_words"},
	{name: "unbalanced quote", p: search.Params{Text: `"sở y tế`}, first: []string{"soyte2"}},
	{name: "punctuation only", p: search.Params{Text: `?!... -- ***`}, notice: "search.no_words"},
	{name: "empty", p: search.Params{Text: "  "}, notice: "search.empty"},
	{name: "emoji and other scripts", p: search.Params{Text: "🙂 wifi 河内"}, exactly: 0},
	{name: "emoji around words", p: search.Params{Text: "🙂wifi🙂"}, first: []string{"wifi"}},
	{name: "very long", p: search.Params{Text: strings.Repeat("hà nội ", 100)}, notice: "search.too_long", top: []string{"cds"}},
	{name: "did you mean", p: search.Params{Text: "dong anhh"}, exactly: 0, dym: "dong anh"},
	{name: "did you mean keeps diacritics", p: search.Params{Text: "chuyển đổi sốo"}, exactly: 0, dym: "chuyển đổi số"},
}

func loadJudged(t *testing.T, db *store.DB) *search.Service {
	t.Helper()
	svc := search.NewService(db)
	day := time.Date(2024, 1, 1, 8, 0, 0, 0, time.UTC)
	docs := slices.Clone(judged)
	for i := range docs {
		docs[i].Published = day.AddDate(0, 0, i)
		docs[i].Path = "/x/" + docs[i].Ref
	}
	if err := svc.PutMany(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
	return svc
}

func TestJudgedQueries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		svc := loadJudged(t, db)
		for _, c := range judgedCases {
			t.Run(c.name, func(t *testing.T) {
				res, err := svc.Search(context.Background(), c.p)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, h := range res.Hits {
					got = append(got, h.Ref)
				}
				if c.notice != "" && res.Query.Notice != c.notice {
					t.Errorf("notice %q, want %q", res.Query.Notice, c.notice)
				}
				if len(got) < len(c.first) || !slices.Equal(got[:len(c.first)], c.first) {
					t.Errorf("results %v, want first %v", got, c.first)
				}
				for _, r := range c.top {
					if !slices.Contains(got, r) {
						t.Errorf("results %v, want %s among them", got, r)
					}
				}
				if (c.exactly > 0 || c.first == nil && c.top == nil && c.notice == "") && len(got) != c.exactly {
					t.Errorf("results %v, want %d", got, c.exactly)
				}
				if res.Total != len(got) || res.Approx {
					t.Errorf("total %d (approx %v) for %d hits", res.Total, res.Approx, len(got))
				}
				if res.DidYouMean != c.dym {
					t.Errorf("did you mean %q, want %q", res.DidYouMean, c.dym)
				}
			})
		}
	})
}

func TestIndexUpdates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := loadJudged(t, db)
		refs := func(text string) []string {
			t.Helper()
			res, err := svc.Search(ctx, search.Params{Text: text})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, h := range res.Hits {
				out = append(out, h.Ref)
			}
			return out
		}
		// Publishing again replaces, in the caller's transaction.
		err := db.InTx(ctx, func(ctx context.Context) error {
			return svc.Put(ctx, search.Doc{SiteID: 6, Kind: search.KindDataset, Ref: "wifi", Lang: "vi", Title: "Điểm phát sóng Internet không dây",
				Published: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)})
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := refs("wifi"); len(got) != 0 {
			t.Errorf("wifi after the title changed: %v", got)
		}
		if got := refs("khong day"); !slices.Equal(got, []string{"wifi"}) {
			t.Errorf("khong day: %v", got)
		}
		// A rolled-back unpublish leaves the item searchable.
		db.InTx(ctx, func(ctx context.Context) error {
			if err := svc.Delete(ctx, search.KindDataset, "wifi"); err != nil {
				t.Fatal(err)
			}
			return context.Canceled
		})
		if got := refs("khong day"); len(got) != 1 {
			t.Errorf("after a rolled-back delete: %v", got)
		}
		if err := svc.Delete(ctx, search.KindDataset, "wifi"); err != nil {
			t.Fatal(err)
		}
		if got := refs("khong day"); len(got) != 0 {
			t.Errorf("after delete: %v", got)
		}
		res, err := svc.Search(ctx, search.Params{Text: "khongg"})
		if err != nil {
			t.Fatal(err)
		}
		if res.DidYouMean != "" {
			t.Errorf("did you mean %q from a deleted title", res.DidYouMean)
		}
		// Reindexing a site starts from empty.
		if err := db.SearchDeleteSite(ctx, 5); err != nil {
			t.Fatal(err)
		}
		if got := refs("y te"); len(got) != 0 {
			t.Errorf("y te after emptying site 5: %v", got)
		}
		if got := refs("ha noi"); len(got) != 3 {
			t.Errorf("ha noi after emptying site 5: %v", got)
		}
	})
}

func TestSnippetAndTitleMarks(t *testing.T) {
	q := search.Parse("ha noi 42/2022/NĐ-CP")
	parts := search.Mark("Hà Nội thực hiện Nghị định 42/2022/NĐ-CP.", q.Highlights())
	var marked []string
	for _, p := range parts {
		if p.Mark {
			marked = append(marked, p.Text)
		}
	}
	if !slices.Equal(marked, []string{"Hà", "Nội", "42/2022/NĐ-CP"}) {
		t.Errorf("marked %q", marked)
	}
	long := strings.Repeat("một hai ba bốn năm ", 40) + "Thủ đô Hà Nội " + strings.Repeat("sáu bảy tám ", 40)
	sn := search.Snippet(long, q.Highlights(), 20)
	var text strings.Builder
	for _, p := range sn {
		text.WriteString(p.Text)
	}
	if !strings.HasPrefix(text.String(), "… ") || !strings.HasSuffix(text.String(), " …") || !strings.Contains(text.String(), "Hà") {
		t.Errorf("snippet %q", text.String())
	}
}

func TestParse(t *testing.T) {
	for _, c := range []struct {
		in      string
		clauses int
		exact   []string
	}{
		{"ha noi", 2, nil},
		{"Hà Nội", 2, []string{"hà", "nội"}},
		{`"hà nội" UBND`, 2, []string{"hà", "nội"}},
		{"ủy ban nhân dân xã", 2, []string{"ủy", "nhân", "dân", "xã"}},
		{`NOT AND OR * - " ( ) : ^ NEAR/2`, 1, nil}, // "2" is a word
		{"42/2022/NĐ-CP", 1, nil},
		{strings.Repeat("từ ", 30), 1, []string{"từ"}},
		{strings.Repeat("a b c d e f g h i j k l m n o p ", 2), search.MaxClauses, nil},
	} {
		q := search.Parse(c.in)
		if len(q.Clauses) != c.clauses || !slices.Equal(q.Exact, c.exact) {
			t.Errorf("Parse(%q): %d clauses, exact %q; want %d, %q", c.in, len(q.Clauses), q.Exact, c.clauses, c.exact)
		}
	}
}
