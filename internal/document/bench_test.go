package document_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/demo"
	"github.com/congvn/cong/internal/document"
	"github.com/congvn/cong/internal/server"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/store/storetest"
)

// benchDocs is how many documents the search benchmark searches;
// CONG_BENCH_DOCS changes it.
func benchDocs() int {
	if n, err := strconv.Atoi(os.Getenv("CONG_BENCH_DOCS")); err == nil && n > 0 {
		return n
	}
	return 200000
}

var benchTopics = []string{
	"chuyển đổi số", "cải cách hành chính", "phòng cháy chữa cháy", "trật tự xây dựng", "giải phóng mặt bằng", "bảo vệ môi trường",
	"an toàn thực phẩm", "phổ biến giáo dục pháp luật", "tuyển sinh lớp 10", "thu ngân sách nhà nước", "phát triển du lịch",
	"giảm nghèo bền vững", "an toàn giao thông", "dữ liệu dân cư", "nông thôn mới", "di sản văn hóa", "đất đai", "thuế",
	"bảo hiểm xã hội", "y tế cơ sở", "phòng chống dịch bệnh", "thanh tra", "khiếu nại tố cáo", "quản lý chợ", "cấp nước sạch",
	"chiếu sáng công cộng", "thoát nước đô thị", "cây xanh", "vệ sinh môi trường", "thi đua khen thưởng", "công tác cán bộ",
	"quốc phòng địa phương", "tuyển quân", "bầu cử", "hộ tịch", "chứng thực", "đăng ký kinh doanh", "đầu tư công", "mua sắm công",
	"kiểm soát thủ tục hành chính", "một cửa liên thông", "dịch vụ công trực tuyến", "ứng dụng công nghệ thông tin", "an toàn thông tin",
}

var benchTypes = []struct{ name, abbr string }{{"Quyết định", "QĐ"}, {"Kế hoạch", "KH"}, {"Công văn", ""}, {"Thông báo", "TB"}, {"Báo cáo", "BC"}, {"Chỉ thị", "CT"}}

var benchForms = []string{"Về việc phê duyệt kế hoạch %s năm %d", "Triển khai công tác %s năm %d", "Về việc tăng cường công tác %s (%d)",
	"Kết luận cuộc họp về %s năm %d", "Kết quả thực hiện %s năm %d", "Hướng dẫn thực hiện %s năm %d"}

// openBenchDB returns the demo with n more documents spread over its
// sites. On SQLite the database is kept in the temporary directory between
// runs (it takes about a minute to build).
func openBenchDB(b *testing.B, e store.Engine, n int) (*store.DB, *server.Services) {
	b.Helper()
	ctx := context.Background()
	var db *store.DB
	var err error
	fresh := true
	if e == store.SQLite {
		dir := filepath.Join(os.TempDir(), fmt.Sprintf("cong-bench-documents-%d-v1", n))
		_, statErr := os.Stat(filepath.Join(dir, "ready"))
		fresh = statErr != nil
		if fresh {
			os.RemoveAll(dir)
		}
		if db, err = store.Open(ctx, store.Config{Dir: dir}); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		if _, err := db.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
	} else {
		// A schema of its own on the test server, kept between runs too.
		storetest.RequirePostgres(b)
		schema := fmt.Sprintf("bench_documents_%d_v1", n)
		admin, err := sql.Open("pgx", storetest.PostgresURL())
		if err != nil {
			b.Fatal(err)
		}
		var ready bool
		admin.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'bench_ready')`, schema).Scan(&ready)
		fresh = !ready
		if fresh {
			admin.ExecContext(ctx, `DROP SCHEMA IF EXISTS `+schema+` CASCADE`)
			if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
				b.Fatal(err)
			}
		}
		admin.Close()
		u, _ := url.Parse(storetest.PostgresURL())
		v := u.Query()
		v.Set("search_path", schema)
		u.RawQuery = v.Encode()
		if db, err = store.Open(ctx, store.Config{URL: u.String(), Media: filepath.Join(os.TempDir(), "cong-bench-documents-media")}); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		if _, err := db.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
	}
	svc := server.NewServices(db)
	if !fresh {
		return db, svc
	}
	start := time.Now()
	if _, err := demo.Build(ctx, svc); err != nil {
		b.Fatal(err)
	}
	sys := access.With(ctx, access.System("bench", "cli"))
	d, _ := svc.Sites.Directory(ctx)
	var sites []*site.Site
	for _, st := range d.Sites {
		if st.Status == site.Active && st.Kind == site.Portal {
			sites = append(sites, st)
		}
	}
	types, _ := svc.Documents.Terms(ctx, document.ListType)
	issuers, _ := svc.Documents.Terms(ctx, document.ListIssuer)
	fields, _ := svc.Documents.Terms(ctx, document.ListField)
	typeID := map[string]int64{}
	for _, t := range types {
		typeID[t.Name] = t.ID
	}
	r := rand.New(rand.NewPCG(1, 2))
	seq := map[string]int{}
	day0 := time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)
	for done := 0; done < n; {
		batch := min(n-done, 5000)
		docs := make([]*document.Document, 0, batch)
		for i := 0; i < batch; i++ {
			st := sites[r.IntN(len(sites))]
			t := benchTypes[r.IntN(len(benchTypes))]
			at := day0.AddDate(0, 0, r.IntN(3650))
			key := fmt.Sprintf("%d%s%d", st.ID, t.abbr, at.Year())
			seq[key]++
			number := fmt.Sprintf("%d/%s-UBND", seq[key], t.abbr)
			if t.abbr == "" {
				number = fmt.Sprintf("%d/UBND-VP", seq[key])
			}
			topic := benchTopics[r.IntN(len(benchTopics))]
			day := at.Format(time.DateOnly)
			docs = append(docs, &document.Document{SiteID: st.ID, Number: number, TypeID: typeID[t.name], IssuerID: issuers[r.IntN(len(issuers))].ID,
				FieldID: fields[r.IntN(len(fields))].ID, Title: fmt.Sprintf(benchForms[r.IntN(len(benchForms))], topic, at.Year()),
				Signer: "Nguyễn Văn " + string(rune('A'+r.IntN(20))), IssuedOn: day, EffectiveOn: day, Published: true, PublishedAt: at})
		}
		if err := svc.Documents.Insert(sys, docs); err != nil {
			b.Fatal(err)
		}
		done += batch
	}
	if err := db.Analyze(ctx); err != nil {
		b.Fatal(err)
	}
	if e == store.SQLite {
		os.WriteFile(filepath.Join(db.Dir(), "ready"), nil, 0o644)
	} else if err := markReady(ctx); err != nil {
		b.Fatal(err)
	}
	b.Logf("built %d documents in %v", n, time.Since(start).Round(time.Second))
	return db, svc
}

// markReady records in the PostgreSQL schema that it is complete.
func markReady(ctx context.Context) error {
	admin, err := sql.Open("pgx", storetest.PostgresURL())
	if err != nil {
		return err
	}
	defer admin.Close()
	_, err = admin.ExecContext(ctx, fmt.Sprintf(`CREATE TABLE bench_documents_%d_v1.bench_ready (at TIMESTAMPTZ)`, benchDocs()))
	return err
}

// benchQueries are what readers type: numbers in several spellings, and
// one to three words of a summary, city-wide and on one site.
var benchQueries = []string{
	"42/2022/NĐ-CP", "42/2022/ND-CP", "42 2022", "15/QĐ-UBND", "120/KH-UBND", "7 2021", "1351/QĐ-UBND", "UBND-VP 15",
	"chuyển đổi số", "đất đai", "ngân sách", "phòng cháy chữa cháy", "giáo dục", "quyết định", "thuế", "bầu cử",
	"di sản văn hóa", "an toàn thông tin", "dich vu cong", "tuyen sinh", "kế hoạch năm 2024", "môi trường",
}

// BenchmarkDocumentSearch measures "Tra cứu văn bản" over 200,000
// documents: each iteration is one query of the list, in turn city-wide
// and on one site; p50 and p95 are reported in milliseconds.
//
//	go test -run XXX -bench DocumentSearch -benchtime 2000x ./internal/document/
func BenchmarkDocumentSearch(b *testing.B) {
	for _, e := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(e), func(b *testing.B) {
			if e == store.Postgres {
				storetest.RequirePostgres(b)
			}
			_, svc := openBenchDB(b, e, benchDocs())
			ctx := context.Background()
			city, _ := svc.Sites.Site(ctx, demo.CityCode)
			ward, _ := svc.Sites.Site(ctx, "phuong-hoan-kiem")
			var lat []time.Duration
			i := 0
			b.ResetTimer()
			for b.Loop() {
				q := document.Query{Text: benchQueries[i%len(benchQueries)], Limit: 20}
				switch i % 3 {
				case 1:
					q.SiteID = city.ID
				case 2:
					q.SiteID = ward.ID
				}
				i++
				t := time.Now()
				if _, err := svc.Documents.Search(ctx, q); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(t))
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "p95-ms")
			b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ms")
		})
	}
}

// BenchmarkAudit measures the compliance audit of every site of the demo
// (about 150) over the same 200,000 documents.
//
//	go test -run XXX -bench Audit -benchtime 20x ./internal/document/
func BenchmarkAudit(b *testing.B) {
	for _, e := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(e), func(b *testing.B) {
			if e == store.Postgres {
				storetest.RequirePostgres(b)
			}
			_, svc := openBenchDB(b, e, benchDocs())
			ctx := access.With(context.Background(), access.System("bench", "cli"))
			var sites int
			for b.Loop() {
				rep, err := svc.Compliance.Audit(ctx, "")
				if err != nil {
					b.Fatal(err)
				}
				sites = len(rep.Sites)
			}
			b.ReportMetric(float64(sites), "sites")
		})
	}
}
