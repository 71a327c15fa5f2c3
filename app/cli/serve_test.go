package cli

import (
	"os"
	"strings"
	"testing"
)

// serve --open hands the browser a page only this user can read, which
// sends it on to the URL with the secret; the secret is not on a command
// line, where every user of the machine can read it.
func TestOpenPage(t *testing.T) {
	url := "http://127.0.0.1:8484/?token=abc&x=1"
	path, remove, err := writeOpenPage(url)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(path, "abc") {
		t.Errorf("the page's path %s carries the secret", path)
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("page %s: %v, %v; want mode 0600", path, info, err)
	}
	page, _ := os.ReadFile(path)
	if !strings.Contains(string(page), `content="0;url=http://127.0.0.1:8484/?token=abc&amp;x=1"`) {
		t.Errorf("the page does not send the browser on: %s", page)
	}
	remove()
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the page outlives serve: %v", err)
	}
}
