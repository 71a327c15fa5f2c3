package storage_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lineagedesk/lineagedesk/backend"
)

func TestConnections(t *testing.T) {
	s, _ := openStore(t)
	ctx := t.Context()
	c := backend.Connection{Name: "prod", AccessURL: "https://emea.dbt.com", AccountID: 1, ProjectID: 2, EnvironmentID: 3,
		JobID: 4, RunID: 5, TokenStorage: "keyring"}
	if err := s.SaveConnection(ctx, c, []byte("sealed-1")); err != nil {
		t.Fatal(err)
	}
	got, sealed, err := s.Connection(ctx, "prod")
	if err != nil || string(sealed) != "sealed-1" {
		t.Fatalf("Connection = %+v, %q, %v", got, sealed, err)
	}
	if got.CreatedAt.IsZero() || !got.CreatedAt.Equal(got.UpdatedAt) {
		t.Errorf("times not set: %+v", got)
	}
	created := got.CreatedAt
	c.CreatedAt, c.UpdatedAt = created, created
	if !reflect.DeepEqual(got, c) {
		t.Errorf("Connection =\n%+v\nwant\n%+v", got, c)
	}

	// Replacing keeps the creation time and swaps the token.
	time.Sleep(2 * time.Millisecond)
	c2 := backend.Connection{Name: "prod", AccessURL: "https://cloud.getdbt.com", AccountID: 9, TokenStorage: "encrypted-file"}
	if err := s.SaveConnection(ctx, c2, []byte("sealed-2")); err != nil {
		t.Fatal(err)
	}
	got, sealed, err = s.Connection(ctx, "prod")
	if err != nil || string(sealed) != "sealed-2" || got.AccountID != 9 || got.ProjectID != 0 || !got.CreatedAt.Equal(created) || !got.UpdatedAt.After(created) {
		t.Errorf("after replace: %+v, %q, %v", got, sealed, err)
	}
	if err := s.SaveConnection(ctx, backend.Connection{Name: "dev", AccessURL: "x", TokenStorage: "keyring"}, []byte("s")); err != nil {
		t.Fatal(err)
	}
	list, err := s.Connections(ctx)
	if err != nil || len(list) != 2 || list[0].Name != "dev" || list[1].Name != "prod" {
		t.Errorf("Connections = %+v, %v", list, err)
	}
	if err := s.SaveConnection(ctx, backend.Connection{Name: "x"}, nil); backend.ErrorCode(err) != backend.EINVALID {
		t.Errorf("saving without a sealed token: %v, want EINVALID", err)
	}
	if err := s.DeleteConnection(ctx, "prod"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Connection(ctx, "prod"); backend.ErrorCode(err) != backend.ENOTFOUND || !strings.Contains(err.Error(), `no dbt Cloud connection named "prod"; the saved ones: "dev"`) {
		t.Errorf("deleted connection: %v, want ENOTFOUND naming the saved ones", err)
	}
	if err := s.DeleteConnection(ctx, "prod"); backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Errorf("deleting twice: %v, want ENOTFOUND", err)
	}
}

func TestSyncHistory(t *testing.T) {
	s, _ := openStore(t)
	ctx := t.Context()
	snap := saveShop(t, s)
	t0 := time.Date(2025, 5, 1, 10, 0, 0, 123456789, time.UTC)
	first := backend.SyncRecord{Connection: "prod", StartedAt: t0, Status: backend.SyncRunning, ProjectID: 2, JobID: 4}
	id1, err := s.AddSyncRecord(ctx, first)
	if err != nil {
		t.Fatal(err)
	}
	id2, err := s.AddSyncRecord(ctx, backend.SyncRecord{Connection: "dev", StartedAt: t0.Add(time.Minute), Status: backend.SyncFailed, Reason: "401"})
	if err != nil {
		t.Fatal(err)
	}
	// The sync finishes.
	first.ID, first.Status, first.RunID, first.SnapshotID = id1, backend.SyncSucceeded, 77, snap.ID
	first.FinishedAt = t0.Add(2 * time.Minute)
	first.Reason, first.Warnings = "run 77 is the latest successful run of job 4", []string{"no catalog.json"}
	if err := s.UpdateSyncRecord(ctx, first); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateSyncRecord(ctx, backend.SyncRecord{ID: 999, Connection: "x", Status: backend.SyncFailed}); backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Errorf("updating a missing record: %v, want ENOTFOUND", err)
	}

	hist, err := s.SyncHistory(ctx, "prod", 10)
	if err != nil || len(hist) != 1 {
		t.Fatalf("SyncHistory(prod) = %+v, %v", hist, err)
	}
	// Times are kept to the microsecond, in UTC.
	want := first
	want.StartedAt, want.FinishedAt = t0.Truncate(time.Microsecond), first.FinishedAt.Truncate(time.Microsecond)
	if !reflect.DeepEqual(hist[0], want) {
		t.Errorf("record =\n%+v\nwant\n%+v", hist[0], want)
	}
	all, err := s.SyncHistory(ctx, "", 0)
	if err != nil || len(all) != 2 || all[0].ID != id2 || all[1].ID != id1 {
		t.Errorf("SyncHistory(all) = %+v, %v; want newest first", all, err)
	}
	if !all[0].FinishedAt.IsZero() {
		t.Errorf("unfinished record has FinishedAt %v", all[0].FinishedAt)
	}
	limited, err := s.SyncHistory(ctx, "", 1)
	if err != nil || len(limited) != 1 || limited[0].ID != id2 {
		t.Errorf("SyncHistory limit 1 = %+v, %v", limited, err)
	}
}
