package dbtcloud

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// retryableStatus lists the statuses worth another try: timeouts, rate
// limits and gateway or server trouble. 501 and other 4xx never change.
var retryableStatus = map[int]bool{
	http.StatusRequestTimeout:      true,
	http.StatusTooManyRequests:     true,
	http.StatusInternalServerError: true,
	http.StatusBadGateway:          true,
	http.StatusServiceUnavailable:  true,
	http.StatusGatewayTimeout:      true,
}

// finalError marks an error that must not be retried even though its kind
// usually is (a download whose writer cannot be rewound).
type finalError struct{ err error }

func (e finalError) Error() string { return e.err.Error() }
func (e finalError) Unwrap() error { return e.err }

// withRetries runs try until it succeeds, fails for good, runs out of
// retries or ctx ends. Waits honour Retry-After, else the backoff.
func (c *Client) withRetries(ctx context.Context, path string, try func() error) error {
	for attempt := 0; ; attempt++ {
		err := try()
		if err == nil {
			return nil
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		wait, retry := c.retryDecision(err, attempt)
		if !retry {
			return finalize(err)
		}
		c.logger.Warn("dbtcloud retry", "path", path, "attempt", attempt+1, "wait", wait, "error", err.Error())
		if err := c.sleep(ctx, wait); err != nil {
			return err
		}
	}
}

// rateLimitPause is the least wait after a 429 without Retry-After: with
// DefaultMaxRetries retries they outlast dbt Cloud's one-minute window
// (5,000 requests a minute per account).
const rateLimitPause = 15 * time.Second

func (c *Client) retryDecision(err error, attempt int) (time.Duration, bool) {
	var fe finalError
	if errors.As(err, &fe) || attempt >= c.maxRetries {
		return 0, false
	}
	var er *ErrorResponse
	if errors.As(err, &er) {
		if !retryableStatus[er.StatusCode] {
			return 0, false
		}
		if er.RetryAfterSent {
			return er.RetryAfter, er.RetryAfter <= c.maxRetryWait
		}
		if er.StatusCode == http.StatusTooManyRequests {
			// dbt Cloud counts requests a minute and sends no Retry-After:
			// the retries span a minute (QA: they gave up after ~15 s).
			return max(c.backoff(attempt+1), rateLimitPause), true
		}
		return c.backoff(attempt + 1), true
	}
	var te *TransportError
	if errors.As(err, &te) {
		// A name no DNS server knows stays unknown: say so at once.
		var dns *net.DNSError
		if errors.As(te.Err, &dns) && dns.IsNotFound || errors.Is(te.Err, errRedirectElsewhere) || plainHTTP(te.Err) {
			return 0, false
		}
		// A server that stopped sending gets one more try, not four: each
		// waits out the idle timeout (a minute), and the user waits for all.
		if errors.Is(te.Err, errStalled) && attempt >= 1 {
			return 0, false
		}
		// So does a host that refuses the connection: nothing listens there
		// (a wrong port, a proxy not running), which four tries over seven
		// seconds only made a connection test wait for.
		if errors.Is(te.Err, syscall.ECONNREFUSED) && attempt >= 1 {
			return 0, false
		}
		return c.backoff(attempt + 1), true
	}
	return 0, false
}

// finalize turns a last 429 into a *RateLimitError and drops finalError.
func finalize(err error) error {
	var fe finalError
	if errors.As(err, &fe) {
		err = fe.err
	}
	var er *ErrorResponse
	if errors.As(err, &er) && er.StatusCode == http.StatusTooManyRequests {
		return &RateLimitError{RetryAfter: er.RetryAfter, Response: er}
	}
	return err
}

// envelope is every JSON answer's wrapper. Data points at the caller's
// value so the body is decoded once.
type envelope struct {
	Data   any    `json:"data"`
	Status Status `json:"status"`
	Extra  struct {
		Pagination *Pagination `json:"pagination"`
	} `json:"extra"`
}

// Pagination is extra.pagination of list answers: Count items in this page,
// TotalCount matching in all.
type Pagination struct {
	Count      int `json:"count"`
	TotalCount int `json:"total_count"`
}

// getJSON fetches path and decodes the envelope's data into a fresh T.
func getJSON[T any](ctx context.Context, c *Client, path string, q url.Values) (T, *Pagination, error) {
	var (
		out  T
		page *Pagination
	)
	err := c.withRetries(ctx, path, func() error {
		var v T
		p, err := c.getJSONOnce(ctx, path, q, &v)
		if err == nil {
			out, page = v, p
		}
		return err
	})
	return out, page, err
}

func (c *Client) getJSONOnce(ctx context.Context, path string, q url.Values, v any) (*Pagination, error) {
	actx, cancel := context.WithTimeout(ctx, c.requestTimeout)
	defer cancel()
	it := startIdleTimer(c.idleTimeout, cancel)
	defer it.stop()
	req, err := c.newRequest(actx, path, q, "application/json")
	if err != nil {
		return nil, err
	}
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, c.transportError(ctx, actx, it, req, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(idleReader{resp.Body, it}, maxJSONBody+1))
	c.logger.Debug("dbtcloud request", "method", req.Method, "url", redactURL(req.URL), "status", resp.StatusCode, "bytes", len(body), "elapsed", time.Since(start))
	if err != nil {
		return nil, c.transportError(ctx, actx, it, req, err)
	}
	if resp.StatusCode >= 300 {
		return nil, c.newErrorResponse(req, resp, body)
	}
	if len(body) > maxJSONBody {
		return nil, &DecodeError{URL: redactURL(req.URL), Err: fmt.Errorf("answer larger than %d MB", maxJSONBody>>20)}
	}
	env := envelope{Data: v}
	if err := json.Unmarshal(body, &env); err != nil {
		// A decoding error quotes the value it could not read, which an echo
		// of the Authorization header makes the token.
		return nil, &DecodeError{URL: redactURL(req.URL), Err: tokenless{err, c.tokenEcho}}
	}
	// Some gateways answer 200 with a failed status in the envelope.
	if env.Status.Code >= 400 {
		return nil, &ErrorResponse{Method: req.Method, URL: redactURL(req.URL), StatusCode: env.Status.Code, Status: c.withoutToken(env.Status)}
	}
	return env.Extra.Pagination, nil
}

// transportError classifies a failed round trip or body read. When the
// caller's ctx ended, that is the error; an idle cut or a per-attempt
// timeout is a retryable transport error.
func (c *Client) transportError(ctx, actx context.Context, it *idleTimer, req *http.Request, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if it.fired() {
		err = fmt.Errorf("%w (%s)", errStalled, c.idleTimeout)
	} else if actx.Err() != nil {
		// Not wrapped: to callers, context.DeadlineExceeded means their
		// own deadline passed, not that one attempt took too long.
		err = fmt.Errorf("no complete answer within %s", c.requestTimeout)
	}
	return &TransportError{Method: req.Method, URL: redactURL(req.URL), Err: tokenless{err, c.tokenEcho}}
}

// tokenless blanks the token out of an error's text: a host may redirect to
// an address that carries it, which net/http quotes, and these messages are
// printed, shown and kept in the sync history. errors.Is and As still see
// the error.
type tokenless struct {
	err  error
	echo *regexp.Regexp
}

func (t tokenless) Error() string { return t.echo.ReplaceAllLiteralString(t.err.Error(), "[token]") }
func (t tokenless) Unwrap() error { return t.err }

func (c *Client) newErrorResponse(req *http.Request, resp *http.Response, body []byte) *ErrorResponse {
	er := &ErrorResponse{
		Method:     req.Method,
		URL:        redactURL(req.URL),
		StatusCode: resp.StatusCode,
	}
	er.RetryAfter, er.RetryAfterSent = parseRetryAfter(resp.Header, time.Now())
	// Error bodies are usually the envelope, sometimes without is_success,
	// sometimes an HTML page from a gateway: take what parses.
	var env struct {
		Status Status `json:"status"`
	}
	if json.Unmarshal(body, &env) == nil {
		er.Status = c.withoutToken(env.Status)
	}
	return er
}

// withoutToken blanks the token out of what the server said: a proxy or a
// host that is not dbt Cloud may echo the Authorization header, and these
// messages are printed, shown and kept in the sync history.
func (c *Client) withoutToken(s Status) Status {
	s.UserMessage = c.tokenEcho.ReplaceAllLiteralString(s.UserMessage, "[token]")
	s.DeveloperMessage = c.tokenEcho.ReplaceAllLiteralString(s.DeveloperMessage, "[token]")
	return s
}

// parseRetryAfter reads Retry-After (seconds or an HTTP date) and dbt's
// x-rate-limit-retry-after-seconds; sent is false when absent or
// unparsable ("0" is sent: retry at once).
func parseRetryAfter(h http.Header, now time.Time) (wait time.Duration, sent bool) {
	for _, name := range []string{"Retry-After", "X-Rate-Limit-Retry-After-Seconds"} {
		v := strings.TrimSpace(h.Get(name))
		if v == "" {
			continue
		}
		if secs, err := strconv.ParseFloat(v, 64); err == nil && secs >= 0 {
			return time.Duration(secs * float64(time.Second)), true
		}
		if t, err := http.ParseTime(v); err == nil {
			return max(t.Sub(now), 0), true
		}
	}
	return 0, false
}

// maxPages guards against a server that keeps inventing new ids.
const maxPages = 10000

// listAll walks an offset-paginated list. It survives the API's quirks:
// pages shorter than asked (a server-side cap) while total_count says more,
// rows repeated across pages (rows shift, or a page past the end repeats
// the last one), a total_count that is too high, and an empty page. Items
// are de-duplicated by id. want > 0 stops after that many items.
func listAll[T any](ctx context.Context, c *Client, path string, q url.Values, id func(T) int64, want int) ([]T, error) {
	q = cloneValues(q)
	seen := map[int64]bool{}
	var out []T
	offset := 0
	for range maxPages {
		limit := c.pageSize
		if want > 0 {
			limit = min(limit, want-len(out))
		}
		q.Set("limit", strconv.Itoa(limit))
		q.Set("offset", strconv.Itoa(offset))
		items, page, err := getJSON[[]T](ctx, c, path, q)
		if err != nil {
			return out, err
		}
		added := 0
		for _, item := range items {
			k := id(item)
			if seen[k] {
				continue
			}
			seen[k] = true
			out = append(out, item)
			added++
		}
		offset += len(items)
		switch {
		case want > 0 && len(out) >= want:
			return out[:want], nil
		case len(items) == 0, added == 0:
			return out, nil
		// Compare what was collected, not the offset: when rows shift
		// between requests, offset can pass total_count with rows unseen.
		case page != nil && len(seen) >= page.TotalCount:
			return out, nil
		case page == nil && len(items) < limit:
			return out, nil
		}
	}
	return out, nil
}

func cloneValues(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	return out
}
