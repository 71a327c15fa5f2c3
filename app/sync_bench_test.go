package app_test

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lineagedesk/lineagedesk/backend/dbtcloud"
	"github.com/lineagedesk/lineagedesk/backend/dbtcloud/fakecloud"
	"github.com/lineagedesk/lineagedesk/backend/synth"
)

// BenchmarkSyncVsDownloadPlusImport checks the target: a sync of a
// generated project from a local fake dbt Cloud server takes no longer than
// 1.2x (downloading its artifacts + importing the same files). It reports
// the three times and the ratio. Models default to 10,000
// (LINEAGEDESK_BENCH_MODELS overrides). Run by `make bench`:
//
//	go test -run '^$' -bench SyncVsDownloadPlusImport -benchtime 1x ./app/
func BenchmarkSyncVsDownloadPlusImport(b *testing.B) {
	models := 10000
	if v, err := strconv.Atoi(os.Getenv("LINEAGEDESK_BENCH_MODELS")); err == nil && v > 0 {
		models = v
	}
	src := b.TempDir()
	files, err := synth.Write(src, synth.Spec{Models: models, Seed: 42, WithSources: true})
	if err != nil {
		b.Fatal(err)
	}
	srv := fakecloud.New(b)
	srv.AddAccount(fakecloud.Account{ID: accountID, Name: "Analytics"}).
		AddProject(fakecloud.Project{ID: projectID, AccountID: accountID, Name: "synth"}).
		AddEnvironment(fakecloud.Environment{ID: envID, ProjectID: projectID, Name: "Production", Type: "deployment", DeploymentType: "production"}).
		AddJob(fakecloud.Job{ID: jobID, ProjectID: projectID, EnvironmentID: envID, Name: "Nightly", GenerateDocs: true, RunGenerateSources: true, ExecuteSteps: []string{"dbt build"}})
	finished := time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)
	steps := fakecloud.StandardSteps("dbt build", true, true) // ..., freshness (4), build (5), docs (6)
	srv.AddRun(fakecloud.Run{ID: 5000, JobID: jobID, Status: 10, CreatedAt: finished.Add(-time.Hour), FinishedAt: finished, HasDocsGenerated: true, HasSourcesGenerated: true, Steps: steps})
	srv.AddArtifact(5000, 4, "sources.json", fakecloud.FromFile(files.Sources.Path))
	srv.AddArtifact(5000, 5, "run_results.json", fakecloud.FromFile(files.RunResults.Path))
	srv.AddArtifact(5000, 6, "manifest.json", fakecloud.FromFile(files.Manifest.Path))
	srv.AddArtifact(5000, 6, "catalog.json", fakecloud.FromFile(files.Catalog.Path))

	var download, importing, syncing time.Duration
	var importPeak, syncPeak int64
	for i := 0; i < b.N; i++ {
		// Download alone, with the same client the sync uses.
		dir := b.TempDir()
		client, err := dbtcloud.NewClient(srv.URL, srv.Token)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		for _, a := range []struct {
			name string
			step int
		}{{"manifest.json", 0}, {"catalog.json", 0}, {"run_results.json", 5}, {"sources.json", 4}} {
			f, err := os.Create(filepath.Join(dir, a.name))
			if err != nil {
				b.Fatal(err)
			}
			if _, err := client.DownloadArtifact(b.Context(), accountID, 5000, a.name, a.step, f); err != nil {
				b.Fatal(err)
			}
			f.Close()
		}
		download += time.Since(start)

		// Import alone, of the same files, into a fresh store, and the
		// sync into another. Each phase gets its own store, closed before
		// the next phase, so neither phase's peak carries the other's
		// SQLite page cache. Whichever runs second peaks ~7 MB higher (the
		// first one's heap is not all returned), so they take turns going
		// first, and each peak is the highest over the iterations.
		importPhase := func() {
			a, store, _, _ := openAppStore(b)
			debug.FreeOSMemory()
			resetPeakRSS(b)
			start := time.Now()
			if _, err := a.ImportPaths([]string{dir}, ""); err != nil {
				b.Fatal(err)
			}
			importing += time.Since(start)
			importPeak = max(importPeak, peakRSS(b))
			store.Close()
		}
		syncPhase := func() {
			a, store, _, _ := openAppStore(b)
			connect(b, a, srv)
			debug.FreeOSMemory()
			resetPeakRSS(b)
			start := time.Now()
			if _, err := a.Sync("prod", 0); err != nil {
				b.Fatal(err)
			}
			syncing += time.Since(start)
			syncPeak = max(syncPeak, peakRSS(b))
			store.Close()
		}
		if i%2 == 0 {
			importPhase()
			syncPhase()
		} else {
			syncPhase()
			importPhase()
		}
	}
	n := time.Duration(b.N)
	b.ReportMetric((download / n).Seconds(), "download-s")
	b.ReportMetric((importing / n).Seconds(), "import-s")
	b.ReportMetric((syncing / n).Seconds(), "sync-s")
	b.ReportMetric(float64(syncing)/float64(download+importing), "sync/(download+import)")
	b.ReportMetric(float64(importPeak)/(1<<20), "import-peak-MB")
	b.ReportMetric(float64(syncPeak)/(1<<20), "sync-peak-MB")
}

// resetPeakRSS resets the process's peak resident set size (VmHWM), so the
// next phase's peak can be read on its own (Linux: clear_refs value 5).
func resetPeakRSS(b *testing.B) {
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		b.Fatalf("reset peak RSS: %v", err)
	}
}

// peakRSS reads VmHWM from /proc/self/status, in bytes. The fake server
// runs in this process too, but it streams the files from disk.
func peakRSS(b *testing.B) int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				b.Fatal(err)
			}
			return kb << 10
		}
	}
	b.Fatal("no VmHWM in /proc/self/status")
	return 0
}
