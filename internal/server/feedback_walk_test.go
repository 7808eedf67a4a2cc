package server_test

import (
	"fmt"
	"net/url"
	"strconv"
	"testing"

	"github.com/congvn/cong/internal/feedback"
	"github.com/congvn/cong/internal/server/servertest"
)

// feedbackWalkForms returns, for each state-changing route of the feedback
// desk, a form that succeeds for someone allowed to send it, on items of
// Phường Cửa Nam made ready in the state each action needs.
func feedbackWalkForms(env *servertest.Env, t *testing.T) map[string]url.Values {
	t.Helper()
	ctx := asSystem(t)
	svc := env.App.Feedback
	cn, err := env.App.Sites.Site(ctx, "phuong-cua-nam")
	if err != nil {
		t.Fatal(err)
	}
	bd, err := env.App.Sites.Site(ctx, "phuong-ba-dinh")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	item := func(states ...string) *feedback.Item {
		t.Helper()
		n++
		it, err := svc.Submit(ctx, feedback.Submission{Kind: feedback.Feedback, SiteID: cn.ID, Category: "moi-truong",
			Title: fmt.Sprintf("Phản ánh thử số %d", n), Body: fmt.Sprintf("Nội dung phản ánh thử nghiệm số %d về vệ sinh môi trường.", n),
			Name: "Người Thử", Phone: fmt.Sprintf("09000000%02d", n), Consent: true, Verified: true})
		if err != nil {
			t.Fatal(err)
		}
		if it, err = svc.Assign(ctx, it.Code, it.Version, cn.ID, ""); err != nil {
			t.Fatal(err)
		}
		for _, s := range states {
			switch s {
			case "waiting":
				it, err = svc.RequestInfo(ctx, it.Code, it.Version, "Đề nghị bổ sung.")
			case "drafted":
				it, err = svc.Draft(ctx, it.Code, it.Version, "Dự thảo trả lời.", nil)
			case "published":
				it, err = svc.Approve(ctx, it.Code, it.Version, feedback.Publication{PublicTitle: it.Title, Answer: it.Answer, Publish: true, Reviewed: true})
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		return it
	}
	form := func(it *feedback.Item, kv ...string) url.Values {
		v := url.Values{"ma": {it.Code}, "version": {strconv.Itoa(it.Version)}}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	main := item("drafted")
	return map[string]url.Values{
		"POST /quan-tri/phan-anh/{site}/giao":            form(item(), "to", strconv.FormatInt(bd.ID, 10)),
		"POST /quan-tri/phan-anh/{site}/yeu-cau-bo-sung": form(item(), "question", "Đề nghị cho biết địa chỉ cụ thể."),
		"POST /quan-tri/phan-anh/{site}/tiep-tuc":        form(item("waiting"), "note", "Người gửi đã gọi điện bổ sung."),
		"POST /quan-tri/phan-anh/{site}/du-thao":         form(item(), "answer", "Phường đã xử lý xong."),
		"POST /quan-tri/phan-anh/{site}/tu-choi":         form(item(), "reason", "Không thuộc thẩm quyền."),
		"POST /quan-tri/phan-anh/{site}/gop":             form(item(), "main", main.Code),
		"POST /quan-tri/phan-anh/{site}/ghi-chu":         form(item(), "text", "Đã liên hệ tổ dân phố."),
		"POST /quan-tri/phan-anh/{site}/tra-lai":         form(item("drafted"), "note", "Cần nêu rõ thời gian xử lý."),
		"POST /quan-tri/phan-anh/{site}/duyet":           form(item("drafted"), "public_title", "Rác thải", "answer", "Đã xử lý.", "publish", "1", "reviewed", "1"),
		"POST /quan-tri/phan-anh/{site}/go-xuong":        form(item("drafted", "published"), "reason", "Nội dung cần sửa."),
	}
}
