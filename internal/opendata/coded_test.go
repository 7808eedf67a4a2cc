package opendata_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/opendata"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/store/storetest"
)

// Filtered pages answered from the coded columns give what a plain reading
// of the file gives: the same rows, in the same order, with the same total.
func TestDatastoreCodedFilters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := setup(t, db)
		ctx := as(w.data.ID, access.DataPublisher)
		d := &opendata.Dataset{SiteID: w.health.ID, Title: "Khám bệnh"}
		if err := w.svc.CreateDataset(ctx, d); err != nil {
			t.Fatal(err)
		}
		type row struct {
			id            int64
			ward, level   string
			visits, day   int
			note          string
			missingLevel  bool
			ragged, blank bool
		}
		wards := []string{"Phường Ba Đình", "Xã Sóc Sơn", "Phường Hoàn Kiếm", "Xã Đông Anh", "Phường Cầu Giấy"}
		levels := []string{"Thấp", "Vừa", "Cao"}
		var b strings.Builder
		b.WriteString("\"Phường, xã\",Mức,Lượt khám,Ngày,Ghi chú\n")
		var rows []row
		for i := 0; i < 700; i++ { // more than 256 distinct visits: two-byte codes
			r := row{id: int64(i + 1), ward: wards[i*7%5], level: levels[i%3], visits: i * 13 % 401, day: 1 + i%28, note: fmt.Sprintf("ghi chú %d", i)}
			if i%50 == 7 {
				r.missingLevel = true
				r.level = ""
			}
			rows = append(rows, r)
			if i%97 == 5 {
				fmt.Fprintf(&b, "%q,%s,%d\n", r.ward, r.level, r.visits) // ragged: short
				r.ragged = true
				rows[len(rows)-1] = r
				continue
			}
			fmt.Fprintf(&b, "%q,%s,%d,2026-03-%02d,%s\n", " "+r.ward+" ", r.level, r.visits, r.day, r.note)
		}
		res := &opendata.Resource{Name: "Lượt khám", Format: "CSV"}
		if err := w.svc.AddResource(ctx, d.ID, res, &opendata.File{Name: "kham.csv", Body: strings.NewReader(b.String())}); err != nil {
			t.Fatal(err)
		}
		if res.Rows != int64(len(rows)) {
			t.Fatalf("rows %d: %+v", res.Rows, res.Report)
		}
		for _, c := range res.Columns[:4] {
			if !c.Coded {
				t.Errorf("column %q not coded", c.ID)
			}
		}
		cases := []struct {
			name    string
			req     opendata.DatastoreRequest
			keep    func(r row) bool
			reverse bool
		}{
			{"one ward", opendata.DatastoreRequest{Filters: map[string]any{"Phường, xã": "Xã Sóc Sơn"}, Limit: 30, Offset: 40},
				func(r row) bool { return r.ward == "Xã Sóc Sơn" }, false},
			{"ward and levels", opendata.DatastoreRequest{Filters: map[string]any{"Phường, xã": "Phường Ba Đình", "Mức": []any{"Cao", "Thấp"}}, Limit: 25},
				func(r row) bool { return r.ward == "Phường Ba Đình" && (r.level == "Cao" || r.level == "Thấp") }, false},
			{"number, newest first", opendata.DatastoreRequest{Filters: map[string]any{"Lượt khám": []any{13.0, "26", "400"}}, Sort: "_id desc", Limit: 100},
				func(r row) bool { return r.visits == 13 || r.visits == 26 || r.visits == 400 }, true},
			{"date", opendata.DatastoreRequest{Filters: map[string]any{"Ngày": "2026-03-05"}, Limit: 5, Offset: 3},
				func(r row) bool { return !r.ragged && r.day == 5 }, false},
			{"nothing", opendata.DatastoreRequest{Filters: map[string]any{"Mức": "Không có"}},
				func(r row) bool { return false }, false},
			{"past the end", opendata.DatastoreRequest{Filters: map[string]any{"Mức": "Vừa"}, Offset: 10000},
				func(r row) bool { return r.level == "Vừa" }, false},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				tc.req.ResourceID = res.ID
				got, err := w.svc.DatastoreSearch(context.Background(), tc.req)
				if err != nil {
					t.Fatal(err)
				}
				var want []int64
				for _, r := range rows {
					if tc.keep(r) {
						want = append(want, r.id)
					}
				}
				if got.Total != int64(len(want)) {
					t.Errorf("total %d, want %d", got.Total, len(want))
				}
				if tc.reverse {
					slices.Reverse(want)
				}
				limit := tc.req.Limit
				if limit == 0 {
					limit = 100
				}
				want = want[min(tc.req.Offset, len(want)):]
				want = want[:min(limit, len(want))]
				var ids []int64
				for _, rec := range got.Records {
					ids = append(ids, rec[0].(int64))
				}
				if !slices.Equal(ids, want) {
					t.Errorf("ids %v, want %v", ids, want)
				}
				for _, rec := range got.Records {
					r := rows[rec[0].(int64)-1]
					if rec[1] != r.ward || r.level != "" && rec[2] != r.level || r.level == "" && rec[2] != nil {
						t.Errorf("row %v, want %+v", rec, r)
					}
				}
			})
		}
	})
}

// The answers from memory equal the database's for words and sorts too.
func TestDatastoreCodedMatchesSQL(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := setup(t, db)
		ctx := as(w.data.ID, access.DataPublisher)
		d := &opendata.Dataset{SiteID: w.health.ID, Title: "Chất lượng nước"}
		if err := w.svc.CreateDataset(ctx, d); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		b.WriteString("Trạm,Mức,Chỉ số,Ghi chú,Mã\n")
		stations := []string{"Hồ Tây", "Hồ Gươm", "Sông Tô Lịch", "Sông Nhuệ"}
		for i := 0; i < 400; i++ {
			note := ""
			if i%9 == 0 {
				note = fmt.Sprintf("Đo lại lần %d, nước đục", i%4)
			}
			level := []string{"Tốt", "Kém", "", "Trung bình"}[i*5%4]
			fmt.Fprintf(&b, "%s,%s,%d,%q,M%05d\n", stations[i%4], level, (i*37)%23-5, note, i*7919%100000)
		}
		r := &opendata.Resource{Name: "Nước", Format: "CSV"}
		if err := w.svc.AddResource(ctx, d.ID, r, &opendata.File{Name: "nuoc.csv", Body: strings.NewReader(b.String())}); err != nil {
			t.Fatal(err)
		}
		if r.Report.Layout != 2 {
			t.Fatalf("report %+v", r.Report)
		}
		fields := []int{-1, 0, 1, 2, 3, 4}
		for _, tc := range []struct {
			name string
			req  opendata.DatastoreRequest
			tq   opendata.TableQuery
		}{
			{"words", opendata.DatastoreRequest{Q: "ho nuoc"}, opendata.TableQuery{Words: []string{"ho", "nuoc"}}},
			{"word in an uncoded column", opendata.DatastoreRequest{Q: "m0"}, opendata.TableQuery{Words: []string{"m0"}}},
			{"number as a word", opendata.DatastoreRequest{Q: "-5"}, opendata.TableQuery{Words: []string{"-5"}}},
			{"filter and word", opendata.DatastoreRequest{Q: "duc", Filters: map[string]any{"Trạm": "Sông Nhuệ"}},
				opendata.TableQuery{Words: []string{"duc"}, Filters: []opendata.Cond{{Col: 0, Values: []any{"Sông Nhuệ"}}}}},
			{"sort by number", opendata.DatastoreRequest{Sort: "Chỉ số desc", Offset: 30, Limit: 50},
				opendata.TableQuery{Sort: []opendata.SortKey{{Col: 2, Desc: true}}, Offset: 30, Limit: 50}},
			{"sort with empty cells", opendata.DatastoreRequest{Sort: "Mức", Limit: 120, Offset: 60},
				opendata.TableQuery{Sort: []opendata.SortKey{{Col: 1}}, Limit: 120, Offset: 60}},
			{"sort descending with empty cells", opendata.DatastoreRequest{Sort: "Mức desc", Limit: 120, Offset: 250, Filters: map[string]any{"Trạm": []any{"Hồ Tây", "Sông Nhuệ"}}},
				opendata.TableQuery{Sort: []opendata.SortKey{{Col: 1, Desc: true}}, Limit: 120, Offset: 250, Filters: []opendata.Cond{{Col: 0, Values: []any{"Hồ Tây", "Sông Nhuệ"}}}}},
			{"by _id, last page", opendata.DatastoreRequest{Sort: "_id desc", Offset: 390}, opendata.TableQuery{Sort: []opendata.SortKey{{Col: -1, Desc: true}}, Offset: 390}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				tc.req.ResourceID = r.ID
				got, err := w.svc.DatastoreSearch(context.Background(), tc.req)
				if err != nil {
					t.Fatal(err)
				}
				tq := tc.tq
				tq.Fields, tq.Total = fields, true
				if tq.Limit == 0 {
					tq.Limit = 100
				}
				want, err := db.SearchTable(context.Background(), r.Datastore, r.Columns, &tq)
				if err != nil {
					t.Fatal(err)
				}
				if got.Total != want.Total || len(got.Records) != len(want.Rows) {
					t.Fatalf("total %d rows %d, the database says %d and %d", got.Total, len(got.Records), want.Total, len(want.Rows))
				}
				for i := range want.Rows {
					if fmt.Sprint(got.Records[i]) != fmt.Sprint(want.Rows[i]) {
						t.Errorf("row %d: %v, the database says %v", i, got.Records[i], want.Rows[i])
					}
				}
			})
		}
	})
}
