package storage

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// nodeDigest is what state: compares of one lineage node, each part
// hashed (FNV-1a, 64 bits): its code, its file's checksum (0 without one),
// its config's text and its relation. Kept per snapshot in one blob
// (snapshot_digests), so that comparing two 50k-model snapshots reads two
// small blobs instead of every row's code and config through SQLite's
// overflow pages (3.3-4.1 s).
type nodeDigest struct {
	id                               string
	code, checksum, config, relation uint64
}

func digestOf(r *backend.Resource) nodeDigest {
	d := nodeDigest{id: r.UniqueID, code: fnv64(r.RawCode), config: fnv64(string(r.Config)),
		relation: fnv64(r.Database, r.Schema, r.Identifier)}
	if r.Checksum != "" {
		d.checksum = fnv64(r.Checksum)
	}
	return d
}

// fnv64 is FNV-1a over the parts, a 0xff byte between them.
func fnv64(parts ...string) uint64 {
	const prime = 1099511628211
	h := uint64(14695981039346656037)
	for i, p := range parts {
		if i > 0 {
			h = (h ^ 0xff) * prime
		}
		for j := 0; j < len(p); j++ {
			h = (h ^ uint64(p[j])) * prime
		}
	}
	return h
}

// encodeDigests sorts d by unique_id and writes: the count, then per node
// the length of the unique_id it shares with the one before, the rest (its
// length and bytes), and the four hashes, 8 bytes each.
func encodeDigests(d []nodeDigest) []byte {
	slices.SortFunc(d, func(a, b nodeDigest) int { return strings.Compare(a.id, b.id) })
	out := binary.AppendUvarint(nil, uint64(len(d)))
	prev := ""
	for _, n := range d {
		shared := 0
		for shared < len(prev) && shared < len(n.id) && prev[shared] == n.id[shared] {
			shared++
		}
		out = binary.AppendUvarint(out, uint64(shared))
		out = binary.AppendUvarint(out, uint64(len(n.id)-shared))
		out = append(out, n.id[shared:]...)
		for _, h := range [4]uint64{n.code, n.checksum, n.config, n.relation} {
			out = binary.LittleEndian.AppendUint64(out, h)
		}
		prev = n.id
	}
	return out
}

var errCorruptDigests = errors.New("corrupt node digests")

func decodeDigests(b []byte) ([]nodeDigest, error) {
	r := blobReader{b: b}
	n := r.count(1)
	out := make([]nodeDigest, 0, n)
	prev := ""
	for range n {
		shared, rest := int(r.uvarint()), r.count(1)
		if r.err != nil || shared > len(prev) || len(r.b) < rest+32 {
			return nil, errCorruptDigests
		}
		d := nodeDigest{id: prev[:shared] + string(r.b[:rest])}
		r.b = r.b[rest:]
		for _, h := range [4]*uint64{&d.code, &d.checksum, &d.config, &d.relation} {
			*h = binary.LittleEndian.Uint64(r.b)
			r.b = r.b[8:]
		}
		out = append(out, d)
		prev = d.id
	}
	if r.err != nil {
		return nil, errCorruptDigests
	}
	return out, nil
}

// storedDigests reads a snapshot's digests; ok is false for a snapshot
// stored before they were kept.
func storedDigests(ctx context.Context, db *sql.DB, snapshotID int64) (d []nodeDigest, ok bool, err error) {
	var blob []byte
	err = db.QueryRowContext(ctx, `SELECT digests FROM snapshot_digests WHERE snapshot_id = ?`, snapshotID).Scan(&blob)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	d, err = decodeDigests(blob)
	return d, err == nil, err
}

// compareDigests merges two sorted digest lists: the nodes of cur that are
// new or changed against base, and those whose config text changed, which
// the caller checks key order aside.
func compareDigests(cur, base []nodeDigest) (changes map[string]backend.StateChange, configText []string) {
	changes = map[string]backend.StateChange{}
	j := 0
	for _, c := range cur {
		for j < len(base) && base[j].id < c.id {
			j++
		}
		if j == len(base) || base[j].id != c.id {
			changes[c.id] = backend.StateChange{New: true}
			continue
		}
		b := base[j]
		ch := backend.StateChange{
			Body:     c.code != b.code || c.checksum != 0 && b.checksum != 0 && c.checksum != b.checksum,
			Relation: c.relation != b.relation,
		}
		if c.config != b.config {
			configText = append(configText, c.id)
		}
		if ch.Modified() {
			changes[c.id] = ch
		}
	}
	return changes, configText
}

// configsDiffer tells, for ids whose config text differs between the two
// snapshots, which hold a different config once key order is set aside.
func (s *Store) configsDiffer(ctx context.Context, snapshotID, baseID int64, ids []string) (map[string]bool, error) {
	stmt, err := s.reader.PrepareContext(ctx, `SELECT c.config, b.config FROM resources c, resources b
		WHERE c.snapshot_id = ? AND b.snapshot_id = ? AND c.unique_id = ? AND b.unique_id = c.unique_id`)
	if err != nil {
		return nil, err
	}
	defer stmt.Close()
	out := map[string]bool{}
	for _, id := range ids {
		var config, baseConfig []byte
		if err := stmt.QueryRowContext(ctx, snapshotID, baseID, id).Scan(&config, &baseConfig); err != nil {
			return nil, fmt.Errorf("config of %s: %w", id, err)
		}
		if !sameJSON(config, baseConfig) {
			out[id] = true
		}
	}
	return out, nil
}
