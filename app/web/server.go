// Package web serves Lineage Desk's UI and API to a browser on the loopback
// interface: the same embedded frontend the desktop window shows, and the
// same *app.App methods, dispatched by reflection so nothing is declared twice.
package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strings"
)

// cookieName carries the per-launch secret after the first page load.
const cookieName = "lineagedesk_session"

// Server is the HTTP adapter. Create it with NewServer, then Serve.
type Server struct {
	rpc    *rpc
	events *Broker
	assets fs.FS
	secret string
	log    *slog.Logger
	// allowedHosts are the Host header values we answer (the address we
	// bound); anything else is a DNS-rebinding attempt.
	allowedHosts map[string]bool
	handler      http.Handler
}

// NewServer prepares a server for api (normally *app.App) and the built
// frontend in assets. events receives the app's events for /api/events.
func NewServer(api any, assets fs.FS, events *Broker, log *slog.Logger) (*Server, error) {
	r, err := newRPC(api)
	if err != nil {
		return nil, err
	}
	secret, err := newSecret()
	if err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{rpc: r, events: events, assets: assets, secret: secret, log: log, allowedHosts: map[string]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/rpc/{method}", s.handleRPC)
	mux.HandleFunc("GET /api/events", s.handleEvents)
	mux.Handle("GET /", http.FileServerFS(assets))
	s.handler = s.guard(mux)
	return s, nil
}

func newSecret() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generate session secret: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// Listen binds addr, which must be a loopback address: the server is for
// the person at this machine only.
func (s *Server) Listen(addr string) (net.Listener, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("--addr %q: want HOST:PORT, e.g. 127.0.0.1:8484: %w", addr, err)
	}
	ip := net.ParseIP(host)
	if host == "localhost" {
		ip = net.IPv4(127, 0, 0, 1)
		addr = net.JoinHostPort("127.0.0.1", addr[strings.LastIndex(addr, ":")+1:])
	}
	if ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("--addr %q: serve binds loopback addresses only (127.0.0.1 or [::1]), so nobody else on the network can read your metadata", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	bound := ln.Addr().String()
	_, port, _ := net.SplitHostPort(bound)
	s.allowedHosts[bound] = true
	if ip.To4() != nil {
		s.allowedHosts["localhost:"+port] = true
	}
	return ln, nil
}

// URL is the address to open, with the per-launch secret.
func (s *Server) URL(ln net.Listener) string {
	return fmt.Sprintf("http://%s/?token=%s", ln.Addr().String(), s.secret)
}

// Serve answers requests on ln until it is closed.
func (s *Server) Serve(ln net.Listener) error {
	srv := &http.Server{Handler: s.handler, ReadHeaderTimeout: 10e9}
	return srv.Serve(ln)
}

// Secret is the per-launch secret (for tests and the printed URL).
func (s *Server) Secret() string { return s.secret }

// guard refuses requests with a foreign Host (DNS rebinding), a foreign
// Origin (another web page calling us from the user's browser), or without
// the secret. The first page load carries the secret as ?token= and gets it
// back as an HttpOnly SameSite=Strict cookie, which later requests send.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.allowedHosts[r.Host] {
			http.Error(w, "forbidden host", http.StatusForbidden)
			return
		}
		if origin := r.Header.Get("Origin"); origin != "" && !s.allowedHosts[strings.TrimPrefix(origin, "http://")] {
			http.Error(w, "forbidden origin", http.StatusForbidden)
			return
		}
		if site := r.Header.Get("Sec-Fetch-Site"); site == "cross-site" {
			http.Error(w, "forbidden cross-site request", http.StatusForbidden)
			return
		}
		if token := r.URL.Query().Get("token"); token != "" && s.validSecret(token) {
			http.SetCookie(w, &http.Cookie{Name: cookieName, Value: s.secret, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
			next.ServeHTTP(w, r)
			return
		}
		if c, err := r.Cookie(cookieName); err == nil && s.validSecret(c.Value) {
			next.ServeHTTP(w, r)
			return
		}
		if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") && s.validSecret(strings.TrimPrefix(h, "Bearer ")) {
			next.ServeHTTP(w, r)
			return
		}
		http.Error(w, "missing or wrong session secret: open the URL lineagedesk serve printed", http.StatusUnauthorized)
	})
}

func (s *Server) validSecret(v string) bool {
	return subtle.ConstantTimeCompare([]byte(v), []byte(s.secret)) == 1
}
