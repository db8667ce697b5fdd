//go:build linux

package x11

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/shareguard/shareguard/platform"
	"github.com/shareguard/shareguard/platform/x11/xtest"
)

// BenchmarkSnapshot measures one snapshot of a desktop with 50 managed
// windows (3 of them real xterms, so processes are looked up) and one
// notification popup.
func BenchmarkSnapshot(b *testing.B) {
	xd := xtest.Start(b)
	d := open(b, xd)
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		if _, _, err := xd.Xterm(ctxT(b, 10*time.Second), fmt.Sprintf("xterm %d", i)); err != nil {
			b.Fatal(err)
		}
	}
	for i := 0; i < 47; i++ {
		if _, err := xd.CreateWindow(fmt.Sprintf("window %d – 19121212-1212", i), "Bench"); err != nil {
			b.Fatal(err)
		}
	}
	if err := xd.NotifySend(ctxT(b, 5*time.Second), "popup"); err != nil {
		b.Fatal(err)
	}
	if _, err := xd.WaitPopups(ctxT(b, 5*time.Second), 1); err != nil {
		b.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		s, err := d.Snapshot(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if len(s.Windows) >= 51 {
			break
		}
		if time.Now().After(deadline) {
			b.Fatalf("only %d windows managed", len(s.Windows))
		}
		time.Sleep(20 * time.Millisecond)
	}
	b.ResetTimer()
	var n int
	for i := 0; i < b.N; i++ {
		s, err := d.Snapshot(ctx)
		if err != nil {
			b.Fatal(err)
		}
		n = len(s.Windows)
	}
	b.ReportMetric(float64(n), "windows")
}

// BenchmarkMinimizeLatency measures, per window, the time from a title
// change by another client to our Minimize being confirmed (WM_STATE
// Iconic read back), split into event delivery and minimize. Windows stay
// iconified, so the desktop grows to b.N windows; run with
// -benchtime=200x for p99 over 200 windows.
func BenchmarkMinimizeLatency(b *testing.B) {
	xd := xtest.Start(b, xtest.WithoutNotifications())
	d := open(b, xd)
	ctx := context.Background()
	var total, event, minimize []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		w, err := xd.CreateWindow(fmt.Sprintf("plain %d", i), "Bench")
		if err != nil {
			b.Fatal(err)
		}
		var seen []platform.Event
		timeout := time.After(5 * time.Second)
	wait:
		for {
			select {
			case e := <-d.Events():
				seen = append(seen, e)
				if e.Kind == platform.WindowCreated && e.Window == platform.WindowID(w.ID) {
					break wait
				}
			case <-timeout:
				cl, _ := xd.Clients()
				b.Fatalf("iteration %d: no WindowCreated for %#x; clients %x; events %v", i, w.ID, cl, seen)
			}
		}
		drainEvents(d)
		b.StartTimer()

		start := time.Now()
		if err := w.SetTitle(fmt.Sprintf("TakeCare – 19121212-1212 (%d)", i)); err != nil {
			b.Fatal(err)
		}
		ev := waitEvent(b, d, 5*time.Second, func(e platform.Event) bool {
			return e.Kind == platform.WindowChanged && e.Window == platform.WindowID(w.ID)
		})
		if err := d.Minimize(ctx, ev.Window); err != nil {
			b.Fatal(err)
		}
		done := time.Now()
		total = append(total, done.Sub(start))
		event = append(event, ev.Time.Sub(start))
		minimize = append(minimize, done.Sub(ev.Time))
	}
	b.StopTimer()
	report := func(name string, ds []time.Duration) {
		slices.Sort(ds)
		b.ReportMetric(ms(pct(ds, 50)), name+"-p50-ms")
		b.ReportMetric(ms(pct(ds, 99)), name+"-p99-ms")
	}
	report("total", total)
	report("event", event)
	report("minimize", minimize)
	b.ReportMetric(float64(len(total)), "windows")
}

func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p + 99) / 100
	return sorted[min(max(i-1, 0), len(sorted)-1)]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
