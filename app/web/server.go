// Package web serves Lineage Desk's UI and API to a browser on the loopback
// interface: the same embedded frontend the desktop window shows, and the
// same *app.App methods, dispatched by reflection so nothing is declared twice.
package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/lineagedesk/lineagedesk/backend"
)

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
	// The API's other addresses are no files: not the file server's 404.
	mux.HandleFunc("GET /api/", func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, backend.Errorf(backend.ENOTFOUND, "no such API address: the API is POST /api/rpc/METHOD and GET /api/events"))
	})
	mux.Handle("GET /", noListings(http.FileServerFS(assets)))
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
		return nil, backend.Errorf(backend.EINVALID, "--addr %q: want HOST:PORT, e.g. 127.0.0.1:8484: %v", addr, err)
	}
	ip := net.ParseIP(host)
	if host == "localhost" {
		ip = net.IPv4(127, 0, 0, 1)
		addr = net.JoinHostPort("127.0.0.1", addr[strings.LastIndex(addr, ":")+1:])
	}
	if ip == nil || !ip.IsLoopback() {
		return nil, backend.Errorf(backend.EINVALID, "--addr %q: serve binds loopback addresses only (127.0.0.1 or [::1]), so nobody else on the network can read your metadata", addr)
	}
	ln, err := net.Listen("tcp", addr)
	switch {
	case errors.Is(err, syscall.EADDRINUSE):
		return nil, &backend.Error{Code: backend.ECONFLICT, Err: err,
			Message: fmt.Sprintf("--addr %s: another program (or another serve) listens there already: give another port (:0 takes a free one)", addr)}
	case errors.Is(err, syscall.EACCES):
		return nil, &backend.Error{Code: backend.EINVALID, Err: err,
			Message: fmt.Sprintf("--addr %s: ports below 1024 need root: give a port from 1024 up (:0 takes a free one)", addr)}
	case err != nil:
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	bound := ln.Addr().String()
	_, port, _ := net.SplitHostPort(bound)
	// "localhost" names this machine whichever loopback family is bound (a
	// rebinding attack needs a name of the attacker's).
	s.allowedHosts[bound] = true
	s.allowedHosts["localhost:"+port] = true
	return ln, nil
}

// URL is the address to open, with the per-launch secret.
func (s *Server) URL(ln net.Listener) string {
	return fmt.Sprintf("http://%s/?token=%s", ln.Addr().String(), s.secret)
}

// Serve answers requests on ln until it is closed.
func (s *Server) Serve(ln net.Listener) error {
	// A connection left idle is closed after two minutes: without it,
	// any local process could hold connections open until the server ran
	// out of file descriptors. No write timeout: a big picture or export
	// takes as long as it takes, and the events stream stays open.
	srv := &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	return srv.Serve(ln)
}

// Secret is the per-launch secret (for tests and the printed URL).
func (s *Server) Secret() string { return s.secret }

// guard refuses requests with a foreign Host (DNS rebinding), a foreign
// Origin (another web page calling us from the user's browser) or from a
// cross-site page, and API calls without the secret. The frontend keeps the
// secret from the printed URL's ?token= in its origin's storage and sends it
// as a Bearer header (the event stream, which cannot set headers, as
// ?token=). Not a cookie: a browser sends 127.0.0.1's cookies to every port,
// so any other local server the user visits would receive it. The page and
// its scripts are the public frontend and need no secret; no other site may
// frame them.
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
		api := strings.HasPrefix(r.URL.Path, "/api/")
		// A cross-site page may send the user here (serve --open's file://
		// page, a link in a chat), but may not call the API or load parts.
		navigation := r.Method == http.MethodGet && r.Header.Get("Sec-Fetch-Mode") == "navigate" && !api
		if site := r.Header.Get("Sec-Fetch-Site"); site == "cross-site" && !navigation {
			http.Error(w, "forbidden cross-site request", http.StatusForbidden)
			return
		}
		// An address carrying a wrong secret is not served: the page would
		// keep it, replacing the right one (any local page can send the
		// browser to ?token=whatever).
		if !api && !s.addressSecretValid(r.URL.RawQuery) {
			http.Error(w, "wrong session secret in the address: open the URL lineagedesk serve printed", http.StatusUnauthorized)
			return
		}
		h := w.Header()
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", "frame-ancestors 'none'")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Content-Type-Options", "nosniff")
		if !api {
			if r.URL.Path == "/" || r.URL.Path == "/index.html" {
				// The first load's address holds the secret: keep it out of
				// the browser's cache (the hashed assets may stay).
				h.Set("Cache-Control", "no-store")
			}
			next.ServeHTTP(w, r)
			return
		}
		h.Set("Cache-Control", "no-store")
		if auth := r.Header.Get("Authorization"); strings.HasPrefix(auth, "Bearer ") && s.validSecret(strings.TrimPrefix(auth, "Bearer ")) {
			next.ServeHTTP(w, r)
			return
		}
		if r.URL.Path == "/api/events" && s.validSecret(r.URL.Query().Get("token")) {
			next.ServeHTTP(w, r)
			return
		}
		http.Error(w, "missing or wrong session secret: open the URL lineagedesk serve printed", http.StatusUnauthorized)
	})
}

// addressSecretValid reports whether every token= in a raw query is the
// secret. It reads the query as the page's URLSearchParams does (pairs
// split on '&' only, no strict unescaping): net/http's parser drops pairs
// with ';' or a bad escape, which the page would still read and keep.
func (s *Server) addressSecretValid(rawQuery string) bool {
	for _, pair := range strings.Split(rawQuery, "&") {
		key, value, _ := strings.Cut(pair, "=")
		if k, err := url.QueryUnescape(key); (err == nil && k == "token" || key == "token") && !s.validSecret(value) {
			return false
		}
	}
	return true
}

// noListings answers a folder's address with 404 instead of its listing.
func noListings(files http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" && strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r)
			return
		}
		files.ServeHTTP(w, r)
	})
}

func (s *Server) validSecret(v string) bool {
	return subtle.ConstantTimeCompare([]byte(v), []byte(s.secret)) == 1
}
