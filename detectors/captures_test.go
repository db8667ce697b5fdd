package detectors

import (
	"testing"

	"github.com/shareguard/shareguard/platform"
)

// journal is the protected rule of these tests.
func journalInput() Input {
	return Input{Rules: []Rule{{Name: "TakeCare", Titles: []Glob{MustGlob("TakeCare*")}, Action: ActionMinimize}}, RecorderRunning: true}
}

func TestRecorderRunning(t *testing.T) {
	journal := win(1, 50, "TakeCare - Journal - Anna Andersson", "wfica32")
	other := win(2, 60, "Dokument1 - Word", "OpusApp")
	obs := platform.Process{PID: 70, Name: "obs64.exe"}
	owners := []platform.Process{{PID: 50, Name: "wfica32.exe"}, {PID: 60, Name: "WINWORD.EXE"}}
	minimized := journal
	minimized.Visible, minimized.Minimized = false, true
	withdrawn := journal
	withdrawn.Visible = false
	for _, tc := range []struct {
		name  string
		wins  []platform.Window
		procs []platform.Process
		off   bool
		want  int
	}{
		{"recorder and a shown journal", []platform.Window{journal, other}, append(owners, obs), false, 1},
		{"recorder and a minimized journal", []platform.Window{minimized}, append(owners, obs), false, 1},
		{"recorder, journal withdrawn", []platform.Window{withdrawn, other}, append(owners, obs), false, 0},
		{"recorder, no journal", []platform.Window{other}, append(owners, obs), false, 0},
		{"journal, no recorder", []platform.Window{journal}, owners, false, 0},
		{"recorder_running off", []platform.Window{journal}, append(owners, obs), true, 0},
	} {
		in := journalInput()
		in.RecorderRunning = !tc.off
		snap := &platform.Snapshot{Windows: tc.wins, Processes: tc.procs}
		shares, findings := Evaluate(snap, in)
		if len(shares) != 0 {
			t.Errorf("%s: a recorder that is merely running is no share: %+v", tc.name, shares)
		}
		if len(findings) != tc.want {
			t.Errorf("%s: findings %+v, want %d", tc.name, findings, tc.want)
			continue
		}
		if tc.want == 0 {
			continue
		}
		f := findings[0]
		want := Finding{Kind: FindRecorder, Rule: RecorderRule, App: "OBS Studio", PID: 70, Process: "obs64.exe", Action: ActionWarn}
		if f != want {
			t.Errorf("%s: finding %+v, want %+v (no window, no title)", tc.name, f, want)
		}
	}
}

// A recorder is no meeting tool: it never counts as an unapproved one, and
// its finding comes after those of meeting tools.
func TestRecorderIsNoMeetingTool(t *testing.T) {
	in := journalInput()
	in.Approved = []string{AppTeams}
	snap := &platform.Snapshot{
		Windows:   []platform.Window{win(1, 50, "TakeCare - Översikt", "x")},
		Processes: []platform.Process{{PID: 50, Name: "wfica32.exe"}, {PID: 80, Name: "simplescreenrecorder"}, {PID: 90, Name: "Slack"}},
	}
	_, findings := Evaluate(snap, in)
	if len(findings) != 2 || findings[0].Kind != FindUnapproved || findings[1].Kind != FindRecorder {
		t.Fatalf("findings %v, want unapproved Slack then the recorder", kinds(findings))
	}
	if findings[1].App != "SimpleScreenRecorder" {
		t.Fatalf("recorder app %q", findings[1].App)
	}
}

func TestSessionSignatures(t *testing.T) {
	for _, tc := range []struct {
		name    string
		session platform.Session
		want    []string
	}{
		{"local", platform.Session{}, nil},
		{"remote controlled", platform.Session{RemoteControlled: true}, []string{"windows-remote-control"}},
		// Working through Remote Desktop or a VDI is not a capture.
		{"remote desktop", platform.Session{Remote: true}, nil},
		{"both", platform.Session{Remote: true, RemoteControlled: true}, []string{"windows-remote-control"}},
	} {
		got := Shares(&platform.Snapshot{Session: tc.session}, nil)
		if len(got) != len(tc.want) {
			t.Errorf("%s: shares %+v, want %v", tc.name, got, tc.want)
			continue
		}
		for i, s := range got {
			if s.Signature != tc.want[i] || s.Kind != KindRemote || s.PID != 0 || s.Window != 0 {
				t.Errorf("%s: share %+v, want %s, remote, no pid or window", tc.name, s, tc.want[i])
			}
		}
	}
}

func TestWindowsCaptureSignatures(t *testing.T) {
	gdi := []string{"ffmpeg.exe", "-f", "gdigrab", "-framerate", "30", "-offset_x", "0", "-offset_y", "0", "-video_size", "1920x1080", "-draw_mouse", "1", "-i", "desktop", "-c:v", "libx264", "out.mp4"}
	oneWindow := []string{"ffmpeg.exe", "-f", "gdigrab", "-i", "title=Anteckningar", "out.mp4"}
	dda := []string{"ffmpeg.exe", "-f", "lavfi", "-i", "ddagrab=output_idx=0:framerate=30", "out.mkv"}
	panel := platform.Window{ID: 5, PID: 40, Title: "TeamViewer Panel", Class: "TV_ControlWin", Visible: true, OnTop: true}
	mainWin := platform.Window{ID: 6, PID: 40, Title: "TeamViewer", Class: "TV_ControlWin", Visible: true}
	hiddenPanel := panel
	hiddenPanel.Visible = false
	crd := platform.Window{ID: 7, PID: 41, Title: "Chrome Remote Desktop", Class: "remoting_desktop", Type: platform.TypeUtility, Visible: true, OnTop: true}
	crdClient := crd
	crdClient.OnTop, crdClient.Type = false, platform.TypeNormal
	for _, tc := range []struct {
		name string
		snap platform.Snapshot
		want string // signature, "" for none
		kind ShareKind
	}{
		{"ShareX's ffmpeg grabbing the desktop", platform.Snapshot{Processes: []platform.Process{{PID: 9, Name: "ffmpeg.exe", Args: gdi}}}, "ffmpeg-gdigrab", KindRecording},
		{"ffmpeg grabbing one window", platform.Snapshot{Processes: []platform.Process{{PID: 9, Name: "ffmpeg.exe", Args: oneWindow}}}, "", ""},
		{"ffmpeg converting a file", platform.Snapshot{Processes: []platform.Process{{PID: 9, Name: "ffmpeg.exe", Args: []string{"ffmpeg", "-i", "a.mkv", "b.mp4"}}}}, "", ""},
		{"ffmpeg desktop duplication", platform.Snapshot{Processes: []platform.Process{{PID: 9, Name: "ffmpeg.exe", Args: dda}}}, "ffmpeg-ddagrab", KindRecording},
		{"TeamViewer panel while connected", platform.Snapshot{Windows: []platform.Window{mainWin, panel}, Processes: []platform.Process{{PID: 40, Name: "TeamViewer.exe"}}}, "teamviewer-panel", KindRemote},
		{"TeamViewer main window only", platform.Snapshot{Windows: []platform.Window{mainWin}, Processes: []platform.Process{{PID: 40, Name: "TeamViewer.exe"}}}, "", ""},
		{"TeamViewer panel hidden", platform.Snapshot{Windows: []platform.Window{hiddenPanel}, Processes: []platform.Process{{PID: 40, Name: "TeamViewer.exe"}}}, "", ""},
		{"Chrome Remote Desktop host window", platform.Snapshot{Windows: []platform.Window{crd}}, "chrome-remote-desktop-host", KindRemote},
		{"Chrome Remote Desktop web client", platform.Snapshot{Windows: []platform.Window{crdClient}}, "", ""},
	} {
		got := Shares(&tc.snap, nil)
		if tc.want == "" {
			if len(got) != 0 {
				t.Errorf("%s: shares %+v, want none", tc.name, got)
			}
			continue
		}
		if len(got) != 1 || got[0].Signature != tc.want || got[0].Kind != tc.kind {
			t.Errorf("%s: shares %+v, want %s (%s)", tc.name, got, tc.want, tc.kind)
		}
	}
}

// Firefox makes its sharing indicator for camera- and microphone-only
// calls too and keeps it hidden: only a shown (or minimized) one shares.
func TestFirefoxIndicatorOnlyWhenShown(t *testing.T) {
	ind := platform.Window{ID: 3, PID: 30, Title: "Firefox — Sharing Indicator", Class: "firefox-esr", Type: platform.TypeDialog, OnTop: true}
	for _, tc := range []struct {
		name               string
		visible, minimized bool
		want               int
	}{
		{"hidden (camera or microphone only)", false, false, 0},
		{"shown", true, false, 1},
		{"minimized by the user", false, true, 1},
	} {
		w := ind
		w.Visible, w.Minimized = tc.visible, tc.minimized
		snap := &platform.Snapshot{Windows: []platform.Window{w}, Processes: []platform.Process{{PID: 30, Name: "firefox-esr"}}}
		if got := Shares(snap, nil); len(got) != tc.want {
			t.Errorf("%s: shares %+v, want %d", tc.name, got, tc.want)
		}
	}
}
