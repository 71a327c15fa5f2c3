package storage_test

import (
	"errors"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
)

// The same dbt run saved again with SkipSameRun is refused, naming the
// snapshot that holds it, and the store is as it was; SnapshotOfInvocation
// finds that snapshot from the run's project, invocation and time alone.
func TestSameRunIsSkippedWhenAsked(t *testing.T) {
	s, _ := openStore(t)
	first := saveShop(t, s)
	b := shopBundle()
	_, err := s.SaveSnapshot(t.Context(), backend.NewSnapshot{Name: "again", Origin: backend.Origin{Kind: backend.OriginPath}, Bundle: b, SkipSameRun: true})
	var same *backend.SameRunError
	if !errors.As(err, &same) || same.SnapshotID != first.ID || same.InvocationID != b.Meta.InvocationID {
		t.Fatalf("the same run again: %v, want a SameRunError naming snapshot %d", err, first.ID)
	}
	if snaps, err := s.Snapshots(t.Context()); err != nil || len(snaps) != 1 {
		t.Fatalf("snapshots: %d, %v", len(snaps), err)
	}
	found, err := s.SnapshotOfInvocation(t.Context(), "shop", b.Meta.InvocationID, b.Meta.GeneratedAt)
	if err != nil || found.ID != first.ID {
		t.Errorf("SnapshotOfInvocation: %+v, %v", found, err)
	}
	if _, err := s.SnapshotOfInvocation(t.Context(), "shop", "another-inv", b.Meta.GeneratedAt); backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Errorf("another invocation: %v, want ENOTFOUND", err)
	}
	// Without SkipSameRun it is stored again, with a warning.
	again, err := s.SaveSnapshot(t.Context(), backend.NewSnapshot{Name: "again", Origin: backend.Origin{Kind: backend.OriginPath}, Bundle: shopBundle()})
	if err != nil || len(again.Warnings) == 0 {
		t.Errorf("stored again: %+v, %v", again.Warnings, err)
	}
}
