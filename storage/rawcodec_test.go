package storage

import (
	"bytes"
	"strings"
	"testing"
)

func TestRawJSONStoredDeflatedReadsBack(t *testing.T) {
	raw := []byte(`{"unique_id":"model.shop.orders","compiled_code":"` + strings.Repeat(`select 1 union all `, 200) + `"}`)
	stored, err := newRawCompressor().compress(raw)
	if err != nil {
		t.Fatal(err)
	}
	blob := stored.([]byte)
	if blob[0] != rawDeflated || len(blob) >= len(raw)/4 {
		t.Fatalf("stored form: first byte %#x, %d bytes for %d of JSON; want %#x and deflated", blob[0], len(blob), len(raw), rawDeflated)
	}
	back, err := decodeRaw(blob)
	if err != nil || !bytes.Equal(back, raw) {
		t.Fatalf("decodeRaw = %.60q, %v; want the original JSON", back, err)
	}
}

func TestRawJSONFromOlderStoresReadsAsIs(t *testing.T) {
	plain := []byte(`{"unique_id":"model.shop.orders"}`)
	back, err := decodeRaw(plain)
	if err != nil || !bytes.Equal(back, plain) {
		t.Fatalf("decodeRaw(plain JSON) = %q, %v", back, err)
	}
	if back, err := decodeRaw(nil); err != nil || back != nil {
		t.Fatalf("decodeRaw(NULL) = %q, %v; want nil", back, err)
	}
	if _, err := decodeRaw([]byte{rawDeflated, 0xff, 0x00}); err == nil {
		t.Fatal("decodeRaw of a damaged deflate stream: no error")
	}
}
