package dbtcloud

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"
)

// Rewinder is what a download's writer implements for a download that
// broke off mid-body to be retried from the start; *os.File does. The
// writer is truncated back to where it stood when the download began.
type Rewinder interface {
	io.Seeker
	Truncate(size int64) error
}

// DownloadOption configures DownloadArtifact.
type DownloadOption func(*downloadConfig)

type downloadConfig struct {
	progress func(written int64)
}

// WithProgress calls fn with the bytes written so far as the body arrives
// (and with 0 when a retry starts over).
func WithProgress(fn func(written int64)) DownloadOption {
	return func(d *downloadConfig) { d.progress = fn }
}

// DownloadArtifact streams a run's artifact (manifest.json, catalog.json,
// run_results.json, sources.json, ...) into w without holding it in memory
// and returns the bytes written. step is the 1-based run step whose
// artifacts to read; 0 leaves it to the API, which uses the last step (with
// docs on, that is `dbt docs generate`, whose run_results.json holds no
// test outcomes: see ChooseSteps).
//
// There is no overall deadline: a body that stalls for the idle timeout
// fails, a slow but moving one is fine. A failure before any byte is
// written is retried; after bytes were written it is retried from scratch
// only when w is a Rewinder.
//
// API: GET /api/v2/accounts/{account_id}/runs/{id}/artifacts/{path}?step=
func (c *Client) DownloadArtifact(ctx context.Context, accountID, runID int64, artifactPath string, step int, w io.Writer, opts ...DownloadOption) (int64, error) {
	var cfg downloadConfig
	for _, opt := range opts {
		opt(&cfg)
	}
	r := resource{what: artifactDesc(artifactPath, runID, step)}
	r.notFound = notFoundHint(artifactPath)
	clean, err := cleanArtifactPath(artifactPath)
	if err != nil {
		return 0, c.userError(r, err)
	}
	p := fmt.Sprintf("api/v2/accounts/%d/runs/%d/artifacts/%s", accountID, runID, clean)
	q := url.Values{}
	if step > 0 {
		q.Set("step", strconv.Itoa(step))
	}

	rw, canRewind := w.(Rewinder)
	var start int64
	if canRewind {
		if start, err = rw.Seek(0, io.SeekCurrent); err != nil {
			canRewind = false
		}
	}
	var written int64
	err = c.withRetries(ctx, p, func() error {
		if written > 0 {
			if err := rw.Truncate(start); err != nil {
				return finalError{fmt.Errorf("start the download of %s over: %w", clean, err)}
			}
			if _, err := rw.Seek(start, io.SeekStart); err != nil {
				return finalError{fmt.Errorf("start the download of %s over: %w", clean, err)}
			}
			written = 0
			if cfg.progress != nil {
				cfg.progress(0)
			}
		}
		n, err := c.downloadOnce(ctx, p, q, w, cfg.progress)
		written = n
		if err != nil && n > 0 && !canRewind {
			return finalError{err}
		}
		return err
	})
	return written, c.userError(r, err)
}

func (c *Client) downloadOnce(ctx context.Context, p string, q url.Values, w io.Writer, progress func(int64)) (int64, error) {
	actx, cancel := context.WithCancel(ctx)
	defer cancel()
	it := startIdleTimer(c.idleTimeout, cancel)
	defer it.stop()
	// dbt's own clients ask for */* here: the file is served as is.
	req, err := c.newRequest(actx, p, q, "*/*")
	if err != nil {
		return 0, err
	}
	started := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, c.transportError(ctx, actx, it, req, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		c.logger.Debug("dbtcloud download", "url", redactURL(req.URL), "status", resp.StatusCode)
		return 0, c.newErrorResponse(req, resp, body)
	}
	var written int64
	buf := make([]byte, 256<<10)
	body := idleReader{resp.Body, it}
	for {
		n, rerr := body.Read(buf)
		if n > 0 {
			m, werr := w.Write(buf[:n])
			written += int64(m)
			if werr == nil && m < n {
				werr = io.ErrShortWrite
			}
			if werr != nil {
				// A full disk will not heal by asking again.
				return written, finalError{fmt.Errorf("write %s: %w", path.Base(p), werr)}
			}
			if progress != nil {
				progress(written)
			}
		}
		if errors.Is(rerr, io.EOF) {
			break
		}
		if rerr != nil {
			return written, c.transportError(ctx, actx, it, req, rerr)
		}
	}
	c.logger.Debug("dbtcloud download", "url", redactURL(req.URL), "status", resp.StatusCode, "bytes", written, "elapsed", time.Since(started))
	return written, nil
}

// cleanArtifactPath refuses paths that would leave the run's artifact
// folder ; the request's URL escapes it.
func cleanArtifactPath(p string) (string, error) {
	p = strings.TrimSpace(p)
	if p == "" || strings.HasPrefix(p, "/") || strings.Contains(p, `\`) {
		return "", fmt.Errorf("artifact path %q: want a path relative to target/, e.g. manifest.json", p)
	}
	for _, part := range strings.Split(p, "/") {
		if part == "" || part == "." || part == ".." {
			return "", fmt.Errorf("artifact path %q: want a path relative to target/, e.g. manifest.json", p)
		}
	}
	return p, nil
}

func artifactDesc(p string, runID int64, step int) string {
	if step > 0 {
		return fmt.Sprintf("%s of run %d (step %d)", p, runID, step)
	}
	return fmt.Sprintf("%s of run %d", p, runID)
}

func notFoundHint(p string) string {
	switch path.Base(p) {
	case "catalog.json":
		return "the run did not generate docs; turn on \"Generate docs on run\" for the job, or pick a run that has docs"
	case "sources.json":
		return "source freshness did not run in that step; turn on \"Run source freshness\" for the job"
	case "run_results.json":
		return "the step saved no results (it failed before dbt ran, or the run was cancelled)"
	}
	return "the run did not save it, or the token cannot see the run"
}
