package storage

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"slices"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// nodeDigest is what state: compares of one lineage node, each part
// hashed (FNV-1a, 64 bits; 0 for a part the node does not have): its code,
// its file's checksum, its config's text, its relation, its fqn, its
// description and its columns' (names and descriptions), its contract and
// its type's other properties (backend.StateKeys), whether dbt persists
// its descriptions, and the macros it calls. Kept per snapshot in one blob
// (snapshot_digests), so that comparing two 50k-model snapshots reads two
// small blobs instead of every row's code and config through SQLite's
// overflow pages (3.3-4.1 s).
type nodeDigest struct {
	id                               string
	code, checksum, config, relation uint64
	fqn, description, columnDocs     uint64
	contract, properties             uint64
	persist                          uint8    // persistRelationDocs | persistColumnDocs
	macros                           []string // depends_on.macros, as read back
	calls                            []uint32 // the same while writing: positions in snapshotDigests.names
}

const (
	persistRelationDocs = 1 << iota
	persistColumnDocs
)

// digestFormat is the layout and meaning of what encode writes;
// snapshot_digests rows of another format are built again from the stored
// resources. 1: code, checksum, config text, rendered relation; 2 adds
// fqn, descriptions, contract and properties, and the configured relation;
// 3 compares configs key order and nulls aside.
const digestFormat = 3

// macroDigest is a macro's code, hashed, and the macros it calls: a node
// whose macros, or theirs, changed is state:modified.macros, as in dbt.
type macroDigest struct {
	id     string
	code   uint64
	macros []string
	calls  []uint32
}

// snapshotDigests are a snapshot's node and macro digests. While writing,
// calls are positions in names, each called macro's unique_id once: a
// 50k-model project's 180k nodes call a few hundred macros, and keeping
// their ids as strings per node cost the import 0.1 GB and 2-3 s of GC.
type snapshotDigests struct {
	nodes  []nodeDigest
	macros []macroDigest
	names  []string
	index  map[string]uint32 // names' positions
}

func (d *snapshotDigests) calls(ids []string) []uint32 {
	if len(ids) == 0 {
		return nil
	}
	if d.index == nil {
		d.index = map[string]uint32{}
	}
	out := make([]uint32, len(ids))
	for i, id := range ids {
		p, ok := d.index[id]
		if !ok {
			p = uint32(len(d.names))
			d.names = append(d.names, id)
			d.index[id] = p
		}
		out[i] = p
	}
	return out
}

func (d *snapshotDigests) addNode(r *backend.Resource) {
	n := digestOf(r)
	n.calls = d.calls(r.DependsOnMacros)
	d.nodes = append(d.nodes, n)
}

// digestOf hashes what state: compares of a node, its macros aside.
func digestOf(r *backend.Resource) nodeDigest {
	n := nodeDigest{id: r.UniqueID, code: fnv64(r.RawCode), config: fnv64(r.State.Config),
		relation: fnv64(r.State.Relation), checksum: hashOf(r.Checksum), fqn: hashOf(r.FQN...),
		description: hashOf(r.Description), columnDocs: columnDocsHash(r.Columns),
		contract: hashOf(r.State.Contract), properties: hashOf(r.State.Properties)}
	if r.State.PersistRelationDocs {
		n.persist |= persistRelationDocs
	}
	if r.State.PersistColumnDocs {
		n.persist |= persistColumnDocs
	}
	return n
}

// columnDocsHash hashes the names and descriptions of the columns the
// manifest documents, by name (what dbt compares when it persists column
// descriptions); 0 without any.
func columnDocsHash(columns []backend.Column) uint64 {
	var parts []string
	for _, c := range columns {
		if c.InManifest {
			parts = append(parts, c.Name+"\x00"+c.Description)
		}
	}
	slices.Sort(parts)
	return hashOf(parts...)
}

// hashOf is fnv64, or 0 when every part is empty.
func hashOf(parts ...string) uint64 {
	for _, p := range parts {
		if p != "" {
			return fnv64(parts...)
		}
	}
	return 0
}

func (d *snapshotDigests) addMacro(r *backend.Resource) {
	d.macros = append(d.macros, macroDigest{id: r.UniqueID, code: fnv64(r.RawCode), calls: d.calls(r.DependsOnMacros)})
}

// optional are the hashes encode writes only when they are not 0.
func (n *nodeDigest) optional() [5]*uint64 {
	return [5]*uint64{&n.fqn, &n.description, &n.columnDocs, &n.contract, &n.properties}
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

// encode sorts the digests by unique_id and writes the macros, then the
// nodes: each list's count, then per entry the length of the unique_id it
// shares with the one before, the rest (its length and bytes), its hashes
// (8 bytes each: one for a macro; four for a node, then a mask of which of
// its other five are not 0 with its persist flags above, and those) and the
// macros it calls
// as positions in the macro list (their count first; calls to macros the
// snapshot does not hold are left out).
func (d snapshotDigests) encode() []byte {
	slices.SortFunc(d.macros, func(a, b macroDigest) int { return strings.Compare(a.id, b.id) })
	slices.SortFunc(d.nodes, func(a, b nodeDigest) int { return strings.Compare(a.id, b.id) })
	position := make(map[string]uint64, len(d.macros))
	for i, m := range d.macros {
		position[m.id] = uint64(i)
	}
	appendCalls := func(out []byte, calls []uint32) []byte {
		var known []uint64
		for _, c := range calls {
			if p, ok := position[d.names[c]]; ok {
				known = append(known, p)
			}
		}
		out = binary.AppendUvarint(out, uint64(len(known)))
		for _, p := range known {
			out = binary.AppendUvarint(out, p)
		}
		return out
	}
	out := binary.AppendUvarint(nil, uint64(len(d.macros)))
	prev := ""
	for _, m := range d.macros {
		out = appendFrontCoded(out, prev, m.id) // reach_codec.go
		out = binary.LittleEndian.AppendUint64(out, m.code)
		out = appendCalls(out, m.calls)
		prev = m.id
	}
	out = binary.AppendUvarint(out, uint64(len(d.nodes)))
	prev = ""
	for _, n := range d.nodes {
		out = appendFrontCoded(out, prev, n.id)
		for _, h := range [4]uint64{n.code, n.checksum, n.config, n.relation} {
			out = binary.LittleEndian.AppendUint64(out, h)
		}
		optional := n.optional()
		mask := uint64(n.persist) << len(optional)
		for i, h := range optional {
			if *h != 0 {
				mask |= 1 << i
			}
		}
		out = binary.AppendUvarint(out, mask)
		for _, h := range optional {
			if *h != 0 {
				out = binary.LittleEndian.AppendUint64(out, *h)
			}
		}
		out = appendCalls(out, n.calls)
		prev = n.id
	}
	return out
}

var errCorruptDigests = errors.New("corrupt node digests")

// decodeDigests reads what encode wrote; a call is kept as the called
// macro's unique_id.
func decodeDigests(b []byte) (snapshotDigests, error) {
	r := blobReader{b: b}
	var d snapshotDigests
	readID := func(prev string) (string, bool) {
		// Compared before the conversion: a uvarint past int's range would
		// turn negative and slip through.
		shared, rest := r.uvarint(), r.count(1)
		if r.err != nil || shared > uint64(len(prev)) {
			return "", false
		}
		id := prev[:shared] + string(r.b[:rest])
		r.b = r.b[rest:]
		return id, true
	}
	hash := func() (uint64, bool) {
		if len(r.b) < 8 {
			return 0, false
		}
		h := binary.LittleEndian.Uint64(r.b)
		r.b = r.b[8:]
		return h, true
	}
	calls := func() ([]string, bool) {
		n := r.count(1)
		if n == 0 {
			return nil, r.err == nil
		}
		out := make([]string, 0, n)
		for range n {
			p := r.uvarint()
			if r.err != nil || p >= uint64(len(d.macros)) {
				return nil, false
			}
			out = append(out, d.macros[p].id)
		}
		return out, r.err == nil
	}
	m := r.count(1)
	d.macros = make([]macroDigest, m)
	positions := make([][]uint64, m) // calls point anywhere in the list: ids come after
	prev := ""
	for i := range d.macros {
		id, ok := readID(prev)
		if !ok {
			return snapshotDigests{}, errCorruptDigests
		}
		code, ok := hash()
		if !ok {
			return snapshotDigests{}, errCorruptDigests
		}
		d.macros[i] = macroDigest{id: id, code: code}
		for range r.count(1) {
			positions[i] = append(positions[i], r.uvarint())
		}
		if r.err != nil {
			return snapshotDigests{}, errCorruptDigests
		}
		prev = id
	}
	for i, calls := range positions {
		for _, p := range calls {
			if p >= uint64(m) {
				return snapshotDigests{}, errCorruptDigests
			}
			d.macros[i].macros = append(d.macros[i].macros, d.macros[p].id)
		}
	}
	n := r.count(1)
	d.nodes = make([]nodeDigest, 0, n)
	prev = ""
	for range n {
		id, ok := readID(prev)
		if !ok {
			return snapshotDigests{}, errCorruptDigests
		}
		nd := nodeDigest{id: id}
		for _, h := range [4]*uint64{&nd.code, &nd.checksum, &nd.config, &nd.relation} {
			if *h, ok = hash(); !ok {
				return snapshotDigests{}, errCorruptDigests
			}
		}
		optional := nd.optional()
		mask := r.uvarint()
		if r.err != nil || mask>>(len(optional)+2) != 0 {
			return snapshotDigests{}, errCorruptDigests
		}
		nd.persist = uint8(mask >> len(optional))
		for i, h := range optional {
			if mask&(1<<i) != 0 {
				if *h, ok = hash(); !ok {
					return snapshotDigests{}, errCorruptDigests
				}
			}
		}
		if nd.macros, ok = calls(); !ok {
			return snapshotDigests{}, errCorruptDigests
		}
		d.nodes = append(d.nodes, nd)
		prev = id
	}
	if r.err != nil {
		return snapshotDigests{}, errCorruptDigests
	}
	return d, nil
}

// storedDigests reads a snapshot's digests; ok is false for a snapshot
// stored before they were kept in this format.
func storedDigests(ctx context.Context, db *sql.DB, snapshotID int64) (d snapshotDigests, ok bool, err error) {
	var blob []byte
	err = db.QueryRowContext(ctx, `SELECT digests FROM snapshot_digests WHERE snapshot_id = ? AND format = ?`,
		snapshotID, digestFormat).Scan(&blob)
	if errors.Is(err, sql.ErrNoRows) {
		return d, false, nil
	}
	if err != nil {
		return d, false, err
	}
	d, err = decodeDigests(blob)
	return d, err == nil, err
}

// compareDigests merges two sorted digest lists: the nodes of cur that are
// new or changed against base, and how, and those of base that cur lacks
// (Removed).
func compareDigests(cur, base snapshotDigests) map[string]backend.StateChange {
	changes := map[string]backend.StateChange{}
	touched := macrosTouched(cur.macros, base.macros)
	j := 0
	removed := func(until string) {
		for ; j < len(base.nodes) && (until == "" || base.nodes[j].id < until); j++ {
			changes[base.nodes[j].id] = backend.StateChange{Removed: true}
		}
	}
	for _, c := range cur.nodes {
		removed(c.id)
		// A new node calling a changed macro is state:modified.macros too, as in dbt.
		macros := slices.ContainsFunc(c.macros, func(m string) bool { return touched[m] })
		if j == len(base.nodes) || base.nodes[j].id != c.id {
			changes[c.id] = backend.StateChange{New: true, Macros: macros}
			continue
		}
		ch := changeOf(&c, &base.nodes[j])
		ch.Macros = macros
		if ch.Modified() {
			changes[c.id] = ch
		}
		j++
	}
	removed("")
	return changes
}

// changeOf compares a node now (c) with the node before (b), part by
// part, its macros aside.
func changeOf(c, b *nodeDigest) backend.StateChange {
	return backend.StateChange{
		// As dbt's same_body: the code, and a seed's file (it has none).
		Body:     c.code != b.code || strings.HasPrefix(c.id, backend.TypeSeed+".") && c.checksum != 0 && b.checksum != 0 && c.checksum != b.checksum,
		Configs:  c.config != b.config,
		Relation: c.relation != b.relation,
		// dbt compares descriptions only where the newer node persists them.
		PersistedDescriptions: c.persist&persistRelationDocs != 0 && c.description != b.description ||
			c.persist&persistColumnDocs != 0 && c.columnDocs != b.columnDocs,
		Contract:   c.contract != b.contract,
		FQN:        c.fqn != b.fqn,
		Properties: c.properties != b.properties,
	}
}

// macrosTouched returns the macros of cur that are new or changed against
// base, or call one that is, however deep (dbt's modified macros).
func macrosTouched(cur, base []macroDigest) map[string]bool {
	before := make(map[string]uint64, len(base))
	for _, m := range base {
		before[m.id] = m.code
	}
	calls := make(map[string][]string, len(cur))
	var changed []string
	for _, m := range cur {
		calls[m.id] = m.macros
		if code, ok := before[m.id]; !ok || code != m.code {
			changed = append(changed, m.id)
		}
	}
	// Walk the calls backwards from the changed macros.
	callers := map[string][]string{}
	for caller, callees := range calls {
		for _, callee := range callees {
			callers[callee] = append(callers[callee], caller)
		}
	}
	touched := map[string]bool{}
	for len(changed) > 0 {
		m := changed[len(changed)-1]
		changed = changed[:len(changed)-1]
		if touched[m] {
			continue
		}
		touched[m] = true
		changed = append(changed, callers[m]...)
	}
	return touched
}
