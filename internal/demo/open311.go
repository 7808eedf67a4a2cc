package demo

import (
	"context"

	"github.com/congvn/cong/internal/server"
)

func init() { steps = append(steps, open311Keys) }

// open311Keys issues two Open311 application keys, one of them revoked, so
// the staff page has something to list. Their secrets are not kept: an
// application that needs one gets a new key on /quan-tri/open311.
func open311Keys(ctx context.Context, svc *server.Services, _ *Result) error {
	if _, _, err := svc.Open311Keys.Create(ctx, "Ứng dụng Hà Nội Số", 60); err != nil {
		return err
	}
	_, old, err := svc.Open311Keys.Create(ctx, "Ứng dụng thử nghiệm (ngừng dùng)", 10)
	if err != nil {
		return err
	}
	_, err = svc.Open311Keys.Revoke(ctx, old.ID)
	return err
}
