// Package dbtcloud is a client for the dbt Cloud Administrative API (v2 for
// jobs, runs and artifacts; v3 for projects and environments), shaped like
// well-kept Go API clients: context everywhere, one envelope decoder, typed
// errors, retries with backoff that honour Retry-After, and streamed
// artifact downloads with an idle timeout.
//
// API reference: https://docs.getdbt.com/dbt-cloud/api-v2 and
// https://docs.getdbt.com/dbt-cloud/api-v3.
package dbtcloud

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lineagedesk/lineagedesk/backend"
)

// Defaults. The connect timeout is short because a wrong host should fail
// fast; the idle timeout, not a total deadline, bounds artifact downloads,
// because manifests can be hundreds of MB on a slow link.
const (
	DefaultMaxRetries     = 4
	DefaultIdleTimeout    = 60 * time.Second
	DefaultRequestTimeout = 2 * time.Minute
	DefaultMaxRetryWait   = 5 * time.Minute
	DefaultPageSize       = 100 // the API's maximum since March 2023
	defaultUserAgent      = "lineagedesk-dbtcloud"
	connectTimeout        = 10 * time.Second
	maxJSONBody           = 64 << 20
)

// Client talks to one dbt Cloud access URL with one token.
type Client struct {
	accessURL      string // normalised, "https://host"
	base           *url.URL
	token          string
	tokenEcho      *regexp.Regexp // the token in any case, for withoutToken
	authScheme     string
	http           *http.Client
	userAgent      string
	logger         *slog.Logger
	backoff        func(attempt int) time.Duration
	sleep          func(ctx context.Context, d time.Duration) error
	maxRetries     int
	maxRetryWait   time.Duration
	idleTimeout    time.Duration
	requestTimeout time.Duration
	pageSize       int
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient replaces the HTTP client (its transport, proxies, TLS).
// The default has a 10 s connect timeout and no overall deadline.
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) { c.http = hc } }

// WithBackoff sets the wait before retry number attempt (1-based) when the
// server gave no Retry-After. Tests pass a function returning 0.
func WithBackoff(f func(attempt int) time.Duration) Option {
	return func(c *Client) { c.backoff = f }
}

// WithSleep replaces the context-aware sleep between retries; tests use it
// to record the waits (e.g. a honoured Retry-After) without waiting.
func WithSleep(f func(ctx context.Context, d time.Duration) error) Option {
	return func(c *Client) { c.sleep = f }
}

// WithMaxRetries sets how many times a failed request is retried (0: never).
func WithMaxRetries(n int) Option { return func(c *Client) { c.maxRetries = max(n, 0) } }

// WithMaxRetryWait caps a server-requested Retry-After: a longer one ends
// the retries with a *RateLimitError at once, so the caller can tell the
// user when to come back instead of hanging.
func WithMaxRetryWait(d time.Duration) Option { return func(c *Client) { c.maxRetryWait = d } }

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option { return func(c *Client) { c.userAgent = ua } }

// WithLogger logs each request (method, path, status, attempt, duration)
// at debug level and retries at warn level. The token is never logged.
func WithLogger(l *slog.Logger) Option { return func(c *Client) { c.logger = l } }

// WithBearer sends "Authorization: Bearer <token>" instead of "Token
// <token>"; dbt Cloud documents both as equivalent.
func WithBearer() Option { return func(c *Client) { c.authScheme = "Bearer" } }

// WithIdleTimeout fails a request when no byte of the answer arrives for d.
func WithIdleTimeout(d time.Duration) Option { return func(c *Client) { c.idleTimeout = d } }

// WithRequestTimeout bounds each attempt of a JSON request (not downloads).
func WithRequestTimeout(d time.Duration) Option { return func(c *Client) { c.requestTimeout = d } }

// WithPageSize sets the limit asked for on list endpoints (1..100).
func WithPageSize(n int) Option {
	return func(c *Client) { c.pageSize = min(max(n, 1), DefaultPageSize) }
}

// NewClient returns a client for the access URL (normalised with
// NormalizeAccessURL) and a service token or personal access token.
func NewClient(accessURL, token string, opts ...Option) (*Client, error) {
	base, err := NormalizeAccessURL(accessURL)
	if err != nil {
		return nil, err
	}
	token = strings.TrimSpace(token)
	// People paste the whole header value.
	for _, p := range []string{"Token ", "Bearer ", "token ", "bearer "} {
		token = strings.TrimSpace(strings.TrimPrefix(token, p))
	}
	if token == "" {
		return nil, backend.Errorf(backend.EINVALID, "dbt Cloud token is empty: paste a service token or personal access token (Account settings > Service tokens)")
	}
	if strings.ContainsAny(token, " \t\r\n") {
		return nil, backend.Errorf(backend.EINVALID, "dbt Cloud token contains spaces or line breaks: paste only the token")
	}
	if strings.ContainsFunc(token, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return nil, backend.Errorf(backend.EINVALID, "dbt Cloud token contains a control character: paste only the token")
	}
	// Tokens are ASCII; a zero-width space or a BOM from a rich-text paste
	// would be sent and refused as if the token were revoked.
	if i := strings.IndexFunc(token, func(r rune) bool { return r > 0x7e }); i >= 0 {
		what := "a byte that is not UTF-8"
		if r, size := utf8.DecodeRuneInString(token[i:]); r != utf8.RuneError || size > 1 {
			what = fmt.Sprintf("%U", r)
		}
		return nil, backend.Errorf(backend.EINVALID, "dbt Cloud token contains %s, which is no part of a token (pasted from a document?): paste only the token", what)
	}
	u, _ := url.Parse(base) // NormalizeAccessURL returned a parsable URL
	c := &Client{
		accessURL:      base,
		base:           u,
		token:          token,
		tokenEcho:      regexp.MustCompile("(?i)" + regexp.QuoteMeta(token)),
		authScheme:     "Token",
		userAgent:      defaultUserAgent,
		logger:         slog.New(slog.DiscardHandler),
		backoff:        ExponentialBackoff(time.Second, time.Minute),
		sleep:          sleepContext,
		maxRetries:     DefaultMaxRetries,
		maxRetryWait:   DefaultMaxRetryWait,
		idleTimeout:    DefaultIdleTimeout,
		requestTimeout: DefaultRequestTimeout,
		pageSize:       DefaultPageSize,
	}
	for _, opt := range opts {
		opt(c)
	}
	if c.http == nil {
		c.http = defaultHTTPClient()
	}
	return c, nil
}

// AccessURL is the normalised access URL the client talks to.
func (c *Client) AccessURL() string { return c.accessURL }

func defaultHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: connectTimeout, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = connectTimeout
	t.ResponseHeaderTimeout = DefaultRequestTimeout
	// No Client.Timeout: it would cut long artifact downloads; the idle
	// timeout and per-request timeouts bound them instead.
	return &http.Client{Transport: t, CheckRedirect: sameOrigin}
}

// sameOrigin follows redirects only within the access URL's scheme, host
// and port: net/http would resend the token to any port or scheme of the
// same host (an https -> http redirect would send it in the clear).
func sameOrigin(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	if first := via[0].URL; req.URL.Scheme != first.Scheme || req.URL.Host != first.Host {
		return fmt.Errorf("%w: %s://%s", errRedirectElsewhere, req.URL.Scheme, req.URL.Host)
	}
	return nil
}

// ExponentialBackoff returns base*2^(attempt-1), capped at max, with "equal
// jitter" (between half and all of it) so that clients retrying together
// spread out.
func ExponentialBackoff(base, maxWait time.Duration) func(attempt int) time.Duration {
	return func(attempt int) time.Duration {
		d := base << min(max(attempt-1, 0), 30)
		if d <= 0 || d > maxWait {
			d = maxWait
		}
		half := d / 2
		return half + rand.N(half+1)
	}
}

func sleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// newRequest builds a GET for path (relative to the access URL) and query.
func (c *Client) newRequest(ctx context.Context, path string, q url.Values, accept string) (*http.Request, error) {
	u := *c.base
	u.Path = strings.TrimSuffix(u.Path, "/") + "/" + path
	u.RawPath = ""
	if len(q) > 0 {
		u.RawQuery = q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", c.authScheme+" "+c.token)
	req.Header.Set("Accept", accept)
	req.Header.Set("User-Agent", c.userAgent)
	return req, nil
}

// idleTimer cancels an attempt when no byte arrives for the idle timeout.
type idleTimer struct {
	timer   *time.Timer
	d       time.Duration
	stalled chan struct{}
}

func startIdleTimer(d time.Duration, cancel context.CancelFunc) *idleTimer {
	it := &idleTimer{d: d, stalled: make(chan struct{})}
	it.timer = time.AfterFunc(d, func() {
		close(it.stalled)
		cancel()
	})
	return it
}

func (it *idleTimer) touch() { it.timer.Reset(it.d) }
func (it *idleTimer) stop()  { it.timer.Stop() }
func (it *idleTimer) fired() bool {
	select {
	case <-it.stalled:
		return true
	default:
		return false
	}
}

// idleReader resets the idle timer whenever bytes arrive: a slow but moving
// body is fine, a stalled one is cut.
type idleReader struct {
	r  io.Reader
	it *idleTimer
}

func (ir idleReader) Read(p []byte) (int, error) {
	n, err := ir.r.Read(p)
	if n > 0 {
		ir.it.touch()
	}
	return n, err
}
