//go:build windows

package windows_test

import (
	"context"
	"encoding/json"
	"os"
	"sync"
	"testing"

	"github.com/shareguard/shareguard/platform"
	sgwin "github.com/shareguard/shareguard/platform/windows"
	"github.com/shareguard/shareguard/platform/windows/internal/testwin"
)

// envTimeline, set to a path prefix, makes TestLeakMeter record a
// timeline of each appearance for .ci/wine-timeline: the appearances, the
// meter's frames and every WinEvent a hook of another process gets in
// PREFIX.LABEL.json, and what the guard's agent got from its desktop and
// asked of it in PREFIX.agent.json. Times are Unix ns (testwin.NowNS);
// windows are handles; no title is recorded.
const envTimeline = "SHAREGUARD_METER_TIMELINE"

// traceStep is one thing the agent got from its desktop or asked of it.
type traceStep struct {
	T      int64  `json:"t"`
	What   string `json:"what"` // event, snapshot, snapshot_done, minimize, minimize_done
	Kind   int    `json:"kind,omitempty"`
	Window uint64 `json:"w,omitempty"`
	EvT    int64  `json:"ev_t,omitempty"` // the event's own time
	Failed bool   `json:"failed,omitempty"`
}

// tracedDesktop is the guard's desktop with each step recorded. Events
// go through one relaying goroutine, which stamps them on arrival: it
// adds a goroutine hop to the path it measures.
type tracedDesktop struct {
	*sgwin.Desktop
	events chan platform.Event
	mu     sync.Mutex
	steps  []traceStep
}

func traced(d *sgwin.Desktop) *tracedDesktop {
	td := &tracedDesktop{Desktop: d, events: make(chan platform.Event, 64)}
	go func() {
		defer close(td.events)
		for ev := range d.Events() {
			s := traceStep{T: testwin.NowNS(), What: "event", Kind: int(ev.Kind), Window: uint64(ev.Window)}
			if !ev.Time.IsZero() {
				s.EvT = ev.Time.UnixNano()
			}
			td.add(s)
			td.events <- ev
		}
	}()
	return td
}

func (td *tracedDesktop) add(s traceStep) {
	td.mu.Lock()
	td.steps = append(td.steps, s)
	td.mu.Unlock()
}

func (td *tracedDesktop) Events() <-chan platform.Event { return td.events }

func (td *tracedDesktop) Snapshot(ctx context.Context) (platform.Snapshot, error) {
	td.add(traceStep{T: testwin.NowNS(), What: "snapshot"})
	s, err := td.Desktop.Snapshot(ctx)
	td.add(traceStep{T: testwin.NowNS(), What: "snapshot_done", Failed: err != nil})
	return s, err
}

func (td *tracedDesktop) Minimize(ctx context.Context, id platform.WindowID) error {
	td.add(traceStep{T: testwin.NowNS(), What: "minimize", Window: uint64(id)})
	err := td.Desktop.Minimize(ctx, id)
	td.add(traceStep{T: testwin.NowNS(), What: "minimize_done", Window: uint64(id), Failed: err != nil})
	return err
}

// write saves the steps as JSON.
func (td *tracedDesktop) write(path string) error {
	td.mu.Lock()
	defer td.mu.Unlock()
	data, err := json.Marshal(td.steps)
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// timelineRecord is what TestLeakMeter writes for one measurement.
type timelineRecord struct {
	Apps   []testwin.Appearance `json:"apps"`
	Frames []testwin.Frame      `json:"frames"`
	Hooks  []testwin.HookEvent  `json:"hooks"`
}

// startHooks starts the hook recorder when a timeline is asked for.
func startHooks(t *testing.T) *helper {
	if os.Getenv(envTimeline) == "" {
		return nil
	}
	h := startHelper(t, "", "hooks", nil)
	if line, err := h.stdout.ReadString('\n'); err != nil || line != "ready\n" {
		t.Fatalf("hooks: %q, %v; stderr: %s", line, err, h.stderr)
	}
	return h
}

// writeTimeline stops the hook recorder and writes the record.
func writeTimeline(t *testing.T, label string, hooks *helper, apps []testwin.Appearance, frames []testwin.Frame) {
	if hooks == nil {
		return
	}
	hooks.stdin.Close()
	rec := timelineRecord{Apps: apps, Frames: frames}
	if err := json.NewDecoder(hooks.stdout).Decode(&rec.Hooks); err != nil {
		t.Errorf("hooks: %v; stderr: %s", err, hooks.stderr)
	}
	hooks.stop(t)
	data, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(os.Getenv(envTimeline)+"."+label+".json", data, 0o644); err != nil {
		t.Error(err)
	}
}
