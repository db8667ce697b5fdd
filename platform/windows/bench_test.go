//go:build windows

package windows_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/shareguard/shareguard/detectors"
	sgwin "github.com/shareguard/shareguard/platform/windows"
	"github.com/shareguard/shareguard/platform/windows/internal/testwin"
)

// BenchmarkSnapshot: one full read of the desktop (windows, processes,
// screens) plus share detection on it.
func BenchmarkSnapshot(b *testing.B) {
	d, err := sgwin.Open(context.Background(), sgwin.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	ctx := context.Background()
	for b.Loop() {
		s, err := d.Snapshot(ctx)
		if err != nil {
			b.Fatal(err)
		}
		detectors.Shares(&s, nil)
	}
}

// The cost of looking for windows that turned shown: the glance every
// 33 ms during a share, and the full sweep every 250 ms, with 100 windows
// of another process on the desktop (half of them minimized, or all: a
// glance reads nothing of a window known to be shown, and one style word
// of each other). Reported as time on the watcher thread per look
// (under Wine this includes the wineserver's work for each call, which
// is most of it) and as the share of one core that looking at the glance's
// or the sweep's pace costs.
func BenchmarkLook100(b *testing.B) {
	for _, c := range []struct {
		name      string
		minimized int
	}{{"half-minimized", 50}, {"all-minimized", 100}} {
		b.Run(c.name, func(b *testing.B) {
			specs := make([]testwin.Spec, 100)
			for i := range specs {
				specs[i] = testwin.Spec{Class: "BenchWnd", Title: fmt.Sprintf("window %d", i), Minimized: i < c.minimized}
			}
			startHelper(b, "", "windows", specs)
			d, err := sgwin.Open(context.Background(), sgwin.Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer d.Close()
			go func() {
				for range d.Events() {
				}
			}()
			ctx := context.Background()
			for _, look := range []struct {
				name string
				do   func(context.Context) (time.Duration, error)
				pace time.Duration
			}{{"glance", d.Glance, time.Second / 30}, {"sweep", d.Sweep, 250 * time.Millisecond}, {"snapshot", timedSnapshot(d), 0}} {
				b.Run(look.name, func(b *testing.B) {
					var total time.Duration
					for b.Loop() {
						took, err := look.do(ctx)
						if err != nil {
							b.Fatal(err)
						}
						total += took
					}
					per := total / time.Duration(b.N)
					b.ReportMetric(float64(per.Microseconds()), "µs/look")
					if look.pace > 0 {
						b.ReportMetric(100*float64(per)/float64(look.pace), "%core@"+look.pace.String())
					}
				})
			}
		})
	}
}

// timedSnapshot times a whole Snapshot (windows, processes, screens), which
// the agent takes for each evaluation.
func timedSnapshot(d *sgwin.Desktop) func(context.Context) (time.Duration, error) {
	return func(ctx context.Context) (time.Duration, error) {
		t0 := time.Now()
		_, err := d.Snapshot(ctx)
		return time.Since(t0), err
	}
}

// The idle cost of the watched-process scan (every 2 s): the process list
// and nothing else when no new process started, and the remote-session
// metrics each sweep (every 250 ms) reads. Reported per look and as the
// share of one core at that pace.
func BenchmarkProcessScanIdle(b *testing.B) {
	d, err := sgwin.Open(context.Background(), sgwin.Options{ProcessInterval: time.Hour})
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	d.WatchProcesses(detectors.WatchedProcesses(nil)) // scans once: every pid is known after
	var total time.Duration
	for b.Loop() {
		total += d.ScanProcesses()
	}
	per := total / time.Duration(b.N)
	b.ReportMetric(float64(per.Microseconds()), "µs/scan")
	b.ReportMetric(100*per.Seconds()/2, "%core@2s")
}

func BenchmarkSessionMetrics(b *testing.B) {
	for b.Loop() {
		sgwin.SessionNow()
	}
	b.ReportMetric(100*b.Elapsed().Seconds()/float64(b.N)/0.25, "%core@250ms")
}
