//go:build linux && cgo && !noocr

package sample_test

import (
	"context"
	"image"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/shareguard/shareguard/agent/sample"
	"github.com/shareguard/shareguard/detectors"
	"github.com/shareguard/shareguard/detectors/content"
	"github.com/shareguard/shareguard/detectors/pnr"
	"github.com/shareguard/shareguard/platform"
	"github.com/shareguard/shareguard/platform/x11"
	"github.com/shareguard/shareguard/platform/x11/xtest"
)

// A window with a harmless title shows a personnummer; during a real
// Chromium whole-screen share, sampling finds it under that window, the
// window is minimized, and the next sample no longer sees it.
func TestSamplingDuringChromiumShare(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a desktop and Chromium")
	}
	xd := xtest.Start(t)
	xtest.Need(t, "xterm", "chromium")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	const title = "Anteckningar"
	// The journal text is printed by the terminal, on screen only.
	xd.Run("xterm", "-T", title, "-fa", "DejaVu Sans Mono", "-fs", "12", "-geometry", "60x8+1300+300",
		"-e", "sh", "-c", `printf 'Journalanteckning\nPatient: Tolvan Tolvansson\npersonnummer 19121212-1212\n'; exec sleep 3600`)
	id, err := xd.FindWindowByTitle(ctx, title)
	if err != nil {
		t.Fatalf("xterm: %v\n%s", err, xd.Logs())
	}
	if pnr.Contains(title) {
		t.Fatal("the title must be harmless")
	}
	share, err := xd.ShareScreen(ctx)
	if err != nil {
		t.Fatalf("share: %v\n%s", err, xd.Logs())
	}
	if _, err := xd.FindWindowByTitle(ctx, share.IndicatorTitle()); err != nil {
		t.Fatalf("indicator: %v", err)
	}

	desk, err := x11.Open(ctx, x11.Options{Display: xd.Display, BusAddress: xd.BusAddress, Env: xd.Env()})
	if err != nil {
		t.Fatal(err)
	}
	defer desk.Close()
	snap, err := desk.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	shares := detectors.Shares(&snap, detectors.BuiltinSignatures())
	if len(shares) != 1 || !shares[0].Kind.WholeScreen() {
		t.Fatalf("shares %+v, want one whole-screen share", shares)
	}

	cfg := content.Default()
	s, err := sample.New(cfg, sample.Options{Display: xd.Display})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var target *detectors.Finding
	// The first frame is read in bands over a few samples (at most
	// DefaultMaxOCRPixels each), and the terminal may still be drawing.
	for try := 0; try < 20 && target == nil; try++ {
		hits, err := s.Sample(ctx, image.Rectangle{})
		if err != nil {
			t.Fatal(err)
		}
		if snap, err = desk.Snapshot(ctx); err != nil {
			t.Fatal(err)
		}
		for _, f := range content.Locate(hits, &snap, cfg) {
			if f.Window == platform.WindowID(id) && f.Rule == "personnummer/high" {
				f := f
				target = &f
			}
		}
		t.Logf("sample %d: %+v", try, s.Last())
		time.Sleep(300 * time.Millisecond)
	}
	if target == nil {
		t.Fatal("the number in the xterm was not found by sampling")
	}
	if target.Kind != detectors.FindScreenContent || target.Action != detectors.ActionMinimize {
		t.Fatalf("finding %+v", target)
	}
	if err := desk.Minimize(ctx, target.Window); err != nil {
		t.Fatal(err)
	}
	snap, _ = desk.Snapshot(ctx)
	if w, ok := snap.Window(target.Window); !ok || !w.Minimized {
		t.Fatalf("window not minimized: %+v", w)
	}
	hits, err := s.Sample(ctx, image.Rectangle{})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hits {
		if h.Rule == content.RulePersonnummer {
			t.Errorf("number still seen after minimize: %v (stats %+v)", h, s.Last())
		}
	}
}

// BenchmarkSamplingCPU measures the CPU the sampler uses while a document
// scrolls on a real X desktop: an xterm prints three lines of
// journal-like text every second for a minute (SHAREGUARD_CPU_SECONDS
// overrides), the sampler runs at its 1 s interval with its CPU budget,
// and the process's CPU time is divided by the wall time. Run with
// -benchtime 1x.
func BenchmarkSamplingCPU(b *testing.B) {
	secs := 60
	if v, err := strconv.Atoi(os.Getenv("SHAREGUARD_CPU_SECONDS")); err == nil && v > 0 {
		secs = v
	}
	xd := xtest.Start(b)
	xtest.Need(b, "xterm")
	script := `i=0; while :; do i=$((i+1)); ` +
		`printf 'Rad %d: patienten mår bra, återbesök om tre veckor hos distriktssköterska.\n' $i; ` +
		`printf 'Rad %d: blodtryck 135/85, puls 72, läkemedelslistan genomgången med patienten.\n' $i; ` +
		`printf 'Rad %d: remiss skickad till kirurgen, ordernr 123456789, svar väntas.\n' $i; sleep 1; done`
	xd.Run("xterm", "-T", "Dokument", "-fa", "DejaVu Sans Mono", "-fs", "11", "-geometry", "100x40+300+100", "-e", "sh", "-c", script)
	ctx := context.Background()
	if _, err := xd.FindWindowByTitle(ctx, "Dokument"); err != nil {
		b.Fatal(err)
	}
	s, err := sample.New(content.Default(), sample.Options{Display: xd.Display})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	// The first read of a share covers the whole screen (over a few
	// frames); it is logged on its own and the minute is measured after.
	c0, w0, first := cpuTime(), time.Now(), 0
	for {
		if _, err := s.Sample(ctx, image.Rectangle{}); err != nil {
			b.Fatal(err)
		}
		first++
		// 1920x1080 in bands of 160 rows is 9 frames (the sampler's
		// own bound on its first read).
		if s.Last().Deferred == 0 || first >= 12 {
			break
		}
		time.Sleep(s.Next())
	}
	b.Logf("first read: %d frames, %v CPU, %v wall", first, cpuTime()-c0, time.Since(w0).Round(time.Millisecond))
	time.Sleep(s.Next())
	for b.Loop() {
		cpu0 := cpuTime()
		t0 := time.Now()
		frames, scrolled, px, calls, known := 0, 0, 0, 0, 0
		for time.Since(t0) < time.Duration(secs)*time.Second {
			if _, err := s.Sample(ctx, image.Rectangle{}); err != nil {
				b.Fatal(err)
			}
			frames++
			scrolled += s.Last().Scrolled
			px += s.Last().OCRPixels
			calls += s.Last().Regions
			known += s.Last().KnownLines
			// Never sleep past the end of the measured minute.
			time.Sleep(min(s.Next(), time.Duration(secs)*time.Second-time.Since(t0)))
		}
		wall := time.Since(t0)
		cpu := cpuTime() - cpu0
		b.ReportMetric(100*cpu.Seconds()/wall.Seconds(), "%cpu")
		b.ReportMetric(float64(frames), "frames")
		b.ReportMetric(wall.Seconds()/float64(frames), "s/frame")
		b.ReportMetric(float64(scrolled), "scrolls")
		b.ReportMetric(float64(px)/float64(frames), "ocr-px/frame")
		b.ReportMetric(float64(calls)/wall.Seconds(), "ocr-calls/s")
		b.ReportMetric(float64(known)/wall.Seconds(), "known-lines/s")
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
