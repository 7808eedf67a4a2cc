package document_test

import (
	"context"
	"strings"
	"testing"

	"github.com/congvn/cong/internal/bulk"
	"github.com/congvn/cong/internal/document"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/store/storetest"
)

const importCSV = `so_ky_hieu,hinh_thuc,co_quan_ban_hanh,linh_vuc,trich_yeu,nguoi_ky,ngay_ban_hanh,ngay_hieu_luc
42/2022/NĐ-CP,Nghị định,Chính phủ,Hành chính,Quy định về việc cung cấp thông tin,Lê Văn Thành,24/06/2022,15/08/2022
22/2023/TT-BTTTT,Thông tư,Bộ Thông tin và Truyền thông,,Quy định cấu trúc cổng,Nguyễn Mạnh Hùng,2023-12-31,2024-02-15
,Nghị định,Chính phủ,,Thiếu số,,2022-01-01,
5/QĐ-UBND,Sắc lệnh,Chính phủ,,Loại không có,,31/02/2022,
42/2022/ND-CP,Nghị định,Chính phủ,,Trùng số,,2022-06-24,
`

func TestImportAllOrNothingOrPartial(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		read := func() ([]bulk.Row, []bulk.RowError) {
			rows, bad, err := bulk.Read(strings.NewReader(importCSV), "csv")
			must(t, err)
			return rows, bad
		}
		rows, bad := read()
		rep, err := f.svc.Import(f.sys, f.siteA, rows, bad, false)
		must(t, err)
		lines := map[int]string{}
		for i, e := range rep.Errors {
			lines[e.Line] = rep.Messages("vi")[i]
		}
		if len(lines) != 3 || lines[4] == "" || lines[5] == "" || lines[6] == "" || rep.Imported != 0 {
			t.Fatalf("report: %+v %v", rep, rep.Messages("vi"))
		}
		if !strings.Contains(lines[5], "Sắc lệnh") || !strings.Contains(lines[5], "ngay_ban_hanh") || !strings.Contains(lines[6], "42/2022/ND-CP") {
			t.Errorf("messages do not say what is wrong: %v", rep.Messages("vi"))
		}
		res, _ := f.svc.Search(context.Background(), document.Query{})
		if res.Total != 0 {
			t.Fatalf("all-or-nothing imported %d documents", res.Total)
		}
		rows, bad = read()
		rep, err = f.svc.Import(f.sys, f.siteA, rows, bad, true)
		must(t, err)
		if rep.Imported != 2 || len(rep.Errors) != 3 {
			t.Fatalf("partial: %+v", rep)
		}
		res, _ = f.svc.Search(context.Background(), document.Query{Text: "42 2022"})
		if numbers(res) != "42/2022/NĐ-CP" || res.Docs[0].EffectiveOn != "2022-08-15" {
			t.Errorf("imported document not found by number: %s", numbers(res))
		}
	})
}
