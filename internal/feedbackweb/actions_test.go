package feedbackweb

import (
	"reflect"
	"testing"

	"github.com/congvn/cong/internal/feedback"
)

func TestRefLines(t *testing.T) {
	got := refLines("document", "42/2022/NĐ-CP\r\nNghị định 13/2018/ND-CP về tiếp cận thông tin\n\nLuật Cư trú | https://vbpl.vn/cu-tru\nhttps://example.vn/a\nGhi chú không có liên kết\nSố 42/2022 | /van-ban/5")
	want := []feedback.Ref{
		{Kind: "document", Ref: "42/2022/NĐ-CP"},
		{Kind: "document", Ref: "13/2018/ND-CP"},
		{Kind: "document", Title: "Luật Cư trú", URL: "https://vbpl.vn/cu-tru"},
		{Kind: "document", URL: "https://example.vn/a"},
		{Kind: "document", Title: "Ghi chú không có liên kết"},
		{Kind: "document", Title: "Số 42/2022", URL: "/van-ban/5"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("documents:\n got %+v\nwant %+v", got, want)
	}
	got = refLines("procedure", "1.003882\n2.000635 Cấp bản sao trích lục hộ tịch\nĐăng ký khai sinh | /thu-tuc/1.001193\nThủ tục đăng ký thường trú")
	want = []feedback.Ref{
		{Kind: "procedure", Ref: "1.003882"},
		{Kind: "procedure", Ref: "2.000635"},
		{Kind: "procedure", Title: "Đăng ký khai sinh", URL: "/thu-tuc/1.001193"},
		{Kind: "procedure", Title: "Thủ tục đăng ký thường trú"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("procedures:\n got %+v\nwant %+v", got, want)
	}
}
