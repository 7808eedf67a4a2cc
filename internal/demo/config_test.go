package demo_test

import "github.com/congvn/cong/internal/web"

var webConfig = web.Config{}
