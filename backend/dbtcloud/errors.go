package dbtcloud

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/lineagedesk/lineagedesk/backend"
)

// Kinds of API failure, for errors.Is. *ErrorResponse and *RateLimitError
// match them by HTTP status.
var (
	ErrUnauthorized = errors.New("dbt Cloud refused the token")
	ErrForbidden    = errors.New("dbt Cloud token lacks a permission")
	ErrNotFound     = errors.New("dbt Cloud resource not found")
	ErrRateLimited  = errors.New("dbt Cloud rate limit reached")
	ErrServer       = errors.New("dbt Cloud server error")
)

// Status is the envelope's status object.
type Status struct {
	Code             int    `json:"code"`
	IsSuccess        bool   `json:"is_success"`
	UserMessage      string `json:"user_message"`
	DeveloperMessage string `json:"developer_message"`
}

// ErrorResponse is a non-2xx answer from the API.
type ErrorResponse struct {
	Method     string
	URL        string // without credentials; the token only ever travels in a header
	StatusCode int
	Status     Status        // the envelope's status, when the body had one
	RetryAfter time.Duration // from Retry-After, when the server sent it
	// RetryAfterSent: the server said when to retry (RetryAfter 0: now).
	RetryAfterSent bool
}

func (e *ErrorResponse) Error() string {
	msg := e.Status.UserMessage
	if msg == "" {
		msg = http.StatusText(e.StatusCode)
	}
	return fmt.Sprintf("%s %s: %d %s", e.Method, e.URL, e.StatusCode, msg)
}

// Is makes errors.Is(err, ErrNotFound) and friends work.
func (e *ErrorResponse) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrServer:
		return e.StatusCode >= 500
	}
	return false
}

// RateLimitError is a 429 that retries did not get past.
type RateLimitError struct {
	RetryAfter time.Duration // 0 when the server did not say
	Response   *ErrorResponse
}

func (e *RateLimitError) Error() string {
	if e.RetryAfter > 0 {
		return fmt.Sprintf("%v (retry after %s)", e.Response, e.RetryAfter)
	}
	return e.Response.Error()
}

func (e *RateLimitError) Is(target error) bool { return target == ErrRateLimited }
func (e *RateLimitError) Unwrap() error        { return e.Response }

// TransportError is a failure to reach the server or to read its answer:
// refused or reset connections, timeouts, a body that stalled or ended early.
type TransportError struct {
	Method, URL string
	Err         error
}

func (e *TransportError) Error() string { return fmt.Sprintf("%s %s: %v", e.Method, e.URL, e.Err) }
func (e *TransportError) Unwrap() error { return e.Err }

// DecodeError is a 2xx answer whose body was not the JSON expected.
type DecodeError struct {
	URL string
	Err error
}

func (e *DecodeError) Error() string { return fmt.Sprintf("decode %s: %v", e.URL, e.Err) }
func (e *DecodeError) Unwrap() error { return e.Err }

// plainHTTP reports whether err is net/http's for an https request that
// got a plain http answer (an access URL without a scheme, taken for
// https, of a local server). net/http gives it no type of its own.
func plainHTTP(err error) bool {
	return err != nil && strings.Contains(err.Error(), "server gave HTTP response to HTTPS client")
}

// errStalled is the cause of a TransportError when no byte arrived for the
// idle timeout.
var errStalled = errors.New("no data received within the idle timeout")

// errRedirectElsewhere is the cause of a TransportError when the access URL
// answered with a redirect to another scheme, host or port.
var errRedirectElsewhere = errors.New("redirected to another address")

// redirectTarget is the address in an errRedirectElsewhere ("" if none).
func redirectTarget(err error) string {
	_, target, _ := strings.Cut(err.Error(), errRedirectElsewhere.Error()+": ")
	return target
}

// resource says what a call was reading, for messages: "account 12", and
// which connection setting names it, "account id".
type resource struct {
	what    string
	setting string
	// notFound, when set, replaces the generic advice for a 404.
	notFound string
}

// userError turns an API error into a *backend.Error that says what to do,
// keeping err in the chain for errors.Is/As. Cancellation passes through.
// At a retired shared region host (cloud.getdbt.com), whatever went wrong
// but the token or the rate says to move to the account's own access URL:
// a retired host rarely answers as dbt Cloud did.
func (c *Client) userError(r resource, err error) error {
	out := c.describeError(r, err)
	var be *backend.Error
	if w := LegacyHostWarning(c.accessURL); w != "" && errors.As(out, &be) {
		switch be.Code {
		case backend.EUNAUTHORIZED, backend.ERATELIMIT, backend.EFORBIDDEN:
		default:
			be.Message += ". " + w
		}
	}
	return out
}

func (c *Client) describeError(r resource, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: %w", r.what, err)
	}
	host := c.accessURL
	var rl *RateLimitError
	var er *ErrorResponse
	var te *TransportError
	var de *DecodeError
	switch {
	case errors.As(err, &rl):
		wait := "a minute (dbt Cloud allows 5,000 requests a minute per account)"
		if rl.RetryAfter > 0 {
			wait = rl.RetryAfter.Round(time.Second).String()
		}
		return &backend.Error{Code: backend.ERATELIMIT, Err: err,
			Message: fmt.Sprintf("dbt Cloud rate limit reached while reading %s: try again in %s", r.what, wait)}
	case errors.As(err, &er):
		return &backend.Error{Code: codeFor(er.StatusCode), Err: err, Message: statusMessage(host, r, er)}
	case errors.As(err, &te):
		what := "could not reach dbt Cloud at " + host
		switch {
		case errors.Is(te.Err, errStalled):
			what = "dbt Cloud at " + host + " stopped sending data"
		case errors.Is(te.Err, io.ErrUnexpectedEOF) || errors.Is(te.Err, syscall.ECONNRESET):
			what = "dbt Cloud at " + host + " cut the answer off"
		case plainHTTP(te.Err):
			return &backend.Error{Code: backend.EUNAVAILABLE, Err: err,
				Message: fmt.Sprintf("%s answers plain http, not https, while reading %s: dbt Cloud is https; for a local proxy or test server write the access URL with http:// (taken for 127.0.0.1 and localhost only)", host, r.what)}
		}
		if errors.Is(te.Err, errRedirectElsewhere) {
			return &backend.Error{Code: backend.EUNAVAILABLE, Err: err,
				Message: fmt.Sprintf("dbt Cloud at %s sent the request for %s to another address (%s); the token is only sent to the access URL: set the access URL to your account's own (Account settings > Access URLs)", host, r.what, redirectTarget(te.Err))}
		}
		return &backend.Error{Code: backend.EUNAVAILABLE, Err: err,
			Message: fmt.Sprintf("%s while reading %s: check the access URL, the network and any proxy, then try again", what, r.what)}
	case errors.As(err, &de):
		return &backend.Error{Code: backend.EUNAVAILABLE, Err: err,
			Message: fmt.Sprintf("%s answered with something that is not dbt Cloud's JSON while reading %s: check that the access URL is the dbt Cloud API and not a proxy or login page", host, r.what)}
	}
	return fmt.Errorf("%s: %w", r.what, err)
}

func codeFor(status int) string {
	switch {
	case status == http.StatusUnauthorized:
		return backend.EUNAUTHORIZED
	case status == http.StatusForbidden:
		return backend.EFORBIDDEN
	case status == http.StatusNotFound:
		return backend.ENOTFOUND
	case status == http.StatusTooManyRequests:
		return backend.ERATELIMIT
	case status == http.StatusRequestTimeout || status >= 500:
		return backend.EUNAVAILABLE
	}
	return backend.EINVALID
}

func statusMessage(host string, r resource, er *ErrorResponse) string {
	said := er.Status.UserMessage
	if said == "" {
		said = http.StatusText(er.StatusCode)
	}
	switch er.StatusCode {
	case http.StatusUnauthorized:
		if IsLegacyHost(host) {
			return fmt.Sprintf("dbt Cloud at %s refused the token (401 %s) while reading %s: accounts on cell hosts only accept tokens at their own access URL; copy it from Account settings > Access URLs (e.g. https://ab123.us1.dbt.com) into the access URL setting. If the access URL is right, the token is wrong, expired or revoked: create a new service token", host, said, r.what)
		}
		return fmt.Sprintf("dbt Cloud at %s refused the token (401 %s) while reading %s: the token is wrong, expired or revoked, or belongs to another access URL; create a new service token (Account settings > Service tokens) or personal access token and save it in the connection", host, said, r.what)
	case http.StatusForbidden:
		return fmt.Sprintf("the token may not read %s (403 %s): give the service token the Job Viewer or Read-only permission set on this project (Enterprise), or use a personal access token of a user who can see it (Starter and Developer plans, whose service tokens hold Semantic Layer permissions only)", r.what, said)
	case http.StatusNotFound:
		hint := "dbt Cloud also answers 404 when the token cannot see it"
		if r.notFound != "" {
			hint = r.notFound
		} else if r.setting != "" {
			hint = fmt.Sprintf("check the %s setting (%s)", r.setting, hint)
		}
		return fmt.Sprintf("not found at %s (404 %s): %s; %s", host, said, r.what, hint)
	case http.StatusTooManyRequests:
		return fmt.Sprintf("dbt Cloud rate limit reached while reading %s: try again in a minute (dbt Cloud allows 5,000 requests a minute per account)", r.what)
	}
	if er.StatusCode == http.StatusRequestTimeout || er.StatusCode >= 500 {
		return fmt.Sprintf("dbt Cloud failed while reading %s (%d %s), also after retrying: try again later; https://status.getdbt.com lists outages", r.what, er.StatusCode, said)
	}
	return fmt.Sprintf("dbt Cloud rejected the request for %s (%d %s)", r.what, er.StatusCode, said)
}

// redactURL drops user info from a URL for messages; the token never is in
// a URL, but a pasted access URL might carry credentials.
func redactURL(u *url.URL) string {
	c := *u
	c.User = nil
	return c.String()
}
