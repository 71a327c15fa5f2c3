package storage

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// A resource's raw JSON is most of a manifest (155 of 170 MB for 10k
// models) and is only read back for the node page, one resource at a
// time. It is stored deflated in blocks of consecutive resources
// (raw_blocks, migration 0007), and the resource's raw column holds where
// in its block it is: rawInBlock, then the block number, the offset and the
// length in the inflated block, as uvarints. Deflating each resource alone
// cost the 10k-model import 1.45 s of CPU for 42 MB, most of it building a
// Huffman table per 3 kB document; blocks of up to rawBlockSize take 0.46 s
// for 11 MB, since neighbouring resources (tests, above all) repeat each
// other. Reading one back inflates its block, ~0.5 ms.
//
// Older stores hold the resource's own deflate stream after rawDeflated,
// or plain JSON TEXT, which starts with neither byte; all read back alike.
const (
	rawDeflated = 0x01
	rawInBlock  = 0x02
)

// rawBlockSize is the inflated size at which a block is closed; a resource
// larger than that has a block of its own.
const rawBlockSize = 128 << 10

// rawBlock is one raw_blocks row on its way to the store.
type rawBlock struct {
	number int64
	data   []byte
}

// rawBlocker deflates the raw JSON of a run of resources into blocks,
// numbering them from 0 for the snapshot, and reusing its buffers.
type rawBlocker struct {
	next  int64
	size  int // inflated bytes in the open block
	buf   bytes.Buffer
	zw    *flate.Writer
	open  bool
	ready []rawBlock
}

func newRawBlocker() *rawBlocker {
	// Level 2 rather than BestSpeed: on the 10k-model manifest it takes
	// about the same time for 20% less output.
	zw, _ := flate.NewWriter(nil, 2) // cannot fail for a valid level
	return &rawBlocker{zw: zw}
}

// add appends raw to the open block (opening one when needed) and returns
// what the resource's raw column stores: nil when raw is empty, else its
// reference.
func (c *rawBlocker) add(raw json.RawMessage) (any, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	if c.open && c.size+len(raw) > rawBlockSize {
		if err := c.close(); err != nil {
			return nil, err
		}
	}
	if !c.open {
		c.buf.Reset()
		c.zw.Reset(&c.buf)
		c.open, c.size = true, 0
	}
	ref := make([]byte, 1, 1+3*binary.MaxVarintLen64)
	ref[0] = rawInBlock
	ref = binary.AppendUvarint(ref, uint64(c.next))
	ref = binary.AppendUvarint(ref, uint64(c.size))
	ref = binary.AppendUvarint(ref, uint64(len(raw)))
	if _, err := c.zw.Write(raw); err != nil {
		return nil, err
	}
	c.size += len(raw)
	return ref, nil
}

// close finishes the open block, if any, and queues it for flush.
func (c *rawBlocker) close() error {
	if !c.open {
		return nil
	}
	if err := c.zw.Close(); err != nil {
		return err
	}
	c.ready = append(c.ready, rawBlock{number: c.next, data: bytes.Clone(c.buf.Bytes())})
	c.next++
	c.open = false
	return nil
}

// flush closes the open block and returns the blocks finished since the
// last flush.
func (c *rawBlocker) flush() ([]rawBlock, error) {
	if err := c.close(); err != nil {
		return nil, err
	}
	out := c.ready
	c.ready = nil
	return out, nil
}

var errCorruptRaw = errors.New("stored raw JSON is corrupt")

// rawBlockRef reads a rawInBlock reference.
func rawBlockRef(stored []byte) (block int64, offset, length uint64, err error) {
	r := &blobReader{b: stored[1:]}
	block, offset, length = int64(r.uvarint()), r.uvarint(), r.uvarint()
	if r.err != nil || len(r.b) != 0 || block < 0 {
		return 0, 0, 0, errCorruptRaw
	}
	return block, offset, length, nil
}

// decodeRaw reads back what a resource's raw column holds; block returns
// the inflated raw_blocks row a rawInBlock reference points into.
func decodeRaw(stored []byte, block func(number int64) ([]byte, error)) (json.RawMessage, error) {
	if len(stored) == 0 {
		return nil, nil
	}
	switch stored[0] {
	case rawInBlock:
		number, offset, length, err := rawBlockRef(stored)
		if err != nil {
			return nil, err
		}
		data, err := block(number)
		if err != nil {
			return nil, err
		}
		if offset > uint64(len(data)) || length > uint64(len(data))-offset {
			return nil, fmt.Errorf("%w: %d bytes at %d of a block of %d", errCorruptRaw, length, offset, len(data))
		}
		return bytes.Clone(data[offset : offset+length]), nil
	case rawDeflated:
		return inflate(stored[1:])
	}
	return json.RawMessage(stored), nil
}

func inflate(deflated []byte) ([]byte, error) {
	out, err := io.ReadAll(flate.NewReader(bytes.NewReader(deflated)))
	if err != nil {
		return nil, fmt.Errorf("inflate raw JSON: %w", err)
	}
	return out, nil
}
