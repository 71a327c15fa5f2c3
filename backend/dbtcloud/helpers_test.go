package dbtcloud_test

import (
	"context"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/dbtcloud"
	"github.com/lineagedesk/lineagedesk/backend/dbtcloud/fakecloud"
)

const (
	acct      int64 = 1
	projID    int64 = 10
	prodEnv   int64 = 20
	devEnv    int64 = 21
	nightly   int64 = 100
	ciJob     int64 = 101
	hourly    int64 = 102
	fixtureDS       = "../../testdata/fixtures/bouncer-build-v12-dbt1.11-duckdb"
)

var base = time.Date(2026, 11, 20, 3, 12, 0, 0, time.UTC)

// newFake declares one account with a project, a production and a
// development environment, a nightly docs job, a CI job and an hourly job
// without docs, and a handful of runs of the nightly job.
func newFake(t *testing.T) *fakecloud.Server {
	t.Helper()
	fc := fakecloud.New(t)
	fc.AddAccount(fakecloud.Account{ID: acct, Name: "Acme"}).
		AddProject(fakecloud.Project{ID: projID, AccountID: acct, Name: "analytics"}).
		AddEnvironment(fakecloud.Environment{ID: prodEnv, ProjectID: projID, Name: "Production", Type: "deployment", DeploymentType: "production"}).
		AddEnvironment(fakecloud.Environment{ID: devEnv, ProjectID: projID, Name: "Development", Type: "development"}).
		AddJob(fakecloud.Job{ID: nightly, ProjectID: projID, EnvironmentID: prodEnv, Name: "Nightly", GenerateDocs: true, RunGenerateSources: true}).
		AddJob(fakecloud.Job{ID: ciJob, ProjectID: projID, EnvironmentID: prodEnv, Name: "CI", CI: true}).
		AddJob(fakecloud.Job{ID: hourly, ProjectID: projID, EnvironmentID: prodEnv, Name: "Hourly"})
	steps := fakecloud.StandardSteps("dbt build", true, true)
	fc.AddRun(fakecloud.Run{ID: 1001, JobID: nightly, Status: dbtcloud.StatusSuccess, FinishedAt: base.Add(-48 * time.Hour), HasDocsGenerated: true, HasSourcesGenerated: true, Steps: steps}).
		AddRun(fakecloud.Run{ID: 1002, JobID: nightly, Status: dbtcloud.StatusSuccess, FinishedAt: base, HasDocsGenerated: true, HasSourcesGenerated: true, Steps: steps}).
		AddRun(fakecloud.Run{ID: 1003, JobID: nightly, Status: dbtcloud.StatusError, FinishedAt: base.Add(time.Hour), Steps: steps}).
		AddRun(fakecloud.Run{ID: 1004, JobID: nightly, Status: dbtcloud.StatusRunning, Steps: steps})
	return fc
}

// waits records the sleeps the client asked for, without sleeping.
type waits struct {
	mu sync.Mutex
	d  []time.Duration
}

func (w *waits) sleep(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	w.d = append(w.d, d)
	w.mu.Unlock()
	return ctx.Err()
}

func (w *waits) all() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.d...)
}

func newClient(t *testing.T, fc *fakecloud.Server, w *waits, opts ...dbtcloud.Option) *dbtcloud.Client {
	t.Helper()
	if w == nil {
		w = &waits{}
	}
	all := append([]dbtcloud.Option{
		dbtcloud.WithBackoff(func(int) time.Duration { return 0 }),
		dbtcloud.WithSleep(w.sleep),
	}, opts...)
	c, err := dbtcloud.NewClient(fc.URL, fc.Token, all...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// hostRewrite sends every request to the fake whatever host it names, so a
// client configured for https://cloud.getdbt.com talks to the fake.
type hostRewrite struct{ target *url.URL }

func (h hostRewrite) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	r.URL.Scheme, r.URL.Host = h.target.Scheme, h.target.Host
	return http.DefaultTransport.RoundTrip(r)
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := backend.ErrorCode(err); got != code {
		t.Fatalf("error code = %q, want %q (err: %v)", got, code, err)
	}
}
