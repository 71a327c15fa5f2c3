package render

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lineagedesk/lineagedesk/backend"
)

// workerModeEnv turns this test binary into a render worker (as the real
// binary's render-worker command does), or into a worker that dies at once
// ("crash").
const workerModeEnv = "LINEAGEDESK_TEST_RENDER_WORKER"

func TestMain(m *testing.M) {
	switch os.Getenv(workerModeEnv) {
	case "serve":
		if err := ServeWorker(context.Background(), os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	case "crash":
		fmt.Fprintln(os.Stderr, "worker failed: no graphviz here")
		os.Exit(3)
	}
	os.Exit(m.Run())
}

func workerCommand(mode string) func() *exec.Cmd {
	return func() *exec.Cmd {
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), workerModeEnv+"="+mode)
		return cmd
	}
}

func newTestWorker(t *testing.T, maxRSS int64) *workerEngine {
	t.Helper()
	r, err := NewWorkerRenderer(t.Context(), WorkerOptions{MaxRSS: maxRSS, Command: workerCommand("serve")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	if err := r.StartWorker(); err != nil {
		t.Fatal(err)
	}
	return r.worker
}

// layeredDOT is a DOT graph of n nodes in layers of 20, each node fed by
// two nodes of the layer before: big enough that dot takes a while.
func layeredDOT(n int) []byte {
	var b bytes.Buffer
	b.WriteString("digraph g {\n  rankdir=LR;\n")
	for i := 20; i < n; i++ {
		fmt.Fprintf(&b, "  n%d -> n%d;\n  n%d -> n%d;\n", i-20, i, (i*7)%(i-i%20), i)
	}
	b.WriteString("}\n")
	return b.Bytes()
}

func pid(e *workerEngine) int { return e.proc.cmd.Process.Pid }

func waitExited(t *testing.T, p *workerProc) {
	t.Helper()
	select {
	case <-p.exited:
	case <-time.After(10 * time.Second):
		t.Fatalf("worker %d still running", p.cmd.Process.Pid)
	}
}

// TestWorkerMatchesInProcess: a picture laid out by the worker is byte for
// byte the one laid out in this process, in each format the renderer asks for.
func TestWorkerMatchesInProcess(t *testing.T) {
	worker := newTestWorker(t, 0)
	local, err := newWasmEngine(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	dot := writeDOT(xdotTestDiagram(), Meta{Project: `shop "β"`, Snapshot: `snapshot 1, C:\dbt\`})
	for _, format := range []string{"svg", "xdot", "json"} {
		want, err := local.layout(t.Context(), dot, format)
		if err != nil {
			t.Fatal(err)
		}
		got, err := worker.layout(t.Context(), dot, format)
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s from the worker (%d bytes) differs from in-process (%d bytes)", format, len(got), len(want))
		}
	}
}

// TestWorkerReportsGraphvizErrors: Graphviz's own error comes back as the
// error, and the worker goes on serving.
func TestWorkerReportsGraphvizErrors(t *testing.T) {
	e := newTestWorker(t, 0)
	before := pid(e)
	_, err := e.layout(t.Context(), []byte("digraph { a -> }"), "svg")
	if err == nil || !strings.Contains(err.Error(), "syntax error") {
		t.Fatalf("want Graphviz's syntax error, got %v", err)
	}
	if _, err := e.layout(t.Context(), []byte("digraph { a -> b }"), "svg"); err != nil {
		t.Fatal(err)
	}
	if pid(e) != before {
		t.Error("a Graphviz error replaced the worker")
	}
}

// TestWorkerCancelKillsLayout: cancelling a layout kills the worker doing
// it (rather than letting it run on holding the lock), a successor is
// started, and the next layout works.
func TestWorkerCancelKillsLayout(t *testing.T) {
	e := newTestWorker(t, 0)
	if _, err := e.layout(t.Context(), []byte("digraph { a -> b }"), "svg"); err != nil {
		t.Fatal(err) // the worker is up and has answered once
	}
	old := e.proc
	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		time.Sleep(50 * time.Millisecond)
		cancel()
	}()
	_, err := e.layout(ctx, layeredDOT(1500), "svg")
	if backend.ErrorCode(err) != backend.ECANCELED {
		t.Fatalf("want a cancellation, got %v", err)
	}
	waitExited(t, old)
	if e.proc == nil || e.proc == old {
		t.Fatal("no successor started after the cancellation")
	}
	out, err := e.layout(t.Context(), []byte("digraph { a -> b }"), "svg")
	if err != nil || !bytes.Contains(out, []byte("<svg")) {
		t.Fatalf("layout after a cancellation: %v", err)
	}
}

// TestWorkerReplacedPastMaxRSS: a worker over its memory limit is retired
// after its layout and the next layout runs in a new one.
func TestWorkerReplacedPastMaxRSS(t *testing.T) {
	e := newTestWorker(t, 1) // every worker is over one byte
	first := e.proc
	if _, err := e.layout(t.Context(), []byte("digraph { a -> b }"), "svg"); err != nil {
		t.Fatal(err)
	}
	waitExited(t, first)
	second := e.proc
	if second == nil || second == first {
		t.Fatal("the worker over its limit was not replaced")
	}
	if _, err := e.layout(t.Context(), []byte("digraph { b -> c }"), "svg"); err != nil {
		t.Fatal(err)
	}
	waitExited(t, second)
}

// TestWorkerRestartsAfterItDied: a worker that died between layouts is
// replaced by the next layout.
func TestWorkerRestartsAfterItDied(t *testing.T) {
	e := newTestWorker(t, 0)
	old := e.proc
	if err := old.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	waitExited(t, old)
	if _, err := e.layout(t.Context(), []byte("digraph { a -> b }"), "svg"); err != nil {
		t.Fatal(err)
	}
	if e.proc == old {
		t.Error("the dead worker was reused")
	}
}

// TestWorkerThatCannotStartExplainsWhy: a worker that exits at once gives
// an error carrying what it wrote to stderr.
func TestWorkerThatCannotStartExplainsWhy(t *testing.T) {
	r, err := NewWorkerRenderer(t.Context(), WorkerOptions{Command: workerCommand("crash")})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	_, err = r.worker.layout(t.Context(), []byte("digraph { a -> b }"), "svg")
	if err == nil || !strings.Contains(err.Error(), "graphviz worker stopped") || !strings.Contains(err.Error(), "no graphviz here") {
		t.Fatalf("want the worker's own words in the error, got %v", err)
	}
}

// TestServeWorkerRejectsGarbledRequests: a request the worker cannot read
// ends it with an error naming the problem; a clean end of input ends it
// without one.
func TestServeWorkerRejectsGarbledRequests(t *testing.T) {
	frame := func(parts ...[]byte) []byte {
		var b bytes.Buffer
		w := bufio.NewWriter(&b)
		for _, p := range parts {
			if err := writeFrame(w, p); err != nil {
				t.Fatal(err)
			}
		}
		w.Flush()
		return b.Bytes()
	}
	cases := map[string]struct {
		in   []byte
		want string
	}{
		"empty input":          {nil, ""},
		"format too long":      {frame([]byte(strings.Repeat("s", maxFormatBytes+1))), "over the 16-byte limit"},
		"request cut short":    {frame([]byte("svg"))[:3], "unexpected EOF"},
		"no DOT after format":  {frame([]byte("svg")), "unexpected EOF"},
		"length past the data": {append(frame([]byte("svg")), 0x7f, 'd'), "unexpected EOF"},
	}
	for name, c := range cases {
		var out bytes.Buffer
		err := ServeWorker(t.Context(), bytes.NewReader(c.in), &out)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: want an error containing %q, got %v", name, c.want, err)
		}
		if out.Len() != 0 {
			t.Errorf("%s: the worker replied %q to a garbled request", name, out.Bytes())
		}
	}
}

// TestServeWorkerAnswersInOrder drives ServeWorker in this process through
// pipes: replies come in request order, a failure in between included.
func TestServeWorkerAnswersInOrder(t *testing.T) {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	served := make(chan error, 1)
	go func() { served <- ServeWorker(t.Context(), inR, outW); outW.Close() }()
	p := &workerProc{reader: bufio.NewReader(outR)}
	requests := []string{"digraph { a -> b }", "digraph {", "digraph { c -> d }"}
	go func() {
		w := bufio.NewWriter(inW)
		for _, dot := range requests {
			writeFrame(w, []byte("svg"))
			writeFrame(w, []byte(dot))
		}
		w.Flush()
		inW.Close()
	}()
	for i, dot := range requests {
		reply, err := p.readReply()
		if err != nil {
			t.Fatalf("reply %d: %v", i, err)
		}
		wantFailed := dot == "digraph {"
		if reply.failed != wantFailed {
			t.Errorf("reply %d (%q): failed=%v: %s", i, dot, reply.failed, reply.body)
		}
		if !wantFailed && !bytes.Contains(reply.body, []byte("<svg")) {
			t.Errorf("reply %d is not an SVG: %.80q", i, reply.body)
		}
		if reply.rss <= 0 {
			t.Errorf("reply %d: resident size %d", i, reply.rss)
		}
	}
	if err := <-served; err != nil {
		t.Fatal(err)
	}
	if _, err := p.readReply(); !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		t.Errorf("after the last reply: %v", err)
	}
}

// TestWorkerEnv: the worker gets GOGC=400 and asyncpreemptoff=1 unless the
// user set them, and keeps the rest of the environment.
func TestWorkerEnv(t *testing.T) {
	cases := []struct{ in, want []string }{
		{[]string{"HOME=/h"}, []string{"HOME=/h", "GOGC=400", "GODEBUG=asyncpreemptoff=1"}},
		{[]string{"GOGC=50", "GODEBUG=gctrace=1"}, []string{"GOGC=50", "GODEBUG=gctrace=1,asyncpreemptoff=1"}},
		{[]string{"GODEBUG=asyncpreemptoff=0"}, []string{"GODEBUG=asyncpreemptoff=0", "GOGC=400"}},
	}
	for _, c := range cases {
		in := slices.Clone(c.in)
		if got := workerEnv(in); !slices.Equal(got, c.want) {
			t.Errorf("workerEnv(%q) = %q, want %q", c.in, got, c.want)
		}
		if !slices.Equal(in, c.in) {
			t.Errorf("workerEnv changed its argument to %q", in)
		}
	}
}

// TestRendererFallsBackWithoutWorker: when no worker process can be
// started, big diagrams are laid out in-process rather than not at all.
func TestRendererFallsBackWithoutWorker(t *testing.T) {
	r, err := NewWorkerRenderer(t.Context(), WorkerOptions{MinNodes: 1, Command: func() *exec.Cmd {
		return exec.Command("/nonexistent/lineagedesk", "render-worker")
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := r.StartWorker(); !errors.Is(err, errWorkerUnavailable) {
		t.Fatalf("StartWorker: want errWorkerUnavailable, got %v", err)
	}
	svg, err := r.SVG(t.Context(), xdotTestDiagram(), Meta{})
	if err != nil || !bytes.Contains(svg, []byte("<svg")) {
		t.Fatalf("no in-process fallback: %v", err)
	}
}

// TestSmallDiagramsStayInProcess: a diagram below MinNodes never reaches
// the worker (here one that cannot lay anything out); one at MinNodes
// nodes or edges does.
func TestSmallDiagramsStayInProcess(t *testing.T) {
	r, err := NewWorkerRenderer(t.Context(), WorkerOptions{MinNodes: 5, Command: workerCommand("crash")})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	small := xdotTestDiagram() // 4 nodes
	if _, err := r.SVG(t.Context(), small, Meta{}); err != nil {
		t.Fatalf("a 4-node diagram went to the worker: %v", err)
	}
	big := xdotTestDiagram()
	big.Nodes = append(big.Nodes, Node{ID: "node-4", Resource: small.Nodes[0].Resource})
	if _, err := r.SVG(t.Context(), big, Meta{}); err == nil || !strings.Contains(err.Error(), "graphviz worker stopped") {
		t.Fatalf("a 5-node diagram should have gone to the (broken) worker, got %v", err)
	}
	// Few nodes, many edges (a grouping's boxes can take minutes): the worker's, which a cancel stops.
	dense := xdotTestDiagram()
	dense.Edges = append(dense.Edges, Edge{From: "node-0", To: "node-2"}, Edge{From: "node-0", To: "node-3"})
	if _, err := r.SVG(t.Context(), dense, Meta{}); err == nil || !strings.Contains(err.Error(), "graphviz worker stopped") {
		t.Fatalf("a 4-node diagram of 5 edges should have gone to the (broken) worker, got %v", err)
	}
}
