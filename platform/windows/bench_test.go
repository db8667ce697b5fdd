//go:build windows

package windows_test

import (
	"context"
	"testing"

	"github.com/shareguard/shareguard/detectors"
	sgwin "github.com/shareguard/shareguard/platform/windows"
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
