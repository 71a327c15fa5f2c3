package secret

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

const keySize = 32 // AES-256

// FileSealer encrypts tokens with AES-256-GCM under a random key stored in
// <config dir>/lineagedesk/secret.key (0600, directory 0700). The key and
// the ciphertext live apart (key file vs. database), so a copied database
// alone does not reveal tokens.
type FileSealer struct {
	KeyPath string
	aead    cipher.AEAD
}

// NewFileSealer loads the key under configDir/lineagedesk, creating it on
// first use.
func NewFileSealer(configDir string) (*FileSealer, error) {
	if configDir == "" {
		return nil, errors.New("token key: no config directory")
	}
	dir := filepath.Join(configDir, "lineagedesk")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("token key: create %s: %w", dir, err)
	}
	path := filepath.Join(dir, "secret.key")
	key, err := loadOrCreateKey(path)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("token key %s: %w", path, err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("token key %s: %w", path, err)
	}
	return &FileSealer{KeyPath: path, aead: aead}, nil
}

// Seal implements Sealer: tag | nonce | ciphertext. The connection name is
// authenticated data, so a sealed token cannot be moved to another
// connection unnoticed.
func (f *FileSealer) Seal(name, token string) ([]byte, string, error) {
	if token == "" {
		return nil, "", errors.New("seal token: the token is empty")
	}
	nonce := make([]byte, f.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, "", fmt.Errorf("seal token: %w", err)
	}
	out := append(bytes.Clone(tagAESGCM), nonce...)
	out = f.aead.Seal(out, nonce, []byte(token), []byte(name))
	return out, StorageEncryptedFile, nil
}

// Open implements Sealer.
func (f *FileSealer) Open(name string, sealed []byte) (string, error) {
	if !bytes.HasPrefix(sealed, tagAESGCM) {
		return "", fmt.Errorf("open token %q: not an encrypted token (unknown format): enter the token again", name)
	}
	rest := sealed[len(tagAESGCM):]
	ns := f.aead.NonceSize()
	if len(rest) < ns+f.aead.Overhead() {
		return "", fmt.Errorf("open token %q: sealed token is truncated: enter the token again", name)
	}
	plain, err := f.aead.Open(nil, rest[:ns], rest[ns:], []byte(name))
	if err != nil {
		return "", fmt.Errorf("open token %q: it was sealed with another key than %s (or altered): enter the token again", name, f.KeyPath)
	}
	return string(plain), nil
}

// Delete implements Sealer; the ciphertext lives with the connection, so
// there is nothing else to forget.
func (f *FileSealer) Delete(string, []byte) error { return nil }

func loadOrCreateKey(path string) ([]byte, error) {
	key, err := readKey(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	// Write a temporary file and link it into place: two processes starting
	// at once end up with the same key, never with a half-written one.
	key = make([]byte, keySize)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("token key: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".secret.key-*")
	if err != nil {
		return nil, fmt.Errorf("token key: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil && runtime.GOOS != "windows" {
		tmp.Close()
		return nil, fmt.Errorf("token key: %w", err)
	}
	if _, err := tmp.Write(key); err != nil {
		tmp.Close()
		return nil, fmt.Errorf("token key: write %s: %w", tmp.Name(), err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return nil, fmt.Errorf("token key: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return nil, fmt.Errorf("token key: %w", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return readKey(path)
		}
		return nil, fmt.Errorf("token key: create %s: %w", path, err)
	}
	return key, nil
}

func readKey(path string) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	// A key others can read protects nothing; tighten it rather than refuse,
	// since the owner may have copied the config directory with cp -r.
	if runtime.GOOS != "windows" && info.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(path, 0o600); err != nil {
			return nil, fmt.Errorf("token key %s is readable by others and cannot be restricted: %w", path, err)
		}
	}
	key, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("token key: %w", err)
	}
	if len(key) != keySize {
		return nil, fmt.Errorf("token key %s has %d bytes, want %d: move it away to create a new one (saved tokens must then be entered again)", path, len(key), keySize)
	}
	return key, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b)
}
