package secret_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend/secret"
)

const token = "dbtc_s3cr3t-Token-VALUE-0123456789"

func TestFileSealerRoundTrip(t *testing.T) {
	dir := t.TempDir()
	s, err := secret.NewFileSealer(dir)
	if err != nil {
		t.Fatal(err)
	}
	sealed, storage, err := s.Seal("prod", token)
	if err != nil {
		t.Fatal(err)
	}
	if storage != secret.StorageEncryptedFile {
		t.Errorf("storage = %q, want %q", storage, secret.StorageEncryptedFile)
	}
	if bytes.Contains(sealed, []byte(token)) || bytes.Contains(bytes.ToLower(sealed), []byte(strings.ToLower(token[5:15]))) {
		t.Fatalf("sealed bytes contain the token: %q", sealed)
	}
	got, err := s.Open("prod", sealed)
	if err != nil {
		t.Fatal(err)
	}
	if got != token {
		t.Fatalf("Open = %q, want the token back", got)
	}

	// A fresh nonce per seal: the same token never seals to the same bytes.
	again, _, err := s.Seal("prod", token)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(again, sealed) {
		t.Error("two seals of the same token are identical; the nonce is not random")
	}

	// A second sealer over the same directory reuses the key.
	s2, err := secret.NewFileSealer(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s2.Open("prod", sealed); err != nil || got != token {
		t.Fatalf("reopen with the same key file: %q, %v", got, err)
	}
}

func TestFileSealerRejects(t *testing.T) {
	s, err := secret.NewFileSealer(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	sealed, _, err := s.Seal("prod", token)
	if err != nil {
		t.Fatal(err)
	}
	other, err := secret.NewFileSealer(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	flipped := bytes.Clone(sealed)
	flipped[len(flipped)-1] ^= 1

	tests := []struct {
		name   string
		sealer *secret.FileSealer
		conn   string
		sealed []byte
	}{
		{"wrong key", other, "prod", sealed},
		{"other connection name", s, "staging", sealed},
		{"altered ciphertext", s, "prod", flipped},
		{"truncated", s, "prod", sealed[:20]},
		{"not sealed at all", s, "prod", []byte(token)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.sealer.Open(tt.conn, tt.sealed)
			if err == nil {
				t.Fatalf("Open succeeded with %q", got)
			}
			if strings.Contains(err.Error(), token) {
				t.Fatalf("error mentions the token: %v", err)
			}
		})
	}
	if _, _, err := s.Seal("prod", ""); err == nil {
		t.Error("sealing an empty token succeeded")
	}
}

func TestKeyFilePermissions(t *testing.T) {
	dir := t.TempDir()
	s, err := secret.NewFileSealer(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(dir, "lineagedesk", "secret.key")
	if s.KeyPath != want {
		t.Errorf("KeyPath = %s, want %s", s.KeyPath, want)
	}
	info, err := os.Stat(want)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("key file mode = %o, want 600", perm)
	}
	if info.Size() != 32 {
		t.Errorf("key file size = %d, want 32", info.Size())
	}
	dinfo, err := os.Stat(filepath.Dir(want))
	if err != nil {
		t.Fatal(err)
	}
	if perm := dinfo.Mode().Perm(); perm != 0o700 {
		t.Errorf("key dir mode = %o, want 700", perm)
	}

	// A key made readable by others is tightened on load.
	if err := os.Chmod(want, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := secret.NewFileSealer(dir); err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(want); info.Mode().Perm() != 0o600 {
		t.Errorf("key file mode after reload = %o, want 600", info.Mode().Perm())
	}

	// A damaged key is refused with a message naming the file.
	if err := os.WriteFile(want, []byte("short"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := secret.NewFileSealer(dir); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("short key: err = %v, want one naming %s", err, want)
	}
}

func TestConcurrentKeyCreationAgrees(t *testing.T) {
	dir := t.TempDir()
	sealers := make([]*secret.FileSealer, 8)
	var wg sync.WaitGroup
	for i := range sealers {
		wg.Go(func() {
			s, err := secret.NewFileSealer(dir)
			if err != nil {
				t.Error(err)
				return
			}
			sealers[i] = s
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	sealed, _, err := sealers[0].Seal("c", token)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range sealers {
		if got, err := s.Open("c", sealed); err != nil || got != token {
			t.Errorf("sealer %d cannot open: %v", i, err)
		}
	}
}

// memKeyring is an in-memory keyring; broken makes every call fail, like a
// machine without a secret service.
type memKeyring struct {
	mu      sync.Mutex
	entries map[string]string
	broken  bool
}

func (k *memKeyring) Set(service, user, password string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.broken {
		return errors.New("no secret service")
	}
	if k.entries == nil {
		k.entries = map[string]string{}
	}
	k.entries[service+"/"+user] = password
	return nil
}

func (k *memKeyring) Get(service, user string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.broken {
		return "", errors.New("no secret service")
	}
	v, ok := k.entries[service+"/"+user]
	if !ok {
		return "", errors.New("not found")
	}
	return v, nil
}

func (k *memKeyring) Delete(service, user string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.broken {
		return errors.New("no secret service")
	}
	delete(k.entries, service+"/"+user)
	return nil
}

func TestAutoUsesWorkingKeyring(t *testing.T) {
	kr := &memKeyring{}
	a, err := secret.New(t.TempDir(), kr)
	if err != nil {
		t.Fatal(err)
	}
	if a.Storage() != secret.StorageKeyring {
		t.Fatalf("Storage = %q, want keyring", a.Storage())
	}
	if len(kr.entries) != 0 {
		t.Errorf("the probe left %d entries behind", len(kr.entries))
	}
	sealed, storage, err := a.Seal("prod", token)
	if err != nil {
		t.Fatal(err)
	}
	if storage != secret.StorageKeyring || bytes.Contains(sealed, []byte(token)) {
		t.Fatalf("storage %q, sealed %q", storage, sealed)
	}
	if got, err := a.Open("prod", sealed); err != nil || got != token {
		t.Fatalf("Open = %q, %v", got, err)
	}
	if _, err := a.Open("other", sealed); err == nil {
		t.Error("a keyring reference opened under another name")
	}
	if err := a.Delete("prod", sealed); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Open("prod", sealed); err == nil {
		t.Error("token still readable after Delete")
	}
}

// Two stores, each with a connection "prod", keep their own keyring
// entries: saving or deleting in one leaves the other's token alone. A
// reference sealed when entries were named after the connection opens.
func TestKeyringEntriesPerSeal(t *testing.T) {
	kr := &memKeyring{}
	a, err := secret.New(t.TempDir(), kr)
	if err != nil {
		t.Fatal(err)
	}
	first, _, err := a.Seal("prod", "token-of-store-a")
	if err != nil {
		t.Fatal(err)
	}
	second, _, err := a.Seal("prod", "token-of-store-b")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := a.Open("prod", first); err != nil || got != "token-of-store-a" {
		t.Fatalf("store a's token after store b saved its own: %q, %v", got, err)
	}
	if err := a.Delete("prod", second); err != nil {
		t.Fatal(err)
	}
	if got, err := a.Open("prod", first); err != nil || got != "token-of-store-a" {
		t.Fatalf("store a's token after store b deleted its own: %q, %v", got, err)
	}
	if err := kr.Set("lineagedesk", "prod", "old-token"); err != nil {
		t.Fatal(err)
	}
	if got, err := a.Open("prod", []byte("ld1:keyring:prod")); err != nil || got != "old-token" {
		t.Fatalf("a reference of the earlier form: %q, %v", got, err)
	}
	if _, err := a.Open("prod", []byte("ld1:keyring:production#0123456789abcdef")); err == nil {
		t.Error("a reference of another connection opened")
	}
}

func TestAutoFallsBackToEncryptedFile(t *testing.T) {
	dir := t.TempDir()
	a, err := secret.New(dir, &memKeyring{broken: true})
	if err != nil {
		t.Fatal(err)
	}
	if a.Storage() != secret.StorageEncryptedFile {
		t.Fatalf("Storage = %q, want encrypted-file", a.Storage())
	}
	sealed, storage, err := a.Seal("prod", token)
	if err != nil || storage != secret.StorageEncryptedFile {
		t.Fatalf("Seal: %q, %v", storage, err)
	}
	if got, err := a.Open("prod", sealed); err != nil || got != token {
		t.Fatalf("Open = %q, %v", got, err)
	}
	if err := a.Delete("prod", sealed); err != nil {
		t.Errorf("Delete without keyring: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "lineagedesk", "secret.key")); err != nil {
		t.Errorf("key file: %v", err)
	}
}

// TestAutoOnThisMachine runs the real OS keyring probe: whichever storage it
// picks, a token must survive a round trip and never appear in the sealed
// bytes. On a headless Linux box this exercises the encrypted-file path.
func TestAutoOnThisMachine(t *testing.T) {
	a, err := secret.New(t.TempDir(), secret.OSKeyring{})
	if err != nil {
		t.Fatal(err)
	}
	name := "lineagedesk-test-" + t.Name()
	sealed, storage, err := a.Seal(name, token)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Delete(name, sealed) })
	if storage != a.Storage() {
		t.Errorf("Seal used %q but Storage() says %q", storage, a.Storage())
	}
	if bytes.Contains(sealed, []byte(token)) {
		t.Fatal("sealed bytes contain the token")
	}
	if got, err := a.Open(name, sealed); err != nil || got != token {
		t.Fatalf("Open = %q, %v", got, err)
	}
	t.Logf("storage on this machine: %s", storage)
}

func TestKeyringReferenceWithoutKeyring(t *testing.T) {
	dir := t.TempDir()
	withKR, err := secret.New(dir, &memKeyring{})
	if err != nil {
		t.Fatal(err)
	}
	sealed, _, err := withKR.Seal("prod", token)
	if err != nil {
		t.Fatal(err)
	}
	without, err := secret.New(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = without.Open("prod", sealed)
	if err == nil || !strings.Contains(err.Error(), "keyring") {
		t.Fatalf("err = %v, want one saying the keyring is unavailable", err)
	}
}
