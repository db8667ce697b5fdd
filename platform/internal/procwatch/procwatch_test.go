package procwatch

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/shareguard/shareguard/platform"
)

// fakeScanner finds the processes in procs whose name is watched; a scan
// reports a change when that list differs from the last one.
type fakeScanner struct {
	mu    sync.Mutex
	procs []platform.Process
	names []string
	last  []int
	scans int
}

func (f *fakeScanner) SetNames(names []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.names, f.last = slices.Clone(names), nil
}

func (f *fakeScanner) Scan() ([]platform.Process, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.scans++
	var ps []platform.Process
	var pids []int
	for _, p := range f.procs {
		if slices.Contains(f.names, p.Name) {
			ps, pids = append(ps, p), append(pids, p.PID)
		}
	}
	changed := !slices.Equal(pids, f.last)
	f.last = pids
	return ps, changed
}

func (f *fakeScanner) set(ps ...platform.Process) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.procs = ps
}

func (f *fakeScanner) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.scans
}

func TestSetScansAtOnce(t *testing.T) {
	f := &fakeScanner{}
	f.set(platform.Process{PID: 7, Name: "ffmpeg", Args: []string{"ffmpeg", "-f", "gdigrab"}})
	w := Watch{Scanner: f}
	if w.Set(nil) {
		t.Fatal("start asked with no names")
	}
	if !w.Set([]string{"ffmpeg"}) {
		t.Fatal("no start asked on the first names")
	}
	if w.Set([]string{"ffmpeg"}) || w.Set([]string{"ffmpeg", "x11vnc"}) {
		t.Fatal("start asked twice")
	}
	if f.count() != 2 {
		t.Fatalf("%d scans, want one per change of names", f.count())
	}
	// A window owner gets the command line and clients; the others are added.
	ps := w.Add([]platform.Process{{PID: 7, Name: "ffmpeg"}, {PID: 9, Name: "explorer"}})
	if len(ps) != 2 || !slices.Equal(ps[0].Args, []string{"ffmpeg", "-f", "gdigrab"}) {
		t.Fatalf("window owner: %+v", ps)
	}
	if ps := w.Add(nil); len(ps) != 1 || ps[0].PID != 7 {
		t.Fatalf("windowless: %+v", ps)
	}
}

func TestRun(t *testing.T) {
	f := &fakeScanner{}
	w := Watch{Scanner: f}
	w.Set([]string{"ffmpeg"})
	done := make(chan struct{})
	changed := make(chan struct{}, 10)
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		w.Run(time.Millisecond, done, func() { changed <- struct{}{} })
	}()
	f.set(platform.Process{PID: 7, Name: "ffmpeg"})
	select {
	case <-changed:
	case <-time.After(5 * time.Second):
		t.Fatal("no change reported for a new process")
	}
	if ps := w.Add(nil); len(ps) != 1 {
		t.Fatalf("after the change: %+v", ps)
	}

	// No names: the loop idles; new names wake it.
	w.Set(nil)
	time.Sleep(20 * time.Millisecond) // let a scan in flight finish
	n := f.count()
	time.Sleep(50 * time.Millisecond)
	if f.count() != n {
		t.Fatalf("%d scans while idle", f.count()-n)
	}
	w.Set([]string{"ffmpeg"})
	if !eventually(func() bool { return f.count() > n+2 }) {
		t.Fatal("the loop did not wake for new names")
	}
	close(done)
	select {
	case <-exited:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return when done closed")
	}
}

func eventually(cond func() bool) bool {
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(time.Millisecond) {
		if cond() {
			return true
		}
	}
	return false
}
