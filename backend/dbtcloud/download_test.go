package dbtcloud_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/artifact/artifacttest"
	"github.com/lineagedesk/lineagedesk/backend/dbtcloud"
	"github.com/lineagedesk/lineagedesk/backend/dbtcloud/fakecloud"
)

func TestDownloadFixtureWithProgress(t *testing.T) {
	fc := newFake(t)
	if err := fc.AddFixtureArtifacts(1002, 5, fixtureDS); err != nil {
		t.Fatal(err)
	}
	want := artifacttest.Gunzip(t, fixtureDS+"/manifest.json.gz")
	c := newClient(t, fc, nil)
	var seen []int64
	var buf bytes.Buffer
	n, err := c.DownloadArtifact(t.Context(), acct, 1002, "manifest.json", 0, &buf, dbtcloud.WithProgress(func(b int64) { seen = append(seen, b) }))
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(len(want)) || !bytes.Equal(buf.Bytes(), want) {
		t.Fatalf("downloaded %d bytes, want the %d of the fixture", n, len(want))
	}
	if len(seen) < 2 || seen[len(seen)-1] != n {
		t.Fatalf("progress = %v", seen)
	}
	for i := 1; i < len(seen); i++ {
		if seen[i] <= seen[i-1] {
			t.Fatalf("progress not increasing: %v", seen)
		}
	}
	if h := fc.RequestsTo(fakecloud.RouteArtifact)[0].Header.Get("Accept"); h != "*/*" {
		t.Errorf("Accept = %q", h)
	}
	paths, err := c.RunArtifacts(t.Context(), acct, 1002)
	if err != nil || strings.Join(paths, ",") != "catalog.json,manifest.json,run_results.json" {
		t.Errorf("artifact list = %v, %v", paths, err)
	}
}

func TestDownloadStepSelectsRunResults(t *testing.T) {
	fc := newFake(t)
	// Steps: 1 clone, 2 profile, 3 deps, 4 freshness, 5 build, 6 docs.
	fc.AddArtifact(1002, 4, "sources.json", fakecloud.FromBytes([]byte(`{"from":"freshness"}`))).
		AddArtifact(1002, 5, "run_results.json", fakecloud.FromBytes([]byte(`{"from":"build"}`))).
		AddArtifact(1002, 6, "run_results.json", fakecloud.FromBytes([]byte(`{"from":"docs generate"}`)))
	c := newClient(t, fc, nil)
	for _, tt := range []struct {
		path string
		step int
		want string
	}{
		{"run_results.json", 0, `{"from":"docs generate"}`},
		{"run_results.json", 5, `{"from":"build"}`},
		{"sources.json", 4, `{"from":"freshness"}`},
	} {
		var buf bytes.Buffer
		if _, err := c.DownloadArtifact(t.Context(), acct, 1002, tt.path, tt.step, &buf); err != nil {
			t.Fatal(err)
		}
		if buf.String() != tt.want {
			t.Errorf("%s step %d = %s, want %s", tt.path, tt.step, buf.String(), tt.want)
		}
	}
	if q := fc.RequestsTo(fakecloud.RouteArtifact)[1].Query.Get("step"); q != "5" {
		t.Errorf("step sent as %q", q)
	}
	_, err := c.DownloadArtifact(t.Context(), acct, 1002, "catalog.json", 0, io.Discard)
	wantCode(t, err, backend.ENOTFOUND)
	if !strings.Contains(err.Error(), "Generate docs on run") {
		t.Errorf("catalog 404 message %q", err)
	}
	if _, err := c.DownloadArtifact(t.Context(), acct, 1002, "../secret", 0, io.Discard); err == nil {
		t.Error("path escaping the artifact folder accepted")
	}
}

func TestDownloadRetriesMidBody(t *testing.T) {
	content := bytes.Repeat([]byte("0123456789abcdef"), 64<<10) // 1 MiB
	for _, tt := range []struct {
		name  string
		fault fakecloud.Fault
	}{
		{"reset", fakecloud.ResetAfter(300 << 10)},
		{"truncated", fakecloud.TruncateAfter(300 << 10)},
		{"503 first", fakecloud.Status(503)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fc := newFake(t)
			fc.AddArtifact(1002, 5, "manifest.json", fakecloud.FromBytes(content))
			fc.FailPath(fakecloud.RouteArtifact, "manifest.json", 1, tt.fault)
			c := newClient(t, fc, nil)
			f, err := os.Create(filepath.Join(t.TempDir(), "manifest.json.part"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			var resets int
			n, err := c.DownloadArtifact(t.Context(), acct, 1002, "manifest.json", 0, f, dbtcloud.WithProgress(func(b int64) {
				if b == 0 {
					resets++
				}
			}))
			if err != nil {
				t.Fatal(err)
			}
			got, _ := os.ReadFile(f.Name())
			if n != int64(len(content)) || !bytes.Equal(got, content) {
				t.Fatalf("file has %d bytes (n=%d), want %d identical", len(got), n, len(content))
			}
			if len(fc.RequestsTo(fakecloud.RouteArtifact)) != 2 {
				t.Errorf("%d requests", len(fc.RequestsTo(fakecloud.RouteArtifact)))
			}
			if tt.name != "503 first" && resets != 1 {
				t.Errorf("progress reset %d times, want 1", resets)
			}
		})
	}
	t.Run("writer that cannot rewind", func(t *testing.T) {
		fc := newFake(t)
		fc.AddArtifact(1002, 5, "manifest.json", fakecloud.FromBytes(content))
		fc.FailPath(fakecloud.RouteArtifact, "manifest.json", 1, fakecloud.ResetAfter(300<<10))
		var buf bytes.Buffer
		_, err := newClient(t, fc, nil).DownloadArtifact(t.Context(), acct, 1002, "manifest.json", 0, &buf)
		wantCode(t, err, backend.EUNAVAILABLE)
		var te *dbtcloud.TransportError
		if !errors.As(err, &te) {
			t.Errorf("err = %v, want a TransportError", err)
		}
		if len(fc.RequestsTo(fakecloud.RouteArtifact)) != 1 {
			t.Error("retried into a writer that cannot be rewound")
		}
	})
}

func TestDownloadIdleTimeout(t *testing.T) {
	content := bytes.Repeat([]byte("x"), 64<<10)
	t.Run("stalled body fails", func(t *testing.T) {
		fc := newFake(t)
		fc.AddArtifact(1002, 5, "manifest.json", fakecloud.FromBytes(content))
		fc.Fail(fakecloud.RouteArtifact, -1, fakecloud.Stall(1000, 10*time.Second))
		c := newClient(t, fc, nil, dbtcloud.WithIdleTimeout(150*time.Millisecond), dbtcloud.WithMaxRetries(0))
		start := time.Now()
		_, err := c.DownloadArtifact(t.Context(), acct, 1002, "manifest.json", 0, io.Discard)
		wantCode(t, err, backend.EUNAVAILABLE)
		if !strings.Contains(err.Error(), "stopped sending data") {
			t.Errorf("message %q", err)
		}
		if time.Since(start) > 5*time.Second {
			t.Error("the stall was not cut by the idle timeout")
		}
	})
	t.Run("stall once then retry succeeds", func(t *testing.T) {
		fc := newFake(t)
		fc.AddArtifact(1002, 5, "manifest.json", fakecloud.FromBytes(content))
		fc.Fail(fakecloud.RouteArtifact, 1, fakecloud.Stall(0, 10*time.Second))
		c := newClient(t, fc, nil, dbtcloud.WithIdleTimeout(time.Second))
		var buf bytes.Buffer
		if _, err := c.DownloadArtifact(t.Context(), acct, 1002, "manifest.json", 0, &buf); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), content) {
			t.Error("content differs")
		}
	})
	t.Run("slow but moving body is fine", func(t *testing.T) {
		fc := newFake(t)
		fc.AddArtifact(1002, 5, "manifest.json", fakecloud.FromBytes(content[:8<<10]))
		// 8 chunks, 200 ms apart: 1.4 s in all, longer than the idle timeout.
		fc.Fail(fakecloud.RouteArtifact, 1, fakecloud.Slow(1<<10, 200*time.Millisecond))
		c := newClient(t, fc, nil, dbtcloud.WithIdleTimeout(time.Second), dbtcloud.WithMaxRetries(0))
		n, err := c.DownloadArtifact(t.Context(), acct, 1002, "manifest.json", 0, io.Discard)
		if err != nil || n != 8<<10 {
			t.Fatalf("n=%d err=%v", n, err)
		}
	})
}

// An answer that keeps moving but never completes is cut by the
// per-request timeout (the idle timeout never fires on it), as a
// retryable transport error that names the limit.
func TestRequestTimeout(t *testing.T) {
	fc := newFake(t)
	fc.Fail(fakecloud.RouteAccount, -1, fakecloud.Slow(8, 100*time.Millisecond))
	c := newClient(t, fc, nil, dbtcloud.WithRequestTimeout(400*time.Millisecond), dbtcloud.WithIdleTimeout(5*time.Second), dbtcloud.WithMaxRetries(0))
	start := time.Now()
	_, err := c.Account(t.Context(), acct)
	wantCode(t, err, backend.EUNAVAILABLE)
	var te *dbtcloud.TransportError
	if !errors.As(err, &te) || !strings.Contains(err.Error(), "no complete answer within 400ms") {
		t.Errorf("error %v, want a transport error naming the 400ms limit", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Error("the slow answer was not cut by the request timeout")
	}
}
