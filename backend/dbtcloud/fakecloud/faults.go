package fakecloud

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

type faultKind int

const (
	faultStatus faultKind = iota + 1
	faultReset
	faultTruncate
	faultInvalidJSON
	faultEchoAuthorization
	faultSlow
	faultStall
)

// Fault is one misbehaviour; build it with the functions below.
type Fault struct {
	kind       faultKind
	status     int
	retryAfter string
	message    string
	bytes      int
	delay      time.Duration
}

// Status answers with an error envelope and this status (401, 403, 404,
// 500, 502, 503, ...).
func Status(code int) Fault { return Fault{kind: faultStatus, status: code} }

// StatusMessage is Status with the envelope's user_message.
func StatusMessage(code int, message string) Fault {
	return Fault{kind: faultStatus, status: code, message: message}
}

// RateLimited answers 429; retryAfter is the Retry-After header value
// (seconds or an HTTP date), "" for none.
func RateLimited(retryAfter string) Fault {
	return Fault{kind: faultStatus, status: http.StatusTooManyRequests, retryAfter: retryAfter, message: "Too many requests"}
}

// WithRetryAfter adds a Retry-After header to a status fault (e.g. 503).
func (f Fault) WithRetryAfter(v string) Fault { f.retryAfter = v; return f }

// ResetAfter sends n bytes of the real body, then resets the connection.
func ResetAfter(n int) Fault { return Fault{kind: faultReset, bytes: n} }

// TruncateAfter declares the full length but sends only n bytes.
func TruncateAfter(n int) Fault { return Fault{kind: faultTruncate, bytes: n} }

// InvalidJSON answers 200 with a body that is not JSON (a login page).
func InvalidJSON() Fault { return Fault{kind: faultInvalidJSON} }

// EchoAuthorization answers 200 with the request's Authorization header
// in the fields dbt writes ids in, as an echo service or a misconfigured
// proxy at the access URL would.
func EchoAuthorization() Fault { return Fault{kind: faultEchoAuthorization} }

// Slow sends the real body in chunks of n bytes, pausing d between them.
func Slow(n int, d time.Duration) Fault { return Fault{kind: faultSlow, bytes: n, delay: d} }

// Stall sends n bytes, then nothing for d (or until the client gives up).
func Stall(n int, d time.Duration) Fault { return Fault{kind: faultStall, bytes: n, delay: d} }

type rule struct {
	route    Route
	contains string
	left     int // <0: forever
	fault    Fault
}

// Fail makes the next `times` requests to route misbehave (times < 0:
// every request). Faults queue in the order they were added.
func (s *Server) Fail(route Route, times int, f Fault) { s.FailPath(route, "", times, f) }

// FailPath is Fail for requests whose path contains a string, e.g. one
// artifact: FailPath(RouteArtifact, "catalog.json", 1, Status(404)).
func (s *Server) FailPath(route Route, contains string, times int, f Fault) {
	if times == 0 {
		times = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rules = append(s.rules, &rule{route: route, contains: contains, left: times, fault: f})
}

// takeFault consumes the first matching rule.
func (s *Server) takeFault(route Route, path string) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, r := range s.rules {
		if (r.route != RouteAny && r.route != route) || !strings.Contains(path, r.contains) {
			continue
		}
		f := r.fault
		if r.left > 0 {
			r.left--
			if r.left == 0 {
				s.rules = append(s.rules[:i], s.rules[i+1:]...)
			}
		}
		return &f
	}
	return nil
}

// reply is a response before it is written, so body faults can bend it.
type reply struct {
	status int
	header http.Header
	body   io.Reader
	length int64 // -1 when unknown
	closer io.Closer
}

func jsonReply(status int, body []byte) *reply {
	h := http.Header{"Content-Type": {"application/json"}}
	return &reply{status: status, header: h, body: bytes.NewReader(body), length: int64(len(body))}
}

// write sends rep, bent by a body fault if any.
func write(w http.ResponseWriter, r *http.Request, rep *reply, f *Fault) {
	if rep.closer != nil {
		defer rep.closer.Close()
	}
	for k, v := range rep.header {
		w.Header()[k] = v
	}
	if f == nil || rep.status >= 300 {
		if rep.length >= 0 {
			w.Header().Set("Content-Length", strconv.FormatInt(rep.length, 10))
		}
		w.WriteHeader(rep.status)
		_, _ = io.Copy(w, rep.body)
		return
	}
	flusher, _ := w.(http.Flusher)
	switch f.kind {
	case faultInvalidJSON:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, "<html><body>Sign in to continue</body></html>")
	case faultEchoAuthorization:
		auth, _ := json.Marshal(r.Header.Get("Authorization"))
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = fmt.Fprintf(w, `{"status": {"code": 200, "is_success": true}, "data": {"id": %s, "account_id": %s, "name": %s}}`, auth, auth, auth)
	case faultTruncate:
		length := rep.length
		if length < 0 {
			length = int64(f.bytes) + 1<<20
		}
		w.Header().Set("Content-Length", strconv.FormatInt(length, 10))
		w.WriteHeader(rep.status)
		_, _ = io.CopyN(w, rep.body, int64(f.bytes))
		// Returning with fewer bytes than declared makes the server drop
		// the connection: the client sees an unexpected EOF.
	case faultReset:
		w.WriteHeader(rep.status)
		_, _ = io.CopyN(w, rep.body, int64(f.bytes))
		if flusher != nil {
			flusher.Flush()
		}
		resetConnection(w)
	case faultSlow:
		if rep.length >= 0 {
			w.Header().Set("Content-Length", strconv.FormatInt(rep.length, 10))
		}
		w.WriteHeader(rep.status)
		for {
			n, err := io.CopyN(w, rep.body, int64(max(f.bytes, 1)))
			if flusher != nil {
				flusher.Flush()
			}
			if err != nil || n == 0 {
				return
			}
			select {
			case <-r.Context().Done():
				return
			case <-time.After(f.delay):
			}
		}
	case faultStall:
		if rep.length >= 0 {
			w.Header().Set("Content-Length", strconv.FormatInt(rep.length, 10))
		}
		w.WriteHeader(rep.status)
		_, _ = io.CopyN(w, rep.body, int64(f.bytes))
		if flusher != nil {
			flusher.Flush()
		}
		select {
		case <-r.Context().Done():
			return
		case <-time.After(f.delay):
		}
		_, _ = io.Copy(w, rep.body)
	}
}

// resetConnection closes the TCP connection with RST (linger 0), as a
// proxy or load balancer dropping the connection does.
func resetConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}

// statusReply renders a status fault as dbt Cloud does.
func statusReply(f *Fault) *reply {
	msg := f.message
	if msg == "" {
		switch f.status {
		case http.StatusUnauthorized:
			msg = "Invalid token."
		case http.StatusForbidden:
			msg = "You do not have permission to perform this action."
		case http.StatusNotFound:
			msg = "The requested resource was not found."
		default:
			msg = http.StatusText(f.status)
		}
	}
	rep := jsonReply(f.status, errorBody(f.status, msg))
	if f.retryAfter != "" {
		rep.header.Set("Retry-After", f.retryAfter)
	}
	return rep
}

func errorBody(status int, msg string) []byte {
	return fmt.Appendf(nil, `{"status":{"code":%d,"is_success":false,"user_message":%q,"developer_message":null},"data":null}`, status, msg)
}
