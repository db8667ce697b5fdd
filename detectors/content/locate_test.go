package content

import (
	"image"
	"testing"

	"github.com/shareguard/shareguard/detectors"
	"github.com/shareguard/shareguard/platform"
)

func TestLocate(t *testing.T) {
	snap := &platform.Snapshot{
		Windows: []platform.Window{ // bottom first
			{ID: 1, Type: platform.TypeDesktop, Bounds: platform.Rect{W: 1920, H: 1080}, Visible: true},
			{ID: 2, PID: 20, Title: "Anteckningar", Bounds: platform.Rect{X: 0, Y: 0, W: 1000, H: 800}, Visible: true},
			{ID: 3, PID: 30, Title: "Dokument.pdf", Bounds: platform.Rect{X: 500, Y: 100, W: 800, H: 600}, Visible: true},
			{ID: 4, PID: 40, Title: "Minimerad", Bounds: platform.Rect{X: 0, Y: 0, W: 1920, H: 1080}, Visible: true, Minimized: true},
			{ID: 5, Type: platform.TypeDock, Bounds: platform.Rect{X: 0, Y: 1040, W: 1920, H: 40}, Visible: true},
			{ID: 6, Type: platform.TypeNotification, Bounds: platform.Rect{X: 10, Y: 10, W: 300, H: 60}, Visible: true},
		},
		Processes: []platform.Process{{PID: 20, Name: "mousepad"}, {PID: 30, Name: "evince"}},
	}
	hits := []Hit{
		{Rule: RulePersonnummer, Confidence: Medium, Rect: image.Rect(100, 100, 200, 114)},   // window 2
		{Rule: RulePersonnummer, Confidence: High, Rect: image.Rect(120, 300, 220, 314)},     // window 2 again, higher
		{Rule: RulePersonnummer, Confidence: Medium, Rect: image.Rect(600, 200, 700, 214)},   // window 3 (on top of 2)
		{Rule: "phrase:Sekretess", Confidence: High, Rect: image.Rect(1500, 900, 1600, 914)}, // desktop only
		{Rule: RulePersonnummer, Confidence: High, Rect: image.Rect(100, 1050, 200, 1064)},   // the panel
		{Rule: RuleSamordningsnummer, Confidence: High, Rect: image.Rect(20, 20, 120, 34)},   // a popup over window 2
	}
	got := Locate(hits, snap, Default())
	want := []detectors.Finding{
		{Kind: detectors.FindScreenContent, Rule: "personnummer/high", App: "mousepad", Window: 2, PID: 20, Process: "mousepad", Title: "Anteckningar", Action: detectors.ActionMinimize},
		{Kind: detectors.FindScreenContent, Rule: "personnummer/medium", App: "evince", Window: 3, PID: 30, Process: "evince", Title: "Dokument.pdf", Action: detectors.ActionWarn},
		{Kind: detectors.FindScreenContent, Rule: "phrase:Sekretess/high", Action: detectors.ActionWarn},
		{Kind: detectors.FindScreenContent, Rule: "personnummer/high", Action: detectors.ActionWarn},
		{Kind: detectors.FindScreenContent, Rule: "samordningsnummer/high", Action: detectors.ActionWarn},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d findings %+v, want %d", len(got), got, len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("finding %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}

	// A confidence with no action is not reported.
	cfg := Default()
	cfg.MediumAction = ""
	if got := Locate(hits[2:3], snap, cfg); len(got) != 0 {
		t.Errorf("medium with no action: %+v", got)
	}
	// With no snapshot everything is a warning about no window.
	for _, f := range Locate(hits[:2], nil, Default()) {
		if f.Window != 0 || f.Action != detectors.ActionWarn {
			t.Errorf("nil snapshot: %+v", f)
		}
	}
}

func TestShouldSample(t *testing.T) {
	for _, c := range []struct {
		kinds []detectors.ShareKind
		want  bool
	}{
		{nil, false},
		{[]detectors.ShareKind{detectors.KindWindow, detectors.KindTab}, false},
		{[]detectors.ShareKind{detectors.KindWindow, detectors.KindScreen}, true},
		{[]detectors.ShareKind{detectors.KindUnknown}, true},
	} {
		var shares []detectors.Share
		for _, k := range c.kinds {
			shares = append(shares, detectors.Share{Kind: k})
		}
		if got := ShouldSample(shares); got != c.want {
			t.Errorf("ShouldSample(%v) = %v", c.kinds, got)
		}
	}
}
