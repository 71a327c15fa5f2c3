package storage

import (
	"bytes"
	"compress/flate"
	"encoding/json"
	"fmt"
	"io"
)

// A resource's raw JSON is most of a manifest (155 of 170 MB for 10k
// models) and is only read back for the node page, one resource at a time.
// It is stored deflated, as a BLOB starting with rawDeflated, which cuts
// the store by a third and the pages an import writes (twice, WAL then
// checkpoint) with it. Stores written before keep plain JSON TEXT, which
// never starts with that byte, so both read back the same.
const rawDeflated = 0x01

// rawCompressor deflates raw JSON, reusing its buffers between documents.
type rawCompressor struct {
	buf bytes.Buffer
	zw  *flate.Writer
}

func newRawCompressor() *rawCompressor {
	zw, _ := flate.NewWriter(nil, flate.BestSpeed) // cannot fail for a valid level
	return &rawCompressor{zw: zw}
}

// compress returns the stored form of raw: nil when empty, else a fresh
// slice holding rawDeflated and the deflate stream.
func (c *rawCompressor) compress(raw json.RawMessage) (any, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	c.buf.Reset()
	c.buf.WriteByte(rawDeflated)
	c.zw.Reset(&c.buf)
	if _, err := c.zw.Write(raw); err != nil {
		return nil, err
	}
	if err := c.zw.Close(); err != nil {
		return nil, err
	}
	return bytes.Clone(c.buf.Bytes()), nil
}

// decodeRaw reads back what compress stored, or plain JSON from older stores.
func decodeRaw(stored []byte) (json.RawMessage, error) {
	if len(stored) == 0 {
		return nil, nil
	}
	if stored[0] != rawDeflated {
		return json.RawMessage(stored), nil
	}
	out, err := io.ReadAll(flate.NewReader(bytes.NewReader(stored[1:])))
	if err != nil {
		return nil, fmt.Errorf("inflate raw JSON: %w", err)
	}
	return out, nil
}
