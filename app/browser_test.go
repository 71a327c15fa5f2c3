//go:build e2e

package app_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestBrowserEndToEnd runs the browser scenarios (frontend/e2e, playwright-core
// driving Debian's chromium) against the real binary in serve mode, with a
// fake dbt Cloud server speaking the real wire format for the sync scenario.
// Run by `make test-e2e` after `make build`.
func TestBrowserEndToEnd(t *testing.T) {
	bin := os.Getenv("LINEAGEDESK_BIN")
	if bin == "" {
		bin = "../build/bin/lineagedesk"
	}
	bin, err := filepath.Abs(bin)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("binary %s missing (run make build): %v", bin, err)
	}
	cloud := cloudWithRuns(t)
	cmd := exec.CommandContext(t.Context(), "npm", "run", "e2e")
	cmd.Dir = "../frontend"
	config := t.TempDir()
	cmd.Env = append(os.Environ(),
		"LINEAGEDESK_BIN="+bin,
		"LINEAGEDESK_FAKE_CLOUD_URL="+cloud.URL,
		fmt.Sprintf("LINEAGEDESK_FAKE_CLOUD_ACCOUNT=%d", accountID),
		"LINEAGEDESK_FAKE_CLOUD_TOKEN="+cloud.Token,
		// Keep the token key of the serve process out of the user's config.
		"XDG_CONFIG_HOME="+config,
	)
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("browser scenarios failed: %v", err)
	}
	assertTokenNowhere(t, config, cloud.Token)
}
