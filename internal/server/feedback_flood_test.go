package server_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/feedback"
	"github.com/congvn/cong/internal/feedbackweb"
	"github.com/congvn/cong/internal/server/servertest"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/web"
)

// The flood the issue names: 10,000 submissions from one address, through
// the gate the form handler uses (Admit: the limit per address and the
// proof of work) and the service it then calls (Submit), without the HTTP
// round trips. The flood is throttled to the burst of its address while
// a hundred citizens at other addresses, sent in between, all get through;
// every admitted submission is stored and no other.
func TestFeedbackFloodOfTenThousand(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	h, svc := env.App.FeedbackWeb, env.App.Feedback
	h.SetPowBits(4) // a real proof of work, cheap enough to solve 10,000 times
	before := countFeedback(t, env)

	send := func(addr string, i int, solve bool) error {
		now := time.Now()
		ch, nonce := h.Challenge(now), ""
		if solve {
			nonce = feedbackweb.Solve(ch)
		}
		verified, err := h.Admit(addr, ch, nonce, now)
		if err != nil {
			return err
		}
		ctx := access.With(context.Background(), &access.Actor{Name: "citizen", Via: "public", Addr: addr})
		_, err = svc.Submit(ctx, feedback.Submission{Kind: feedback.Feedback, SiteID: env.App.Web.Directory().City.ID, Category: "moi-truong",
			Title: fmt.Sprintf("Phản ánh %d từ %s", i, addr), Body: fmt.Sprintf("Nội dung phản ánh số %d gửi từ địa chỉ %s về rác thải.", i, addr),
			Name: "Nguyễn Văn Lũ", Phone: fmt.Sprintf("09%08d", i), Consent: true, Verified: verified, Source: "web"})
		return err
	}

	start := time.Now()
	flood, others, stored := 0, 0, 0
	for i := range 10_000 {
		// The flood solves every challenge: the proof of work does not buy
		// it more than its address's share.
		switch err := send("203.0.113.66", i, true); {
		case err == nil:
			flood++
			stored++
		case fault.As(err) != nil && fault.As(err).Key == "feedback.too_many_addr":
		default:
			t.Fatalf("flood submission %d: %v", i, err)
		}
		if i%100 == 50 {
			addr := fmt.Sprintf("198.51.100.%d", i/100)
			if err := send(addr, 20_000+i, i%200 == 50); err != nil {
				t.Errorf("citizen at %s during the flood: %v", addr, err)
				continue
			}
			others++
			stored++
		}
	}
	elapsed := time.Since(start)
	// The address's burst (10), plus one a minute... at most one more per
	// 6 seconds the test took.
	if most := 10 + int(elapsed/(6*time.Second)) + 1; flood < 10 || flood > most {
		t.Errorf("flood: %d of 10,000 admitted in %s, want 10 to %d", flood, elapsed.Round(time.Millisecond), most)
	}
	if others != 100 {
		t.Errorf("%d of 100 other citizens got through", others)
	}

	// A second flood without the proof of work (a script that does not run
	// the page's JavaScript) gets the stricter limit: 3.
	unverified := 0
	for i := range 10_000 {
		switch err := send("203.0.113.67", 30_000+i, false); {
		case err == nil:
			unverified++
			stored++
		case fault.Is(err, fault.TooMany):
		default:
			t.Fatalf("unverified flood submission %d: %v", i, err)
		}
	}
	if unverified != 3 {
		t.Errorf("unverified flood: %d admitted, want 3", unverified)
	}
	if n := countFeedback(t, env); n != before+stored {
		t.Errorf("%d items stored, want %d", n-before, stored)
	}
	t.Logf("20,000 submissions through the gate in %s", time.Since(start).Round(time.Millisecond))
}
