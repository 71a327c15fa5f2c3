// Package secret seals dbt Cloud tokens so that only a sealed form reaches
// the store: an OS keyring reference when a keyring is available, otherwise
// AES-256-GCM ciphertext under a random key kept in the user's config
// directory. Nothing here logs or prints a token.
package secret

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/zalando/go-keyring"
)

// Storage kinds, as recorded in backend.Connection.TokenStorage.
const (
	StorageKeyring       = "keyring"
	StorageEncryptedFile = "encrypted-file"
)

// Sealer turns a token into bytes that are safe to store and back.
//
// Seal returns the sealed form and the storage kind it used. Open returns the
// token for a sealed form made by Seal under the same name; it fails when
// the key is wrong, the name differs or the bytes were altered. Delete
// forgets whatever Seal kept outside the sealed bytes (the keyring entry
// sealed names); it is not an error when there is nothing to forget.
type Sealer interface {
	Seal(name, token string) (sealed []byte, storage string, err error)
	Open(name string, sealed []byte) (string, error)
	Delete(name string, sealed []byte) error
}

// Keyring is the part of an OS keyring the sealer uses. OSKeyring adapts
// github.com/zalando/go-keyring; tests pass their own.
type Keyring interface {
	Set(service, user, password string) error
	Get(service, user string) (string, error)
	Delete(service, user string) error
}

// OSKeyring is the operating system's keyring (macOS Keychain, Windows
// Credential Manager, the Secret Service on Linux).
type OSKeyring struct{}

func (OSKeyring) Set(service, user, password string) error {
	return keyring.Set(service, user, password)
}
func (OSKeyring) Get(service, user string) (string, error) { return keyring.Get(service, user) }
func (OSKeyring) Delete(service, user string) error        { return keyring.Delete(service, user) }

// keyringService is the service name entries are filed under.
const keyringService = "lineagedesk"

// Sealed forms start with a tag naming how they were sealed, so Open works
// whatever the machine offers today (a token sealed into the keyring on a
// desktop session can still be told apart from file ciphertext).
var (
	tagKeyring = []byte("ld1:keyring:")
	tagAESGCM  = []byte("ld1:aes-gcm:")
)

// Auto seals into the OS keyring when it works and into encrypted bytes
// otherwise, and opens either form.
type Auto struct {
	keyring Keyring // nil when no keyring is usable
	file    *FileSealer
}

// probeTimeout bounds the keyring probe: on a headless Linux box a D-Bus
// call may wait for a session bus that never answers.
const probeTimeout = 3 * time.Second

// New returns a sealer that uses kr when a probe (write, read back, delete
// a random entry) succeeds, and otherwise the encrypted key file under
// configDir/lineagedesk/secret.key. kr may be nil to skip the keyring.
func New(configDir string, kr Keyring) (*Auto, error) {
	file, err := NewFileSealer(configDir)
	if err != nil {
		return nil, err
	}
	a := &Auto{file: file}
	if kr != nil && probeKeyring(kr) == nil {
		a.keyring = kr
	}
	return a, nil
}

// Storage says where new tokens go: StorageKeyring or StorageEncryptedFile.
func (a *Auto) Storage() string {
	if a.keyring != nil {
		return StorageKeyring
	}
	return StorageEncryptedFile
}

// Seal implements Sealer.
func (a *Auto) Seal(name, token string) ([]byte, string, error) {
	if token == "" {
		return nil, "", errors.New("seal token: the token is empty")
	}
	if a.keyring != nil {
		// One entry per seal, not per name: two stores (--db) may each have
		// a connection "prod", and must not overwrite or delete each other's.
		user := name + "#" + randomHex(keyringSuffixBytes)
		if err := a.keyring.Set(keyringService, user, token); err == nil {
			return append(bytes.Clone(tagKeyring), user...), StorageKeyring, nil
		}
		// The keyring worked at start-up but not now (locked, service
		// gone): the file sealer still keeps the token safe at rest.
	}
	return a.file.Seal(name, token)
}

// Open implements Sealer.
func (a *Auto) Open(name string, sealed []byte) (string, error) {
	switch {
	case bytes.HasPrefix(sealed, tagKeyring):
		kr := a.keyring
		if kr == nil {
			return "", fmt.Errorf("open token %q: it is kept in the OS keyring, which is not available now: unlock the keyring or enter the token again", name)
		}
		user, ok := keyringUser(name, sealed)
		if !ok {
			return "", fmt.Errorf("open token %q: the sealed reference names %q", name, sealed[len(tagKeyring):])
		}
		token, err := kr.Get(keyringService, user)
		if err != nil {
			return "", fmt.Errorf("open token %q from the OS keyring: %w", name, err)
		}
		return token, nil
	default:
		return a.file.Open(name, sealed)
	}
}

// Delete implements Sealer.
func (a *Auto) Delete(name string, sealed []byte) error {
	user, ok := keyringUser(name, sealed)
	if a.keyring == nil || !ok {
		return nil
	}
	if err := a.keyring.Delete(keyringService, user); err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return fmt.Errorf("delete token %q from the OS keyring: %w", name, err)
	}
	return nil
}

// keyringUser is the keyring entry a sealed reference names, when it is a
// reference of connection name: "name#<random>", or "name" as sealed
// before entries were per seal.
func keyringUser(name string, sealed []byte) (string, bool) {
	if !bytes.HasPrefix(sealed, tagKeyring) {
		return "", false
	}
	user := string(sealed[len(tagKeyring):])
	rest, found := strings.CutPrefix(user, name)
	return user, found && (rest == "" || strings.HasPrefix(rest, "#") && len(rest) == 1+2*keyringSuffixBytes)
}

// keyringSuffixBytes is the random part of a keyring entry's name, in bytes
// (twice as many hex digits).
const keyringSuffixBytes = 8

func probeKeyring(kr Keyring) error {
	ctx, cancel := context.WithTimeout(context.Background(), probeTimeout)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		user := "probe-" + randomHex(8)
		want := randomHex(16)
		if err := kr.Set(keyringService, user, want); err != nil {
			done <- err
			return
		}
		got, err := kr.Get(keyringService, user)
		_ = kr.Delete(keyringService, user)
		if err == nil && got != want {
			err = errors.New("keyring returned a different value")
		}
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("keyring probe: %w", ctx.Err())
	}
}

var (
	_ Sealer = (*Auto)(nil)
	_ Sealer = (*FileSealer)(nil)
)
