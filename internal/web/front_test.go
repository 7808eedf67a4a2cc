package web

import (
	"net/http"
	"net/netip"
	"testing"
)

func TestSplitHost(t *testing.T) {
	tests := []struct {
		in, host, port string
		ok             bool
	}{
		{"hanoi.localhost:8080", "hanoi.localhost", ":8080", true},
		{"Phuong-Ba-Dinh.Hanoi.Localhost.", "phuong-ba-dinh.hanoi.localhost", "", true},
		{"127.0.0.1:80", "127.0.0.1", ":80", true},
		{"[::1]:8080", "[::1]", ":8080", true},
		{"evil_host!", "", "", false},
		{"a..b", "", "", false},
	}
	for _, tt := range tests {
		h, p, ok := splitHost(tt.in)
		if ok != tt.ok || ok && (h != tt.host || p != tt.port) {
			t.Errorf("splitHost(%q) = %q %q %v", tt.in, h, p, ok)
		}
	}
}

func TestCleanPath(t *testing.T) {
	for in, want := range map[string]string{"": "/", "/": "/", "/a//b": "/a/b", "/a/../b/": "/b/", "/./x": "/x", "/don-vi/x/": "/don-vi/x/"} {
		if got := cleanPath(in); got != want {
			t.Errorf("cleanPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLocalPath(t *testing.T) {
	for in, want := range map[string]string{"/lien-he": "/lien-he", "//evil.example": "/", "https://evil.example": "/", "/\\evil": "/", "": "/", "/a\r\nSet-Cookie: x": "/"} {
		if got := localPath(in, "/"); got != want {
			t.Errorf("localPath(%q) = %q", in, got)
		}
	}
}

func TestClientAddr(t *testing.T) {
	s := &Server{cfg: Config{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}}}
	tests := []struct {
		peer, fwd, want string
	}{
		{"203.0.113.5:1234", "", "203.0.113.5"},
		{"203.0.113.5:1234", "1.2.3.4", "203.0.113.5"},                       // untrusted peer: header ignored
		{"10.0.0.2:1234", "198.51.100.7", "198.51.100.7"},                    // through the proxy
		{"10.0.0.2:1234", "6.6.6.6, 198.51.100.7, 10.0.0.9", "198.51.100.7"}, // spoofed first hop ignored
	}
	for _, tt := range tests {
		r, _ := http.NewRequest("GET", "/", nil)
		r.RemoteAddr = tt.peer
		if tt.fwd != "" {
			r.Header.Set("X-Forwarded-For", tt.fwd)
		}
		if got, _ := s.clientAddr(r); got != tt.want {
			t.Errorf("clientAddr(%s, %q) = %s, want %s", tt.peer, tt.fwd, got, tt.want)
		}
	}
}
