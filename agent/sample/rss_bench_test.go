//go:build linux && cgo && !noocr

package sample_test

import (
	"context"
	"image"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/shareguard/shareguard/agent/sample"
	"github.com/shareguard/shareguard/detectors/content"
	"github.com/shareguard/shareguard/platform/x11/xtest"
)

// rssKB is this process's VmRSS.
func rssKB(b *testing.B) float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Fatal(err)
	}
	for _, l := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			if err != nil {
				b.Fatal(err)
			}
			return float64(n)
		}
	}
	b.Fatal("no VmRSS")
	return 0
}

// BenchmarkSamplerRSS reports what the sampler keeps resident: after it is
// made (engine checked and closed), while a share is read (3 frames of a
// terminal full of text), after the share ends (Reset: the engine kept for
// the next share) and once it is released (Release). b.N shares.
func BenchmarkSamplerRSS(b *testing.B) {
	xd := xtest.Start(b, xtest.WithoutNotifications())
	xtest.Need(b, "xterm")
	xd.Run("xterm", "-geometry", "100x40+100+100", "-e", "sh", "-c", "ls -la /usr/bin | head -60; exec sleep 3600")
	base := rssKB(b)
	s, err := sample.New(content.Default(), sample.Options{Display: xd.Display})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	made := rssKB(b)
	var reading, after, released float64
	for i := 0; i < b.N; i++ {
		for range 3 {
			if _, err := s.Sample(context.Background(), image.Rectangle{}); err != nil {
				b.Fatal(err)
			}
		}
		reading = max(reading, rssKB(b))
		s.Reset()
		after = rssKB(b)
		s.Release()
		released = rssKB(b)
	}
	b.ReportMetric((made-base)/1024, "made-MiB")
	b.ReportMetric((reading-base)/1024, "reading-MiB")
	b.ReportMetric((after-base)/1024, "after-share-MiB")
	b.ReportMetric((released-base)/1024, "released-MiB")
}
