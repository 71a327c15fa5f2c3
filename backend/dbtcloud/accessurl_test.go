package dbtcloud_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/dbtcloud"
)

func TestNormalizeAccessURL(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"cloud.getdbt.com", "https://cloud.getdbt.com"},
		{"https://cloud.getdbt.com/", "https://cloud.getdbt.com"},
		{"  HTTPS://Cloud.GetDBT.com//  ", "https://cloud.getdbt.com"},
		{"https://cloud.getdbt.com/api/v2/accounts/1/", "https://cloud.getdbt.com"},
		{"https://cloud.getdbt.com/#/accounts/1/projects/2/dashboard/", "https://cloud.getdbt.com"},
		{"https://cloud.getdbt.com/deploy/1/projects/2/jobs/3", "https://cloud.getdbt.com"},
		{"emea.dbt.com", "https://emea.dbt.com"},
		{"au.dbt.com/api/", "https://au.dbt.com"},
		{"ab123.us1.dbt.com", "https://ab123.us1.dbt.com"},
		{"https://xy-9.eu2.dbt.com/api/v3/", "https://xy-9.eu2.dbt.com"},
		{"ab123.metadata.us1.dbt.com", "https://ab123.us1.dbt.com"},
		{"https://metadata.cloud.getdbt.com/graphql", "https://cloud.getdbt.com"},
		{"https://https://cloud.getdbt.com", "https://cloud.getdbt.com"},
		{"acme.getdbt.com", "https://acme.getdbt.com"}, // single tenant
		{"dbt.internal.acme.io:8443/", "https://dbt.internal.acme.io:8443"},
		{"http://127.0.0.1:5555/", "http://127.0.0.1:5555"},
		{"http://localhost:8080", "http://localhost:8080"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := dbtcloud.NormalizeAccessURL(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNormalizeAccessURLRejects(t *testing.T) {
	for _, in := range []string{"", "   ", "not a url", "ftp://cloud.getdbt.com", "http://cloud.getdbt.com",
		"https://user:pw@cloud.getdbt.com", "https://", "cloud", "https://bad_host.example.com", "1.2.3", "https://-x.dbt.com"} {
		t.Run(in, func(t *testing.T) {
			got, err := dbtcloud.NormalizeAccessURL(in)
			if err == nil {
				t.Fatalf("accepted as %q", got)
			}
			if backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(err.Error(), "access URL") {
				t.Errorf("err = %v, want EINVALID naming the access URL setting", err)
			}
		})
	}
}

func TestHostKinds(t *testing.T) {
	if !dbtcloud.IsLegacyHost("https://emea.dbt.com") || dbtcloud.IsLegacyHost("https://ab1.us1.dbt.com") {
		t.Error("IsLegacyHost")
	}
	if !dbtcloud.IsCellHost("https://ab1.jp1.dbt.com") || dbtcloud.IsCellHost("https://cloud.getdbt.com") {
		t.Error("IsCellHost")
	}
}

func TestNewClientToken(t *testing.T) {
	if _, err := dbtcloud.NewClient("cloud.getdbt.com", "  "); backend.ErrorCode(err) != backend.EINVALID {
		t.Errorf("empty token: %v", err)
	}
	if _, err := dbtcloud.NewClient("cloud.getdbt.com", "abc def"); backend.ErrorCode(err) != backend.EINVALID {
		t.Errorf("token with a space: %v", err)
	}
	// A control character would only fail in the HTTP client, as if the
	// network were down, after every retry.
	if _, err := dbtcloud.NewClient("cloud.getdbt.com", "dbtc_x\x01y"); backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(err.Error(), "control character") {
		t.Errorf("token with a control character: %v", err)
	}
	for _, pasted := range []string{"dbtc_x\u200by", "\ufeffdbtc_xy", "dbtc_x\u00a0y"} {
		if _, err := dbtcloud.NewClient("cloud.getdbt.com", pasted); backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(err.Error(), "no part of a token") {
			t.Errorf("token %q: %v", pasted, err)
		}
	}
	c, err := dbtcloud.NewClient("cloud.getdbt.com/", "Token dbtc_abc")
	if err != nil {
		t.Fatal(err)
	}
	if c.AccessURL() != "https://cloud.getdbt.com" {
		t.Errorf("AccessURL = %q", c.AccessURL())
	}
}

// A connection through a shared region host is told to move to its
// account's own access URL, which dbt Labs has given every account; the
// connection test says so (the client talks to the fake through a
// transport that stands in for cloud.getdbt.com).
func TestLegacyHostIsWarnedOf(t *testing.T) {
	if w := dbtcloud.LegacyHostWarning("https://ab1.us1.dbt.com"); w != "" {
		t.Errorf("a cell host is warned of: %q", w)
	}
	fc := newFake(t)
	target, err := url.Parse(fc.URL)
	if err != nil {
		t.Fatal(err)
	}
	toFake := &http.Client{Transport: roundTripper(func(r *http.Request) (*http.Response, error) {
		r = r.Clone(r.Context())
		r.URL.Scheme, r.URL.Host = target.Scheme, target.Host
		return http.DefaultTransport.RoundTrip(r)
	})}
	c, err := dbtcloud.NewClient("https://cloud.getdbt.com", fc.Token, dbtcloud.WithHTTPClient(toFake))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := c.TestConnection(t.Context(), acct, dbtcloud.Narrowing{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(rep.Warnings, func(w string) bool {
		return strings.Contains(w, "https://cloud.getdbt.com is a shared region access URL") && strings.Contains(w, "Account settings")
	}) {
		t.Errorf("warnings %q: none says to use the account's own access URL", rep.Warnings)
	}
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
