package storage

import (
	"context"
	"maps"
	"reflect"
	"slices"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend/synth"
)

// TestLatestResultsEitherWay: the latest results of a list of ids are the
// same read by a probe per id or from the whole run, for the whole run's
// ids, a part of them and ids it never ran; a retry's later result wins
// either way.
func TestLatestResultsEitherWay(t *testing.T) {
	s, snap, b := savedSynth(t, synth.Spec{Models: 60, Seed: 9})
	var all []string
	for _, r := range b.RunResults {
		all = append(all, r.UniqueID)
	}
	retried := all[len(all)/2]
	if _, err := s.writer.ExecContext(t.Context(), `INSERT INTO run_results (snapshot_id, position, unique_id, status, is_test_outcome)
		VALUES (?, 1000000, ?, 'retried', 0)`, snap.ID, retried); err != nil {
		t.Fatal(err)
	}
	slices.Sort(all)
	for _, ids := range [][]string{all, all[:len(all)/3], append(slices.Clone(all[:5]), "model.nowhere.never_ran")} {
		s.wholeRunFrom = 1 << 30
		probed, err := s.LatestResults(t.Context(), snap.ID, ids)
		if err != nil {
			t.Fatal(err)
		}
		s.wholeRunFrom = 0
		if whole, err := s.readsWholeRun(t.Context(), snap.ID, len(ids)); err != nil || whole != (len(ids)*5 >= len(b.RunResults)*2+2) {
			t.Errorf("%d ids of %d results: whole run %v, %v", len(ids), len(b.RunResults)+1, whole, err)
		}
		walked, err := s.LatestResults(t.Context(), snap.ID, ids)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(probed, walked) {
			t.Errorf("%d ids: probed %d results, walked %d; differ for %v", len(ids), len(probed), len(walked),
				slices.DeleteFunc(slices.Collect(maps.Keys(probed)), func(id string) bool { return reflect.DeepEqual(probed[id], walked[id]) }))
		}
		if slices.Contains(ids, retried) && probed[retried].Status != "retried" {
			t.Errorf("the retry's result lost: %+v", probed[retried])
		}
	}
}

// A query that fails says so, either way (it once left the probe's error
// unread and went on with no rows).
func TestLatestResultsFailsOnACancelledQuery(t *testing.T) {
	s, snap, b := savedSynth(t, synth.Spec{Models: 20, Seed: 9})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	ids := []string{b.RunResults[0].UniqueID}
	for _, from := range []int{1 << 30, 0} {
		s.wholeRunFrom = from
		if _, err := s.LatestResults(ctx, snap.ID, ids); err == nil {
			t.Errorf("whole run from %d ids: no error on a cancelled context", from)
		}
	}
}
