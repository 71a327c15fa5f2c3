package storage

import (
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// blocksOf inflates blocks as the store would hand them to decodeRaw.
func blocksOf(t testing.TB, blocks []rawBlock) func(int64) ([]byte, error) {
	byNumber := map[int64][]byte{}
	for _, b := range blocks {
		if _, dup := byNumber[b.number]; dup {
			t.Fatalf("block %d written twice", b.number)
		}
		byNumber[b.number] = b.data
	}
	return func(n int64) ([]byte, error) {
		data, ok := byNumber[n]
		if !ok {
			return nil, fmt.Errorf("no block %d", n)
		}
		return inflate(data)
	}
}

func TestRawJSONInBlocksReadsBack(t *testing.T) {
	c := newRawBlocker()
	var (
		raws   [][]byte
		stored []any
		blocks []rawBlock
	)
	for batch := range 5 {
		for i := range 40 {
			var raw []byte
			switch {
			case i == 7:
				// empty: NULL
			case batch == 2 && i == 3:
				raw = []byte(`{"compiled_code":"` + strings.Repeat("x", 3*rawBlockSize) + `"}`) // bigger than a block
			default:
				raw = fmt.Appendf(nil, `{"unique_id":"test.p.not_null_%d_%d","compiled_code":"select %s"}`, batch, i, strings.Repeat("a ", i*50))
			}
			ref, err := c.add(raw)
			if err != nil {
				t.Fatal(err)
			}
			raws, stored = append(raws, raw), append(stored, ref)
		}
		done, err := c.flush()
		if err != nil {
			t.Fatal(err)
		}
		blocks = append(blocks, done...)
	}
	for i, b := range blocks {
		if b.number != int64(i) {
			t.Fatalf("block %d is numbered %d", i, b.number)
		}
	}
	if len(blocks) < 7 {
		t.Fatalf("%d blocks for 5 batches with one raw of 3 blocks' size", len(blocks))
	}
	lookup := blocksOf(t, blocks)
	deflated, inflated := 0, 0
	for _, b := range blocks {
		data, _ := lookup(b.number)
		deflated, inflated = deflated+len(b.data), inflated+len(data)
		if len(data) > 3*rawBlockSize+100 {
			t.Errorf("block %d inflates to %d bytes", b.number, len(data))
		}
	}
	for i, raw := range raws {
		if len(raw) == 0 {
			if stored[i] != nil {
				t.Fatalf("empty raw stored as %v, want NULL", stored[i])
			}
			continue
		}
		ref := stored[i].([]byte)
		if ref[0] != rawInBlock || len(ref) > 16 {
			t.Fatalf("raw %d stored as %x: want a short reference", i, ref)
		}
		back, err := decodeRaw(ref, lookup)
		if err != nil || !bytes.Equal(back, raw) {
			t.Fatalf("raw %d reads back as %.60q, %v", i, back, err)
		}
	}
	if deflated*5 > inflated {
		t.Errorf("blocks deflate %d bytes to %d", inflated, deflated)
	}
}

func TestRawJSONFromOlderStoresReadsAsIs(t *testing.T) {
	noBlocks := func(int64) ([]byte, error) { return nil, errors.New("no blocks here") }
	plain := []byte(`{"unique_id":"model.shop.orders"}`)
	back, err := decodeRaw(plain, noBlocks)
	if err != nil || !bytes.Equal(back, plain) {
		t.Fatalf("decodeRaw(plain JSON) = %q, %v", back, err)
	}
	if back, err := decodeRaw(nil, noBlocks); err != nil || back != nil {
		t.Fatalf("decodeRaw(NULL) = %q, %v; want nil", back, err)
	}
	// A resource's own deflate stream, as stores written before blocks hold.
	var own bytes.Buffer
	own.WriteByte(rawDeflated)
	zw, _ := flate.NewWriter(&own, flate.BestSpeed)
	zw.Write(plain)
	zw.Close()
	if back, err := decodeRaw(own.Bytes(), noBlocks); err != nil || !bytes.Equal(back, plain) {
		t.Fatalf("decodeRaw(own deflate stream) = %q, %v", back, err)
	}
	if _, err := decodeRaw([]byte{rawDeflated, 0xff, 0x00}, noBlocks); err == nil {
		t.Fatal("decodeRaw of a damaged deflate stream: no error")
	}
}

func TestDamagedRawReferencesFail(t *testing.T) {
	c := newRawBlocker()
	ref, _ := c.add([]byte(`{"unique_id":"model.p.a"}`))
	blocks, _ := c.flush()
	lookup := blocksOf(t, blocks)
	good := ref.([]byte)
	for name, bad := range map[string][]byte{
		"truncated":      good[:2],
		"trailing byte":  append(bytes.Clone(good), 0),
		"past the block": {rawInBlock, 0, 20, 10},
		"too long":       {rawInBlock, 0, 0, 0xff, 0x01},
		"unknown block":  {rawInBlock, 9, 0, 1},
		"overflow":       {rawInBlock, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0, 1},
	} {
		if back, err := decodeRaw(bad, lookup); err == nil {
			t.Errorf("%s reference %x read as %q", name, bad, back)
		}
	}
	if _, err := decodeRaw(good, func(int64) ([]byte, error) { return inflate([]byte{0xff}) }); err == nil {
		t.Error("a damaged block: no error")
	}
}

// FuzzDecodeRaw: whatever a raw column and its block hold, reading them
// back fails or succeeds, never panics.
func FuzzDecodeRaw(f *testing.F) {
	c := newRawBlocker()
	ref, _ := c.add([]byte(`{"unique_id":"model.p.a"}`))
	blocks, _ := c.flush()
	f.Add(ref.([]byte), blocks[0].data)
	f.Add([]byte{rawDeflated, 1, 2}, []byte{})
	f.Add([]byte(`{"a":1}`), []byte{0})
	f.Fuzz(func(t *testing.T, stored, block []byte) {
		decodeRaw(stored, func(int64) ([]byte, error) { return inflate(block) })
	})
}
