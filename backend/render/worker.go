package render

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"

	"github.com/lineagedesk/lineagedesk/backend/hugepage"
)

// A layout run in a long-lived UI process stalls that whole process: the Go
// garbage collector's stop-the-world phases wait for the goroutine running
// go-graphviz's WebAssembly, which cannot be preempted, so every goroutine
// that allocates (a search request, the HTTP server, the window's bridge)
// waits until the layout ends: up to 0.6 s during a 1,000-node picture,
// measured. go-graphviz also never frees the strings it copies into the
// WebAssembly memory nor the output it hands back (about 3 MB per
// 1,000-node SVG; its issue #111), so such a process grows with every
// picture. The worker engine runs the layouts in a child process instead
// (this binary's hidden render-worker command, which calls ServeWorker):
// the UI process never waits on WebAssembly, a cancelled layout is killed
// rather than left to finish, and the worker is replaced once its memory
// passes a limit.

// DefaultWorkerMaxRSS is the worker's resident size beyond which it is
// replaced after its current layout: a fresh worker holds about 60 MB.
const DefaultWorkerMaxRSS = 512 << 20

// Request and reply limits: a DOT source or output larger than this is not
// a picture anyone can use, and a length beyond it means a garbled stream.
const (
	maxFrame       = 512 << 20
	maxFormatBytes = 16
)

// DefaultWorkerMinNodes is the size (in nodes, or in edges) from which a
// diagram goes to the worker. Below it a layout takes tens of milliseconds in-process (the
// longest a GC pause waits for it), and the first small picture after a
// launch does not wait for the worker to start: sending every picture to
// the worker took launch-to-first-picture on 50k models from 1.1-1.3 s to
// 1.8-2.3 s.
const DefaultWorkerMinNodes = 100

// WorkerOptions configures NewWorkerRenderer. Zero values take the
// defaults (DefaultMaxNodes, DefaultWorkerMinNodes, DefaultWorkerMaxRSS).
type WorkerOptions struct {
	MaxNodes int
	// MinNodes is the size from which a diagram is laid out by the worker.
	MinNodes int
	// MaxRSS is the worker's resident size beyond which it is replaced.
	MaxRSS int64
	// Command returns the command that starts a worker (see ServeWorker).
	Command func() *exec.Cmd
}

// NewWorkerRenderer is NewRenderer plus a worker process for big
// diagrams. The worker starts with StartWorker, or with the first diagram
// that needs it.
func NewWorkerRenderer(ctx context.Context, opts WorkerOptions) (*Renderer, error) {
	r, err := NewRenderer(ctx, opts.MaxNodes)
	if err != nil {
		return nil, err
	}
	if opts.MaxRSS <= 0 {
		opts.MaxRSS = DefaultWorkerMaxRSS
	}
	if opts.MinNodes <= 0 {
		opts.MinNodes = DefaultWorkerMinNodes
	}
	r.worker = &workerEngine{command: opts.Command, maxRSS: opts.MaxRSS, sem: make(chan struct{}, 1)}
	r.workerMinNodes = opts.MinNodes
	return r, nil
}

// StartWorker starts the worker process now, if there is none running, so
// that the next big diagram does not wait for it.
func (r *Renderer) StartWorker() error {
	if r.worker == nil {
		return nil
	}
	e := r.worker
	e.sem <- struct{}{}
	defer func() { <-e.sem }()
	return e.ensureRunning()
}

// ensureRunning starts a worker unless one is running; the caller holds sem.
func (e *workerEngine) ensureRunning() error {
	if e.proc != nil && e.proc.running() {
		return nil
	}
	if e.proc != nil {
		e.proc.stop(true)
		e.proc = nil
	}
	p, err := e.start()
	if err != nil {
		return err
	}
	e.proc = p
	return nil
}

// errWorkerUnavailable marks a worker that could not be started; the
// Renderer then lays out in-process.
var errWorkerUnavailable = errors.New("cannot start a process")

// workerEngine sends each layout to one worker process at a time.
type workerEngine struct {
	command func() *exec.Cmd
	maxRSS  int64
	sem     chan struct{} // one layout at a time; held while using proc
	proc    *workerProc   // guarded by sem; nil when none is running
}

// workerProc is one running worker and our ends of its pipes.
type workerProc struct {
	cmd    *exec.Cmd
	toW    *os.File // the worker's stdin
	fromW  *os.File // the worker's stdout
	reader *bufio.Reader
	stderr *stderrTail
	exited chan struct{} // closed once the process has been waited for
}

func (e *workerEngine) start() (*workerProc, error) {
	cmd := e.command()
	cmd.Env = workerEnv(cmd.Environ())
	inR, inW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("start graphviz worker: %w: %w", errWorkerUnavailable, err)
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		inR.Close()
		inW.Close()
		return nil, fmt.Errorf("start graphviz worker: %w: %w", errWorkerUnavailable, err)
	}
	p := &workerProc{cmd: cmd, toW: inW, fromW: outR, reader: bufio.NewReaderSize(outR, 64<<10),
		stderr: &stderrTail{}, exited: make(chan struct{})}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = inR, outW, p.stderr
	err = cmd.Start()
	inR.Close() // the child holds its own copies
	outW.Close()
	if err != nil {
		inW.Close()
		outR.Close()
		return nil, fmt.Errorf("start graphviz worker %s: %w: %w", cmd.Path, errWorkerUnavailable, err)
	}
	go func() {
		_ = cmd.Wait() // an exit is noticed when the pipes break; the status adds nothing
		close(p.exited)
	}()
	return p, nil
}

// workerEnv tunes the Go runtime of the worker, unless the user set these
// variables himself. Every go-graphviz call allocates a fresh ~10 kB
// WebAssembly call stack (~70 MB of garbage per 1,000-node layout against
// a live heap of a few MB), so collections are frequent; and while one
// waits to scan the goroutine that runs WebAssembly (which cannot be
// preempted), the runtime signals that thread every few microseconds until
// the layout returns. asyncpreemptoff=1 stops the signals (a 1,377-node
// lineage --format svg went from 1.49-1.60 s to 1.19-1.24 s, system time
// from 0.8 to 0.25 s); GOGC=400 collects less often (0.75-0.83 s per warm
// layout in the worker against 0.93-1.15 s). Only the worker gets them:
// the UI process wants async preemption for its own latency.
func workerEnv(env []string) []string {
	hasGOGC, godebug := false, -1
	for i, kv := range env {
		switch {
		case strings.HasPrefix(kv, "GOGC="):
			hasGOGC = true
		case strings.HasPrefix(kv, "GODEBUG="):
			godebug = i
		}
	}
	env = slices.Clone(env)
	if !hasGOGC {
		env = append(env, "GOGC=400")
	}
	switch {
	case godebug < 0:
		env = append(env, "GODEBUG=asyncpreemptoff=1")
	case !strings.Contains(env[godebug], "asyncpreemptoff="):
		env[godebug] += ",asyncpreemptoff=1"
	}
	return env
}

// stop ends the worker: gracefully (end of input: it finishes its loop) or
// by killing it. Either way our pipe ends are closed, which unblocks a
// round trip still reading or writing.
func (p *workerProc) stop(kill bool) {
	if kill {
		_ = p.cmd.Process.Kill()
	}
	p.toW.Close()
	p.fromW.Close()
}

func (p *workerProc) running() bool {
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}

func (e *workerEngine) close() error {
	e.sem <- struct{}{}
	if e.proc != nil {
		e.proc.stop(false)
		e.proc = nil
	}
	return nil
}

func (e *workerEngine) layout(ctx context.Context, dot []byte, format string) ([]byte, error) {
	select {
	case e.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, canceled(ctx.Err())
	}
	defer func() { <-e.sem }()
	if err := e.ensureRunning(); err != nil {
		return nil, err
	}
	p := e.proc
	type result struct {
		reply workerReply
		err   error
	}
	done := make(chan result, 1)
	go func() {
		reply, err := p.roundTrip(dot, format)
		done <- result{reply, err}
	}()
	select {
	case <-ctx.Done():
		// Kill the layout rather than wait for it, and have the next
		// worker starting while the user picks the next picture.
		p.stop(true)
		<-done
		e.replace()
		return nil, canceled(ctx.Err())
	case res := <-done:
		if res.err != nil {
			p.stop(true)
			<-p.exited
			e.proc = nil
			return nil, fmt.Errorf("graphviz worker stopped: %w%s", res.err, p.stderr.suffix())
		}
		if res.reply.rss > e.maxRSS {
			p.stop(false)
			e.replace()
		}
		if res.reply.failed {
			return nil, fmt.Errorf("graphviz: %s", res.reply.body)
		}
		return res.reply.body, nil
	}
}

// replace drops the current worker and starts its successor; a failed
// start is retried (and reported) by the next layout.
func (e *workerEngine) replace() {
	e.proc = nil
	if p, err := e.start(); err == nil {
		e.proc = p
	}
}

// workerReply is one answer: the output, or Graphviz's error message when
// failed; rss is the worker's resident size after the layout.
type workerReply struct {
	failed bool
	rss    int64
	body   []byte
}

// roundTrip sends one request and reads its reply. The protocol, on the
// worker's stdin and stdout: a request is the format and the DOT source,
// each as a uvarint length and bytes; a reply is a status byte (0 ok,
// 1 failed), the resident size as a uvarint, and the body as a uvarint
// length and bytes.
func (p *workerProc) roundTrip(dot []byte, format string) (workerReply, error) {
	w := bufio.NewWriterSize(p.toW, 64<<10)
	if err := writeFrame(w, []byte(format)); err != nil {
		return workerReply{}, fmt.Errorf("send request: %w", err)
	}
	if err := writeFrame(w, dot); err != nil {
		return workerReply{}, fmt.Errorf("send request: %w", err)
	}
	if err := w.Flush(); err != nil {
		return workerReply{}, fmt.Errorf("send request: %w", err)
	}
	return p.readReply()
}

func (p *workerProc) readReply() (workerReply, error) {
	status, err := p.reader.ReadByte()
	if err != nil {
		return workerReply{}, fmt.Errorf("read reply: %w", err)
	}
	if status > 1 {
		return workerReply{}, fmt.Errorf("read reply: status byte %d is neither 0 nor 1", status)
	}
	rss, err := readUvarint(p.reader)
	if err != nil {
		return workerReply{}, fmt.Errorf("read reply: %w", err)
	}
	body, err := readFrame(p.reader, maxFrame)
	if err != nil {
		return workerReply{}, fmt.Errorf("read reply: %w", err)
	}
	return workerReply{failed: status == 1, rss: int64(min(rss, 1<<62)), body: body}, nil
}

// layoutHeapBytes is how much heap the worker readies for huge pages (see
// hugepage.AdviseHeap): more than a DefaultMaxNodes layout uses, the WASM
// instance's memory (grown by copying) and wazero's garbage.
const layoutHeapBytes = 256 << 20

// ServeWorker is the worker process: it answers layout requests read from
// in, writing replies to out, until in ends (the parent closed it or
// exited). A request it cannot read ends it with an error.
func ServeWorker(ctx context.Context, in io.Reader, out io.Writer) error {
	hugepage.AdviseHeap(layoutHeapBytes)
	engine, err := newWasmEngine(ctx)
	if err != nil {
		return err
	}
	r := bufio.NewReaderSize(in, 64<<10)
	w := bufio.NewWriterSize(out, 64<<10)
	for {
		format, err := readFrame(r, maxFormatBytes)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("render worker: read request: %w", err)
		}
		dot, err := readFrame(r, maxFrame)
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF // a format with no DOT after it
		}
		if err != nil {
			return fmt.Errorf("render worker: read request: %w", err)
		}
		body, err := engine.run(ctx, dot, string(format))
		status := byte(0)
		if err != nil {
			status, body = 1, []byte(strings.TrimPrefix(err.Error(), "graphviz: "))
		}
		if err := writeReply(w, status, residentBytes(), body); err != nil {
			return fmt.Errorf("render worker: write reply: %w", err)
		}
	}
}

func writeReply(w *bufio.Writer, status byte, rss int64, body []byte) error {
	if err := w.WriteByte(status); err != nil {
		return err
	}
	if err := writeUvarint(w, uint64(max(rss, 0))); err != nil {
		return err
	}
	if err := writeFrame(w, body); err != nil {
		return err
	}
	return w.Flush()
}

// stderrTail keeps the last few kB a worker wrote to stderr (a Go panic, a
// Graphviz abort), to explain a worker that stopped.
type stderrTail struct {
	mu  sync.Mutex
	buf []byte
}

const stderrTailBytes = 4 << 10

func (t *stderrTail) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, b...)
	if len(t.buf) > stderrTailBytes {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-stderrTailBytes:]...)
	}
	return len(b), nil
}

// suffix is "; it wrote: ..." when the worker wrote anything, else "".
func (t *stderrTail) suffix() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := strings.TrimSpace(string(t.buf))
	if s == "" {
		return ""
	}
	return "; it wrote: " + s
}
