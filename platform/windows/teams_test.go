//go:build windows

package windows_test

import (
	"context"
	"testing"
	"time"

	"github.com/shareguard/shareguard/detectors"
	"github.com/shareguard/shareguard/platform"
	sgwin "github.com/shareguard/shareguard/platform/windows"
	"github.com/shareguard/shareguard/platform/windows/internal/testwin"
)

// New Teams' share bar is known by its structure, whatever the language of
// its title: a topmost, toolbar-sized TeamsWebView window of ms-teams kept
// out of captures. Wine keeps no display affinity (SetWindowDisplayAffinity
// fails, GetWindowDisplayAffinity reads 0 for every window), so the
// platform's affinity reader is stood in for: it answers
// WDA_EXCLUDEFROMCAPTURE for the helper's window. The real reader's answer
// under this system is logged and must keep that window from counting.
func TestTeamsShareBarByStructure(t *testing.T) {
	ctx := context.Background()
	d, err := sgwin.Open(ctx, sgwin.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	teams := startHelper(t, "ms-teams.exe", "windows", []testwin.Spec{
		{Class: "TeamsWebView", Title: "Kontrollfält för delning | Microsoft Teams", Topmost: true, Tool: true},
	})
	bar := teams.hwnds[0]
	real := sgwin.DisplayAffinity(bar)
	t.Logf("GetWindowDisplayAffinity of another process's window here: %#x", real)

	// The real reader first: without the capture setting, no share.
	var snap platform.Snapshot
	if !eventually(5*time.Second, func() bool {
		snap, err = d.Snapshot(ctx)
		return err == nil && seen(snap, bar)
	}) {
		t.Fatalf("the helper's window is not in the snapshot: %v", err)
	}
	if real != 0x11 {
		if got := detectors.Shares(&snap, nil); len(got) != 0 {
			t.Fatalf("a Teams bar not kept out of captures counted as a share: %+v", got)
		}
	}
	sgwin.SetAffinityReader(d, func(h uintptr) uint32 {
		if h == bar {
			return 0x11 // WDA_EXCLUDEFROMCAPTURE
		}
		return 0
	})
	var got []detectors.Share
	deadline := time.Now().Add(5 * time.Second)
	for len(got) == 0 && time.Now().Before(deadline) {
		snap, err := d.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got = detectors.Shares(&snap, nil)
		time.Sleep(50 * time.Millisecond)
	}
	if len(got) != 1 || got[0].Signature != "teams-share-bar" || got[0].App != detectors.AppTeams || got[0].PID != teams.pid() {
		t.Fatalf("shares %+v, want the Teams share bar of pid %d", got, teams.pid())
	}
}

// seen reports whether the snapshot has window h.
func seen(snap platform.Snapshot, h uintptr) bool {
	for _, w := range snap.Windows {
		if w.ID == platform.WindowID(h) {
			return true
		}
	}
	return false
}
