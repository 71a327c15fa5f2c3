package artifact

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
)

// A catalog, run results or sources file is read whole: one that inflates
// past the limit is refused with its name, plain or gzip (a bomb), and
// one under it reads as it is.
func TestArtifactReadWholeIsBounded(t *testing.T) {
	dir := t.TempDir()
	body := []byte(`{"metadata": {}, "x": "` + strings.Repeat("0", 100<<10) + `"}`)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(body)
	zw.Close()
	plain, packed := filepath.Join(dir, "catalog.json"), filepath.Join(dir, "catalog.json.gz")
	if err := os.WriteFile(plain, body, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(packed, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{plain, packed} {
		_, err := readArtifactUpTo(path, 64<<10)
		if backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(err.Error(), path+" is larger than 65536 bytes (uncompressed)") {
			t.Errorf("%s over the limit: %v", path, err)
		}
		data, err := readArtifactUpTo(path, 1<<20)
		if err != nil || !bytes.Equal(data, body) {
			t.Errorf("%s under the limit: %d bytes, %v", path, len(data), err)
		}
	}
}
