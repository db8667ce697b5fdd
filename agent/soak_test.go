package agent

import (
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shareguard/shareguard/agent/config"
	"github.com/shareguard/shareguard/platform"
	"github.com/shareguard/shareguard/platform/fake"
)

// TestChurn is a short soak that runs in every `go test`: CI's check that
// memory and goroutines do not grow (`make soak` runs the long one).
func TestChurn(t *testing.T) { churn(t, 15*time.Second) }

// churn puts windows through share sessions for dur: windows open, retitle
// (some to an identity number), get minimized, are restored, close; shares
// start and stop; an unapproved tool comes and goes. Memory and goroutines
// must not grow.
func churn(t *testing.T, dur time.Duration) {
	d := fake.New()
	cfg := testConfig(config.ModeBlock)
	h := start(t, cfg, d)

	cycle := func(n int) {
		startShare(d)
		base := platform.WindowID(1000)
		for i := 0; i < 20; i++ {
			id := base + platform.WindowID(i)
			pid := 5000 + i
			d.AddProcess(platform.Process{PID: pid, Name: "app" + strconv.Itoa(i%5)})
			title := "Dokument " + strconv.Itoa(n)
			switch i % 4 {
			case 0:
				title = "TakeCare - Journal"
			case 1:
				title = "Remiss 19121212-1212"
			}
			d.AddWindow(platform.Window{ID: id, PID: pid, Title: title})
		}
		d.AddWindow(platform.Window{ID: 2000, Type: platform.TypeNotification, Title: "Nytt meddelande"})
		d.AddProcess(platform.Process{PID: 9000, Name: "slack"})
		waitFor(t, "protected windows minimized", func() bool { return minimized(d, base) && minimized(d, base+1) })
		d.Restore(base)
		d.SetTitle(base+2, "Anteckning 121212-1212")
		waitFor(t, "re-minimized", func() bool { return minimized(d, base) && minimized(d, base+2) })
		for i := 0; i < 20; i++ {
			d.RemoveProcess(5000 + i)
		}
		d.RemoveWindow(2000)
		d.RemoveProcess(9000)
		stopShare(d)
		waitFor(t, "share over", func() bool { return !h.agent.Status().Sharing })
		d.ClearHistory()
	}

	measure := func() (heap uint64, rss int64, goroutines int) {
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc, vmRSS(), runtime.NumGoroutine()
	}
	for i := 0; i < 20; i++ { // warm up: maps, buffers, timers
		cycle(i)
	}
	heap0, rss0, g0 := measure()
	cycles := 0
	for end := time.Now().Add(dur); time.Now().Before(end); cycles++ {
		cycle(cycles)
	}
	heap1, rss1, g1 := measure()
	if p := os.Getenv("SHAREGUARD_SOAK_HEAPPROFILE"); p != "" {
		f, err := os.Create(p)
		if err == nil {
			pprof.WriteHeapProfile(f) // the agent is still running: its live heap
			f.Close()
		}
	}
	t.Logf("soak: %d share cycles (%d window appearances) in %v; heap %d -> %d KiB, RSS %d -> %d KiB, goroutines %d -> %d",
		cycles, cycles*21, dur, heap0>>10, heap1>>10, rss0>>10, rss1>>10, g0, g1)
	if grow := int64(heap1) - int64(heap0); grow > 5<<20 {
		t.Errorf("heap grew by %d KiB over the soak", grow>>10)
	}
	if rss0 > 0 && rss1-rss0 > 5<<20 {
		t.Errorf("RSS grew by %d KiB over the soak", (rss1-rss0)>>10)
	}
	if g1 > g0 {
		t.Errorf("goroutines grew from %d to %d", g0, g1)
	}
}

// vmRSS reads this process's resident set size (0 where /proc is absent).
func vmRSS() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.Fields(rest)[0], 10, 64)
			return kb << 10
		}
	}
	return 0
}
