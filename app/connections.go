package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/dbtcloud"
)

// Sealer seals dbt Cloud tokens for storage (see backend/secret).
type Sealer interface {
	Seal(name, token string) (sealed []byte, storage string, err error)
	Open(name string, sealed []byte) (string, error)
	Delete(name string, sealed []byte) error
	// Storage says where new tokens go: keyring or encrypted-file.
	Storage() string
}

var errNoSealer = errors.New("this build cannot store tokens")

// Connections lists saved dbt Cloud connections (never their tokens).
func (a *App) Connections() ([]backend.Connection, error) {
	cs, err := a.store.Connections(a.ctx)
	if err != nil {
		return nil, fmt.Errorf("list connections: %w", err)
	}
	if cs == nil {
		cs = []backend.Connection{}
	}
	return cs, nil
}

// Validate checks a connection form, before anything is asked of dbt
// Cloud, and normalises its access URL.
func (in *ConnectionInput) Validate() error {
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" {
		return backend.Errorf(backend.EINVALID, "connection name is empty: give it a name, e.g. \"production\"")
	}
	if in.AccountID < 0 {
		return backend.Errorf(backend.EINVALID, "account ID %d is not an id: it is the number after /accounts/ in your dbt Cloud URL", in.AccountID)
	}
	if in.AccountID == 0 {
		return backend.Errorf(backend.EINVALID, "account ID is missing: it is the number after /accounts/ in your dbt Cloud URL")
	}
	for _, id := range []struct {
		name string
		v    int64
	}{{"project", in.ProjectID}, {"environment", in.EnvironmentID}, {"job", in.JobID}, {"run", in.RunID}} {
		if id.v < 0 {
			return backend.Errorf(backend.EINVALID, "%s ID %d is not an id: give the number from its dbt Cloud URL (…/%ss/N), or leave it empty", id.name, id.v, id.name)
		}
	}
	u, err := dbtcloud.NormalizeAccessURL(in.AccessURL)
	if err != nil {
		return err
	}
	in.AccessURL = u
	in.Token = strings.TrimSpace(in.Token)
	if strings.ContainsFunc(in.Token, unicode.IsSpace) {
		return backend.Errorf(backend.EINVALID, "the token holds a space or a line break, which no dbt Cloud token has: paste the token alone")
	}
	return nil
}

// token returns the form's token or, when it is empty, the saved
// connection's token, so an edit need not re-enter it. A saved token only
// goes to the access URL it was saved with: anyone holding the session
// could otherwise send it to a host of their choosing and read it there.
func (a *App) token(in ConnectionInput) (string, error) {
	if in.Token != "" {
		return in.Token, nil
	}
	saved, sealed, err := a.store.Connection(a.ctx, in.Name)
	if err != nil {
		if backend.ErrorCode(err) == backend.ENOTFOUND {
			return "", backend.Errorf(backend.EINVALID, "the token is empty: paste a dbt Cloud service token or personal access token")
		}
		return "", err
	}
	if err := sameAccessURL(saved, in); err != nil {
		return "", err
	}
	if a.cfg.Sealer == nil {
		return "", errNoSealer
	}
	tok, err := a.cfg.Sealer.Open(in.Name, sealed)
	if err != nil {
		return "", fmt.Errorf("read the saved token of connection %q (re-enter it to fix): %w", in.Name, err)
	}
	return tok, nil
}

// sameAccessURL refuses to reuse a saved token for another access URL.
func sameAccessURL(saved backend.Connection, in ConnectionInput) error {
	if saved.AccessURL == in.AccessURL {
		return nil
	}
	return backend.Errorf(backend.EINVALID, "the access URL changed from %s to %s: paste the token again (a saved token is only sent to the access URL it was saved for)", saved.AccessURL, in.AccessURL)
}

func (a *App) client(accessURL, token string) (*dbtcloud.Client, error) {
	return dbtcloud.NewClient(accessURL, token, dbtcloud.WithLogger(a.log), dbtcloud.WithUserAgent("lineagedesk/"+a.cfg.Version))
}

// TestConnection checks the host, token and account of a connection form
// (or a saved connection when the token is empty) and lists what the token
// can see. Nothing is saved.
func (a *App) TestConnection(in ConnectionInput) (*dbtcloud.ConnectionReport, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	tok, err := a.token(in)
	if err != nil {
		return nil, err
	}
	c, err := a.client(in.AccessURL, tok)
	if err != nil {
		return nil, err
	}
	narrowing := dbtcloud.Narrowing{ProjectID: in.ProjectID, EnvironmentID: in.EnvironmentID, JobID: in.JobID}
	rep, err := c.TestConnection(a.ctx, in.AccountID, narrowing)
	if err == nil && in.RunID != 0 {
		err = pinnedRunSyncs(a.ctx, c, in.AccountID, in.RunID, narrowing)
	}
	if err != nil {
		return nil, fmt.Errorf("test connection %q: %w", in.Name, err)
	}
	return rep, nil
}

// pinnedRunSyncs checks that a connection's pinned run is one a sync can
// take: it exists, finished successfully and lies within the other pins.
func pinnedRunSyncs(ctx context.Context, c *dbtcloud.Client, accountID, runID int64, n dbtcloud.Narrowing) error {
	run, err := c.Run(ctx, accountID, runID, dbtcloud.RelatedJob)
	if err != nil {
		return fmt.Errorf("run %d (the run id setting): %w", runID, err)
	}
	_, err = dbtcloud.ChooseAskedRun(run, n)
	return err
}

// SaveConnection stores a connection, sealing its token. A name in use is
// refused unless in.Replace says to replace that connection; an empty
// token then keeps the saved one.
func (a *App) SaveConnection(in ConnectionInput) (backend.Connection, error) {
	if err := in.Validate(); err != nil {
		return backend.Connection{}, err
	}
	if a.cfg.Sealer == nil {
		return backend.Connection{}, errNoSealer
	}
	now := time.Now().UTC()
	conn := backend.Connection{
		Name: in.Name, AccessURL: in.AccessURL, AccountID: in.AccountID,
		ProjectID: in.ProjectID, EnvironmentID: in.EnvironmentID, JobID: in.JobID, RunID: in.RunID,
		CreatedAt: now, UpdatedAt: now,
	}
	existing, sealed, err := a.store.Connection(a.ctx, in.Name)
	switch {
	case err == nil && !in.Replace:
		return backend.Connection{}, backend.Errorf(backend.ECONFLICT,
			"a connection named %q is already saved (account %d at %s): choose another name, or open that one to change it", in.Name, existing.AccountID, existing.AccessURL)
	case err == nil:
		conn.CreatedAt = existing.CreatedAt
		conn.TokenStorage = existing.TokenStorage
	case backend.ErrorCode(err) != backend.ENOTFOUND:
		return backend.Connection{}, fmt.Errorf("save connection %q: %w", in.Name, err)
	case in.Token == "":
		return backend.Connection{}, backend.Errorf(backend.EINVALID, "the token is empty: paste a dbt Cloud service token or personal access token")
	}
	if in.Token == "" {
		if err := sameAccessURL(existing, in); err != nil {
			return backend.Connection{}, err
		}
	}
	var replaced []byte // the sealed token a new one replaces
	if in.Token != "" {
		replaced = sealed
		sealed, conn.TokenStorage, err = a.cfg.Sealer.Seal(in.Name, in.Token)
		if err != nil {
			return backend.Connection{}, fmt.Errorf("save connection %q: seal token: %w", in.Name, err)
		}
	}
	if err := a.store.SaveConnection(a.ctx, conn, sealed); err != nil {
		_ = a.cfg.Sealer.Delete(in.Name, sealed) // the new token's keyring entry, unused
		return backend.Connection{}, fmt.Errorf("save connection %q: %w", in.Name, err)
	}
	if replaced != nil {
		// The old token's keyring entry; a failure leaves an unused entry.
		_ = a.cfg.Sealer.Delete(in.Name, replaced)
	}
	return conn, nil
}

// DeleteConnection removes a connection and its token.
func (a *App) DeleteConnection(name string) error {
	_, sealed, err := a.store.Connection(a.ctx, name)
	if err != nil {
		return fmt.Errorf("delete connection %q: %w", name, err)
	}
	if a.cfg.Sealer != nil {
		if err := a.cfg.Sealer.Delete(name, sealed); err != nil {
			return fmt.Errorf("delete connection %q: forget token: %w", name, err)
		}
	}
	if err := a.store.DeleteConnection(a.ctx, name); err != nil {
		return fmt.Errorf("delete connection %q: %w", name, err)
	}
	return nil
}

// SyncHistory lists sync records of a connection ("" for all), newest first.
func (a *App) SyncHistory(name string) ([]backend.SyncRecord, error) {
	rs, err := a.store.SyncHistory(a.ctx, name, 50)
	if err != nil {
		return nil, fmt.Errorf("sync history: %w", err)
	}
	if rs == nil {
		rs = []backend.SyncRecord{}
	}
	return rs, nil
}
