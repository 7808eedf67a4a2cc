// Command feedbackload sends feedback forms to a running cong as fast as a
// number of simulated citizens can, each from its own address (through
// X-Forwarded-For: start cong with --trust-proxy 127.0.0.1), and reports
// the accepted submissions per second. Every acknowledged tracking code is
// written to -codes, one per line, as soon as it is received, so a crash
// test can check that none was lost.
//
//	go run ./scripts/feedbackload -url http://hanoi.localhost:8080 -d 20s -c 16
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:8080", "the city portal's address")
	dur := flag.Duration("d", 20*time.Second, "how long to send")
	conc := flag.Int("c", 16, "simulated citizens sending at once")
	codesPath := flag.String("codes", "", "file to append acknowledged codes to")
	flag.Parse()

	var codes *os.File
	if *codesPath != "" {
		f, err := os.OpenFile(*codesPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		codes = f
		defer f.Close()
	}
	tr := &http.Transport{MaxIdleConnsPerHost: *conc * 2, DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext}
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	ctx, cancel := context.WithTimeout(context.Background(), *dur)
	defer cancel()

	var ok, refused, failed atomic.Int64
	var mu sync.Mutex
	var lat []time.Duration
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < *conc; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				n := w*1_000_000 + i
				form := url.Values{"category": {"giao-thong"}, "title": {fmt.Sprintf("Phản ánh tải thử %d", n)},
					"body": {fmt.Sprintf("Đèn chiếu sáng hỏng ở ngõ %d phố Kim Mã, đề nghị sửa chữa sớm (%d).", n%500, n)},
					"name": {"Người Dân"}, "phone": {fmt.Sprintf("09%08d", n)}, "consent": {"1"}}
				req, _ := http.NewRequestWithContext(ctx, "POST", *base+"/phan-anh/gui", strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.%d", w, (i>>8)&255, i&255))
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					if ctx.Err() == nil {
						failed.Add(1)
					}
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusSeeOther {
					refused.Add(1)
					continue
				}
				loc := resp.Header.Get("Location")
				_, q, _ := strings.Cut(loc, "?ma=")
				code, _, _ := strings.Cut(q, "&")
				ok.Add(1)
				mu.Lock()
				lat = append(lat, time.Since(t0))
				if codes != nil {
					codes.WriteString(code + "\n")
				}
				mu.Unlock()
			}
		}(w)
	}
	wg.Wait()
	secs := time.Since(start).Seconds()
	var p50, p99 time.Duration
	if len(lat) > 0 {
		slices.Sort(lat)
		p50, p99 = lat[len(lat)/2], lat[len(lat)*99/100]
	}
	fmt.Printf("accepted %d in %.1f s = %.0f submissions/s (refused %d, failed %d); latency p50 %s, p99 %s\n",
		ok.Load(), secs, float64(ok.Load())/secs, refused.Load(), failed.Load(), p50.Round(time.Microsecond), p99.Round(time.Microsecond))
}
