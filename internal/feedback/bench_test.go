package feedback_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/congvn/cong/internal/feedback"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/store/storetest"
)

// BenchmarkSubmit measures accepted submissions on SQLite through the
// service: validation, duplicate detection, the item, its first timeline
// step and the audit entry, committed (WAL, synchronous=NORMAL) in one
// transaction each, from parallel citizens.
//
//	go test -run XXX -bench Submit -benchtime 3000x ./internal/feedback/
func BenchmarkSubmit(b *testing.B) {
	db := storetest.Open(b, store.SQLite)
	f := setupB(b, db)
	var n atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			s := submission(f)
			s.Phone, s.Email = fmt.Sprintf("09%08d", i), ""
			s.Title = fmt.Sprintf("Phản ánh số %d", i)
			s.Body = fmt.Sprintf("Đèn chiếu sáng hỏng ở ngõ %d phố Kim Mã, đề nghị sửa chữa (%d).", i%300, i)
			if _, err := f.svc.Submit(context.Background(), s); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "submissions/s")
}

var _ = feedback.Feedback
