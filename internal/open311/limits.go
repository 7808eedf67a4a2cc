package open311

import (
	"time"

	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/throttle"
)

type siteT = site.Site

func newLimiter(perMinute int) *throttle.Limiter {
	return throttle.New(perMinute, time.Minute/time.Duration(perMinute))
}
