//go:build linux

package procscan

import "testing"

// BenchmarkScanIdle is one idle scan of this machine's /proc, no watched
// process running: the cost the guard pays every interval.
func BenchmarkScanIdle(b *testing.B) {
	var s Scanner
	// The built-in watch list: captures and recorders (detectors.WatchedProcesses).
	s.SetNames([]string{"ffmpeg", "gst-launch-1.0", "x11vnc", "x0vncserver", "rustdesk",
		"obs", "obs64", "obs32", "simplescreenrecorder", "vokoscreenng", "loom", "snagit32", "snagitcapture", "camrecorder", "camtasiastudio", "camtasia"})
	s.Scan()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.Scan()
	}
}
