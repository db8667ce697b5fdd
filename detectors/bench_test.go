package detectors

import (
	"fmt"
	"testing"

	"github.com/shareguard/shareguard/platform"
)

// benchInput is a default-sized configuration: 15 rules with 2-3 globs.
func benchInput() Input {
	names := []string{"Cosmic", "TakeCare", "Melior", "PMO", "NCS Cross", "VAS", "Asynja Visph", "Millennium",
		"ProReNata", "Lifecare", "Procapita", "Treserva", "Viva", "Pulsen Combine", "Journalia"}
	var rules []Rule
	for i, n := range names {
		r := Rule{Name: n, Titles: []Glob{MustGlob("*" + n + "*"), MustGlob(n + " - *")}, Action: ActionMinimize}
		if i%2 == 0 {
			r.Processes = []Glob{MustGlob(fmt.Sprintf("%s%d.exe", n, i))}
		}
		if i%5 == 0 {
			r.Classes = []Glob{MustGlob(n + "Main")}
		}
		rules = append(rules, r)
	}
	return Input{Signatures: BuiltinSignatures(), Rules: rules, Approved: []string{"Microsoft Teams", "Zoom"},
		PnrInTitleAction: ActionWarn, PopupAction: ActionMinimize, UnapprovedAction: ActionWarn}
}

// benchSnapshot: ~60 windows of 40 processes during a Meet screen share,
// a few protected apps, personnummer in titles and popups.
func benchSnapshot() *platform.Snapshot {
	snap := &platform.Snapshot{}
	apps := []string{"chromium", "firefox", "gedit", "nautilus", "libreoffice", "thunderbird", "code", "slack", "TakeCare.exe", "wfica32"}
	for pid := 1; pid <= 40; pid++ {
		snap.Processes = append(snap.Processes, platform.Process{PID: 1000 + pid, PPID: 1, Name: apps[pid%len(apps)]})
	}
	titles := []string{
		"Inkorg - kalle@region.se - Mozilla Thunderbird",
		"Cosmic - Patientöversikt - Citrix Receiver",
		"TakeCare - Journal",
		"Remiss för 19121212-1212 - LibreOffice Writer",
		"main.go - shareguard - Visual Studio Code",
		"Dokument - Filer",
		"Veckomöte | Microsoft Teams - Chromium",
		"Ärendelista - Treserva - Google Chrome",
		"anteckningar.txt - gedit",
		"Sök: 811218-9876 - Mozilla Firefox",
	}
	for i := 0; i < 56; i++ {
		w := platform.Window{ID: platform.WindowID(0x1000 + i), PID: 1001 + i%40, Title: titles[i%len(titles)],
			Class: apps[i%len(apps)], Visible: i%7 != 6, Minimized: i%9 == 8}
		snap.Windows = append(snap.Windows, w)
	}
	snap.Windows = append(snap.Windows,
		platform.Window{ID: 0x2000, Title: "Nytt meddelande", Type: platform.TypeNotification, Visible: true},
		platform.Window{ID: 0x2001, Title: "Påminnelse: 19121212-1212", Type: platform.TypeNotification, Visible: true},
		platform.Window{ID: 0x2002, PID: 1002, Title: "xfce4-panel", Type: platform.TypeDock, Visible: true},
		platform.Window{ID: 0x2003, PID: 1010, Title: "meet.google.com is sharing your screen.", Class: "chromium", Visible: true, OnTop: true},
	)
	return snap
}

func BenchmarkEvaluate(b *testing.B) {
	snap := benchSnapshot()
	in := benchInput()
	b.ReportAllocs()
	for b.Loop() {
		Evaluate(snap, in)
	}
}
