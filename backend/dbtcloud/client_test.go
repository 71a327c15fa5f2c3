package dbtcloud_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/dbtcloud"
	"github.com/lineagedesk/lineagedesk/backend/dbtcloud/fakecloud"
)

func TestTokenOnlyInAuthorizationHeader(t *testing.T) {
	for _, tt := range []struct {
		name   string
		opts   []dbtcloud.Option
		scheme string
	}{
		{"token scheme", nil, "Token "},
		{"bearer scheme", []dbtcloud.Option{dbtcloud.WithBearer()}, "Bearer "},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fc := newFake(t)
			var logs bytes.Buffer
			logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			fc.Fail(fakecloud.RouteAccount, 1, fakecloud.Status(503)) // a retry is logged too
			c := newClient(t, fc, nil, append(tt.opts, dbtcloud.WithLogger(logger), dbtcloud.WithUserAgent("ld-test/1"))...)
			a, err := c.Account(t.Context(), acct)
			if err != nil {
				t.Fatal(err)
			}
			if a.ID != acct || a.Name != "Acme" {
				t.Errorf("account = %+v", a)
			}
			reqs := fc.Requests()
			if len(reqs) != 2 {
				t.Fatalf("%d requests, want 2 (one retry)", len(reqs))
			}
			for _, r := range reqs {
				if got := r.Header.Get("Authorization"); got != tt.scheme+fc.Token {
					t.Errorf("Authorization = %q", got)
				}
				if r.Header.Get("User-Agent") != "ld-test/1" || r.Header.Get("Accept") != "application/json" {
					t.Errorf("headers = %v", r.Header)
				}
				for k, vs := range r.Header {
					if k != "Authorization" && strings.Contains(strings.Join(vs, " "), fc.Token) {
						t.Errorf("token in header %s", k)
					}
				}
				if strings.Contains(r.Path, fc.Token) || strings.Contains(r.Query.Encode(), fc.Token) {
					t.Error("token in the URL")
				}
			}
			if logs.Len() == 0 {
				t.Fatal("nothing logged")
			}
			if strings.Contains(logs.String(), fc.Token) {
				t.Errorf("token in the log:\n%s", logs.String())
			}
		})
	}
}

func TestWrongTokenIsUnauthorized(t *testing.T) {
	fc := newFake(t)
	c, err := dbtcloud.NewClient(fc.URL, "wrong-token", dbtcloud.WithSleep((&waits{}).sleep))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Account(t.Context(), acct)
	wantCode(t, err, backend.EUNAUTHORIZED)
	if !errors.Is(err, dbtcloud.ErrUnauthorized) {
		t.Error("not errors.Is ErrUnauthorized")
	}
	var er *dbtcloud.ErrorResponse
	if !errors.As(err, &er) || er.StatusCode != 401 || er.Status.UserMessage != "Invalid token." {
		t.Errorf("ErrorResponse = %+v", er)
	}
	if len(fc.Requests()) != 1 {
		t.Errorf("401 was retried: %d requests", len(fc.Requests()))
	}
	if strings.Contains(err.Error(), "wrong-token") {
		t.Error("the error shows the token")
	}
}

// A server that echoes the Authorization header (a proxy, a host that is
// not dbt Cloud) does not get the token into messages, which are printed,
// shown and kept in the sync history.
func TestEchoedTokenIsBlanked(t *testing.T) {
	fc := newFake(t)
	fc.Fail(fakecloud.RouteAccount, -1, fakecloud.StatusMessage(401, "Invalid token: Token "+fc.Token+" ("+strings.ToUpper(fc.Token)+")"))
	c := newClient(t, fc, nil)
	_, err := c.Account(t.Context(), acct)
	wantCode(t, err, backend.EUNAUTHORIZED)
	var er *dbtcloud.ErrorResponse
	if !errors.As(err, &er) || strings.Contains(er.Status.UserMessage, fc.Token) || strings.Contains(err.Error(), fc.Token) {
		t.Fatalf("the echoed token is in the error: %v", err)
	}
	if strings.Contains(strings.ToLower(err.Error()), strings.ToLower(fc.Token)) {
		t.Fatalf("the echoed token, upper-cased, is in the error: %v", err)
	}
	if !strings.Contains(err.Error(), "Invalid token: Token [token] ([token])") {
		t.Errorf("what the server said is lost: %v", err)
	}
}

// A 200 whose fields echo the Authorization header fails to decode, and
// the decoding error, which quotes the value it could not read, does not
// carry the token either.
func TestEchoedTokenIsBlankedInDecodeErrors(t *testing.T) {
	fc := newFake(t)
	fc.Fail(fakecloud.RouteAccount, -1, fakecloud.EchoAuthorization())
	c := newClient(t, fc, nil)
	_, err := c.Account(t.Context(), acct)
	var de *dbtcloud.DecodeError
	if !errors.As(err, &de) {
		t.Fatalf("Account = %v, want a DecodeError", err)
	}
	if strings.Contains(strings.ToLower(err.Error()), strings.ToLower(fc.Token)) {
		t.Fatalf("the echoed token is in the error: %v", err)
	}
	if !strings.Contains(err.Error(), "[token]") {
		t.Errorf("what could not be read is lost: %v", err)
	}
}

// failingDial is a transport whose every dial fails with err.
type failingDial struct{ err error }

func (f failingDial) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, &net.OpError{Op: "dial", Net: "tcp", Err: f.err}
}

// Errors no retry can mend fail at once: an access URL whose host no DNS
// server knows. A server that stops sending, or refuses the connection,
// is tried twice, not five times: each try waits out the idle timeout.
func TestNoRetryForLastingFailures(t *testing.T) {
	w := &waits{}
	hc := &http.Client{Transport: failingDial{&net.DNSError{Err: "no such host", Name: "ab123.us1.dbt.com", IsNotFound: true}}}
	c, err := dbtcloud.NewClient("ab123.us1.dbt.com", "tok", dbtcloud.WithHTTPClient(hc), dbtcloud.WithSleep(w.sleep))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Account(t.Context(), acct)
	wantCode(t, err, backend.EUNAVAILABLE)
	if len(w.d) != 0 {
		t.Errorf("an unknown host was retried %d times", len(w.d))
	}

	// A port nothing listens on refuses: one more try, not four.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	l.Close()
	w = &waits{}
	c, err = dbtcloud.NewClient(closed, "tok", dbtcloud.WithSleep(w.sleep))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Account(t.Context(), acct)
	wantCode(t, err, backend.EUNAVAILABLE)
	if len(w.d) != 1 {
		t.Errorf("a refused connection was retried %d times, want once", len(w.d))
	}

	// An access URL without a scheme is taken for https; a local server
	// answering plain http is not retried, and the message says http://.
	plain := newFake(t)
	w = &waits{}
	c, err = dbtcloud.NewClient(strings.TrimPrefix(plain.URL, "http://"), "tok", dbtcloud.WithSleep(w.sleep))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Account(t.Context(), acct)
	wantCode(t, err, backend.EUNAVAILABLE)
	if len(w.d) != 0 || !strings.Contains(err.Error(), "answers plain http, not https") || !strings.Contains(err.Error(), "http://") {
		t.Errorf("a plain http server asked over https: %v, retried %d times", err, len(w.d))
	}

	fc := newFake(t)
	fc.AddArtifact(1002, 5, "manifest.json", fakecloud.FromBytes([]byte("{}")))
	fc.Fail(fakecloud.RouteArtifact, -1, fakecloud.Stall(0, 10*time.Second))
	c = newClient(t, fc, nil, dbtcloud.WithIdleTimeout(100*time.Millisecond))
	_, err = c.DownloadArtifact(t.Context(), acct, 1002, "manifest.json", 0, io.Discard)
	wantCode(t, err, backend.EUNAVAILABLE)
	if n := len(fc.RequestsTo(fakecloud.RouteArtifact)); n != 2 {
		t.Errorf("a stalling server was asked %d times, want 2", n)
	}
}

// A 401 from the shared host suggests the account's own access URL; the
// fake stands in for cloud.getdbt.com through a rewriting transport.
func TestUnauthorizedOnLegacyHostSuggestsAccessURL(t *testing.T) {
	fc := newFake(t)
	fc.Fail(fakecloud.RouteAny, -1, fakecloud.Status(401))
	target, _ := url.Parse(fc.URL)
	hc := &http.Client{Transport: hostRewrite{target}}
	for _, tt := range []struct {
		host, want string
	}{
		{"cloud.getdbt.com", "Access URLs"},
		{"ab123.us1.dbt.com", "wrong, expired or revoked"},
	} {
		c, err := dbtcloud.NewClient(tt.host, fc.Token, dbtcloud.WithHTTPClient(hc))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Account(t.Context(), acct)
		wantCode(t, err, backend.EUNAUTHORIZED)
		if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), tt.host) {
			t.Errorf("%s: message %q lacks %q", tt.host, err, tt.want)
		}
	}
}

// The retired shared host failing in any other way (a 404, no answer)
// says to move to the account's own access URL too: it is the likely
// cause, and the advice needs no answer from dbt Cloud.
func TestRetiredHostFailingSaysToMove(t *testing.T) {
	fc := newFake(t)
	fc.Fail(fakecloud.RouteAny, -1, fakecloud.Status(404))
	answering, _ := url.Parse(fc.URL)
	closed := httptest.NewServer(http.NotFoundHandler())
	silent, _ := url.Parse(closed.URL)
	closed.Close() // nothing listens there any more
	for _, tt := range []struct {
		name   string
		target *url.URL
		code   string
	}{{"404", answering, backend.ENOTFOUND}, {"no answer", silent, backend.EUNAVAILABLE}} {
		for _, host := range []string{"cloud.getdbt.com", "ab123.us1.dbt.com"} {
			c, err := dbtcloud.NewClient(host, fc.Token, dbtcloud.WithHTTPClient(&http.Client{Transport: hostRewrite{tt.target}}), dbtcloud.WithMaxRetries(0))
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Account(t.Context(), acct)
			wantCode(t, err, tt.code)
			if said := strings.Contains(err.Error(), "retired on November 1, 2026"); said != (host == "cloud.getdbt.com") {
				t.Errorf("%s, %s: %q says to move: %v", tt.name, host, err, said)
			}
		}
	}
}

func TestRetries(t *testing.T) {
	httpDate := time.Now().Add(30 * time.Second).UTC().Format(http.TimeFormat)
	tests := []struct {
		name      string
		faults    []fakecloud.Fault
		requests  int
		waitAtLst time.Duration // a recorded wait at least this long (Retry-After honoured)
	}{
		{"429 with Retry-After seconds", []fakecloud.Fault{fakecloud.RateLimited("7")}, 2, 7 * time.Second},
		{"429 with Retry-After date", []fakecloud.Fault{fakecloud.RateLimited(httpDate)}, 2, 20 * time.Second},
		// dbt Cloud sends none: the retries span its one-minute window.
		{"429 without Retry-After", []fakecloud.Fault{fakecloud.RateLimited(""), fakecloud.RateLimited("")}, 3, 15 * time.Second},
		{"500", []fakecloud.Fault{fakecloud.Status(500)}, 2, 0},
		{"502 then 504", []fakecloud.Fault{fakecloud.Status(502), fakecloud.Status(504)}, 3, 0},
		{"503 with Retry-After", []fakecloud.Fault{fakecloud.Status(503).WithRetryAfter("3")}, 2, 3 * time.Second},
		{"408", []fakecloud.Fault{fakecloud.Status(408)}, 2, 0},
		{"connection reset mid-body", []fakecloud.Fault{fakecloud.ResetAfter(40)}, 2, 0},
		{"truncated body", []fakecloud.Fault{fakecloud.TruncateAfter(40)}, 2, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fc := newFake(t)
			for _, f := range tt.faults {
				fc.Fail(fakecloud.RouteProjects, 1, f)
			}
			w := &waits{}
			c := newClient(t, fc, w)
			ps, err := c.Projects(t.Context(), acct)
			if err != nil {
				t.Fatal(err)
			}
			if len(ps) != 1 || ps[0].ID != projID {
				t.Errorf("projects = %+v", ps)
			}
			if got := len(fc.RequestsTo(fakecloud.RouteProjects)); got != tt.requests {
				t.Errorf("%d requests, want %d", got, tt.requests)
			}
			if got := w.all(); len(got) != tt.requests-1 {
				t.Errorf("waits = %v, want %d", got, tt.requests-1)
			} else if tt.waitAtLst > 0 && got[0] < tt.waitAtLst {
				t.Errorf("waited %v, want at least %v (Retry-After)", got[0], tt.waitAtLst)
			}
		})
	}
}

func TestNoRetry(t *testing.T) {
	tests := []struct {
		name  string
		fault fakecloud.Fault
		code  string
		is    error
	}{
		{"400", fakecloud.StatusMessage(400, "limit must be at most 100"), backend.EINVALID, nil},
		{"401", fakecloud.Status(401), backend.EUNAUTHORIZED, dbtcloud.ErrUnauthorized},
		{"403", fakecloud.Status(403), backend.EFORBIDDEN, dbtcloud.ErrForbidden},
		{"404", fakecloud.Status(404), backend.ENOTFOUND, dbtcloud.ErrNotFound},
		{"501", fakecloud.Status(501), backend.EUNAVAILABLE, dbtcloud.ErrServer},
		{"invalid JSON", fakecloud.InvalidJSON(), backend.EUNAVAILABLE, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fc := newFake(t)
			fc.Fail(fakecloud.RouteAccount, 1, tt.fault)
			c := newClient(t, fc, nil)
			_, err := c.Account(t.Context(), acct)
			wantCode(t, err, tt.code)
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(%v) false for %v", tt.is, err)
			}
			if n := len(fc.Requests()); n != 1 {
				t.Errorf("%d requests, want 1", n)
			}
		})
	}
	t.Run("403 names the permission", func(t *testing.T) {
		fc := newFake(t)
		fc.Fail(fakecloud.RouteAccount, 1, fakecloud.Status(403))
		_, err := newClient(t, fc, nil).Account(t.Context(), acct)
		if !strings.Contains(err.Error(), "Job Viewer or Read-only") || !strings.Contains(err.Error(), "personal access token") {
			t.Errorf("message %q does not name the permission", err)
		}
	})
	t.Run("invalid JSON is a DecodeError", func(t *testing.T) {
		fc := newFake(t)
		fc.Fail(fakecloud.RouteAccount, 1, fakecloud.InvalidJSON())
		_, err := newClient(t, fc, nil).Account(t.Context(), acct)
		var de *dbtcloud.DecodeError
		if !errors.As(err, &de) || !strings.Contains(err.Error(), "not dbt Cloud's JSON") {
			t.Errorf("err = %v", err)
		}
	})
}

func TestRetriesExhausted(t *testing.T) {
	t.Run("503 forever", func(t *testing.T) {
		fc := newFake(t)
		fc.Fail(fakecloud.RouteAccount, -1, fakecloud.Status(503))
		c := newClient(t, fc, nil, dbtcloud.WithMaxRetries(2))
		_, err := c.Account(t.Context(), acct)
		wantCode(t, err, backend.EUNAVAILABLE)
		if !errors.Is(err, dbtcloud.ErrServer) {
			t.Error("not ErrServer")
		}
		if n := len(fc.Requests()); n != 3 {
			t.Errorf("%d requests, want 3", n)
		}
	})
	t.Run("429 forever", func(t *testing.T) {
		fc := newFake(t)
		fc.Fail(fakecloud.RouteAccount, -1, fakecloud.RateLimited("2"))
		c := newClient(t, fc, nil, dbtcloud.WithMaxRetries(1))
		_, err := c.Account(t.Context(), acct)
		wantCode(t, err, backend.ERATELIMIT)
		var rl *dbtcloud.RateLimitError
		if !errors.As(err, &rl) || rl.RetryAfter != 2*time.Second {
			t.Fatalf("RateLimitError = %+v (err %v)", rl, err)
		}
		if !errors.Is(err, dbtcloud.ErrRateLimited) || !strings.Contains(err.Error(), "try again in 2s") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("an answer cut off every time", func(t *testing.T) {
		fc := newFake(t)
		fc.AddArtifact(1002, 5, "manifest.json", fakecloud.FromBytes([]byte(`{"metadata": {}, "nodes": {}}`)))
		fc.Fail(fakecloud.RouteArtifact, -1, fakecloud.TruncateAfter(10))
		c := newClient(t, fc, nil, dbtcloud.WithMaxRetries(1))
		_, err := c.DownloadArtifact(t.Context(), acct, 1002, "manifest.json", 0, io.Discard)
		wantCode(t, err, backend.EUNAVAILABLE)
		if !strings.Contains(err.Error(), "cut the answer off") || strings.Contains(err.Error(), "could not reach") {
			t.Errorf("err = %v, want it to say the answer was cut off", err)
		}
	})
	t.Run("Retry-After beyond the cap ends at once", func(t *testing.T) {
		fc := newFake(t)
		fc.Fail(fakecloud.RouteAccount, -1, fakecloud.RateLimited("300"))
		w := &waits{}
		c := newClient(t, fc, w, dbtcloud.WithMaxRetryWait(time.Minute))
		_, err := c.Account(t.Context(), acct)
		var rl *dbtcloud.RateLimitError
		if !errors.As(err, &rl) || rl.RetryAfter != 5*time.Minute {
			t.Fatalf("err = %v", err)
		}
		if len(w.all()) != 0 || len(fc.Requests()) != 1 {
			t.Errorf("waited %v over %d requests", w.all(), len(fc.Requests()))
		}
	})
}

func TestCancelDuringBackoff(t *testing.T) {
	fc := newFake(t)
	fc.Fail(fakecloud.RouteAccount, -1, fakecloud.Status(503))
	c, err := dbtcloud.NewClient(fc.URL, fc.Token, dbtcloud.WithBackoff(func(int) time.Duration { return time.Hour }))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err = c.Account(ctx, acct)
	if !errors.Is(err, context.Canceled) || backend.ErrorCode(err) != backend.ECANCELED {
		t.Fatalf("err = %v", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Error("the backoff sleep ignored the cancellation")
	}
}

func TestPaginationQuirks(t *testing.T) {
	tests := []struct {
		name   string
		paging fakecloud.Paging
	}{
		{"plain", fakecloud.Paging{}},
		{"short pages", fakecloud.Paging{MaxLimit: 3}},
		{"past the end repeats the last page", fakecloud.Paging{MaxLimit: 4, RepeatPastEnd: true, TotalCountDelta: 5}},
		{"total_count too high", fakecloud.Paging{TotalCountDelta: 50}},
		{"overlapping pages", fakecloud.Paging{MaxLimit: 4, Overlap: 2}},
		{"all quirks", fakecloud.Paging{MaxLimit: 3, Overlap: 1, RepeatPastEnd: true, TotalCountDelta: 7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fc := newFake(t)
			var want []int64
			for i := int64(1); i <= 11; i++ {
				fc.AddProject(fakecloud.Project{ID: 500 + i, AccountID: acct, Name: "p"})
			}
			want = append(want, projID)
			for i := int64(1); i <= 11; i++ {
				want = append(want, 500+i)
			}
			fc.SetPaging(fakecloud.RouteProjects, tt.paging)
			c := newClient(t, fc, nil, dbtcloud.WithPageSize(5))
			ps, err := c.Projects(t.Context(), acct)
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, p := range ps {
				got = append(got, p.ID)
			}
			if !slices.Equal(got, want) {
				t.Errorf("ids = %v, want %v", got, want)
			}
			if n := len(fc.Requests()); n > 12 {
				t.Errorf("%d requests for 12 items", n)
			}
		})
	}
}

func TestEmptyListAndNullArtifacts(t *testing.T) {
	fc := fakecloud.New(t)
	fc.AddAccount(fakecloud.Account{ID: acct, Name: "Empty"}).AddRun(fakecloud.Run{ID: 7, Status: 10, FinishedAt: base})
	c := newClient(t, fc, nil)
	ps, err := c.Projects(t.Context(), acct)
	if err != nil || len(ps) != 0 {
		t.Fatalf("projects = %v, %v", ps, err)
	}
	paths, err := c.RunArtifacts(t.Context(), acct, 7)
	if err != nil || len(paths) != 0 {
		t.Fatalf("artifacts = %v, %v", paths, err)
	}
}

func TestRunsQuery(t *testing.T) {
	fc := newFake(t)
	c := newClient(t, fc, nil)
	runs, err := c.Runs(t.Context(), acct, dbtcloud.RunListOptions{
		JobID: nightly, Statuses: []int{dbtcloud.StatusSuccess, dbtcloud.StatusError},
		Include: []string{dbtcloud.RelatedRunSteps, dbtcloud.RelatedJob}, Limit: 2,
	})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, r := range runs {
		ids = append(ids, r.ID)
	}
	// Finished newest first among success and error: 1003 (error, +1h), 1002.
	if !slices.Equal(ids, []int64{1003, 1002}) {
		t.Errorf("ids = %v", ids)
	}
	// The list carries the job, not the steps (dbt Cloud documents
	// run_steps on Retrieve Run only, and so does the fake).
	r := runs[1]
	if !r.FinishedAt.Equal(base) || r.JobDefinitionID != nightly || r.Job == nil || r.Job.Name != "Nightly" || len(r.RunSteps) != 0 {
		t.Errorf("run = %+v", r)
	}
	if one, err := c.Run(t.Context(), acct, 1002, dbtcloud.RelatedRunSteps); err != nil || len(one.RunSteps) != 6 {
		t.Errorf("run 1002 alone: %d steps (%v), want 6", len(one.RunSteps), err)
	}
	q := fc.RequestsTo(fakecloud.RouteRuns)[0].Query
	if q.Get("status__in") != "[10,20]" || q.Get("order_by") != "-finished_at" || q.Get("job_definition_id") != "100" ||
		q.Get("include_related") != `["run_steps","job"]` || q.Get("limit") != "2" {
		t.Errorf("query = %v", q)
	}

	running, err := c.Run(t.Context(), acct, 1004, dbtcloud.RelatedRunSteps, dbtcloud.RelatedTrigger)
	if err != nil {
		t.Fatal(err)
	}
	if running.Complete() || running.IsComplete || !running.FinishedAt.IsZero() || !running.InProgress || running.Trigger == nil {
		t.Errorf("in-progress run = %+v", running)
	}
	_, err = c.Run(t.Context(), acct, 999)
	wantCode(t, err, backend.ENOTFOUND)
	if !strings.Contains(err.Error(), "run id") {
		t.Errorf("404 message %q does not name the setting", err)
	}
}

func TestJobByID(t *testing.T) {
	fc := newFake(t)
	c := newClient(t, fc, nil)
	j, err := c.Job(t.Context(), acct, ciJob)
	if err != nil {
		t.Fatal(err)
	}
	if j.Name != "CI" || !j.IsCI() || j.EnvironmentID != prodEnv {
		t.Errorf("job = %+v", j)
	}
	_, err = c.Job(t.Context(), acct, 4242)
	wantCode(t, err, backend.ENOTFOUND)
}

// A deleted job is not listed: the lists ask for active objects (state=1),
// since dbt Cloud documents state as a filter without its default (the
// fake holds deleted jobs unless asked so).
func TestListsAskForActiveObjects(t *testing.T) {
	fc := newFake(t)
	fc.AddJob(fakecloud.Job{ID: 777, ProjectID: projID, EnvironmentID: prodEnv, Name: "Old docs", GenerateDocs: true, Deleted: true})
	c := newClient(t, fc, nil)
	jobs, err := c.Jobs(t.Context(), acct, dbtcloud.JobListOptions{ProjectID: projID})
	if err != nil {
		t.Fatal(err)
	}
	if slices.ContainsFunc(jobs, func(j *dbtcloud.Job) bool { return j.ID == 777 }) || len(jobs) != 3 {
		t.Errorf("jobs %v: want the 3 active ones", jobs)
	}
	if _, err := c.Projects(t.Context(), acct); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Environments(t.Context(), acct, projID); err != nil {
		t.Fatal(err)
	}
	for _, route := range []fakecloud.Route{fakecloud.RouteJobs, fakecloud.RouteProjects, fakecloud.RouteEnvironments} {
		reqs := fc.RequestsTo(route)
		if len(reqs) == 0 || reqs[0].Query.Get("state") != "1" {
			t.Errorf("%s asked without state=1: %v", route, reqs)
		}
	}
}

// A redirect to another port, scheme or host of the access URL is not
// followed with the token, nor retried: net/http resends Authorization to
// any port of the same host.
func TestTokenNotSentThroughARedirectElsewhere(t *testing.T) {
	var leaked atomic.Int32
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			leaked.Add(1)
		}
		http.Error(w, "{}", http.StatusUnauthorized)
	}))
	defer elsewhere.Close()
	var asked atomic.Int32
	access := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		// A host that echoes the token into the address: the message quotes it.
		http.Redirect(w, r, elsewhere.URL+r.URL.Path+"?t="+strings.TrimPrefix(r.Header.Get("Authorization"), "Token "), http.StatusFound)
	}))
	defer access.Close()
	c, err := dbtcloud.NewClient(access.URL, "dbtc_secret", dbtcloud.WithSleep((&waits{}).sleep))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Account(t.Context(), acct)
	wantCode(t, err, backend.EUNAVAILABLE)
	if !strings.Contains(err.Error(), "another address") || strings.Contains(err.Error(), "dbtc_secret") || !strings.Contains(err.Error(), "[token]") {
		t.Errorf("message %q, want the token blanked out", err)
	}
	if leaked.Load() != 0 || asked.Load() != 1 {
		t.Errorf("the other port got the token %d times; the access URL was asked %d times", leaked.Load(), asked.Load())
	}
}
