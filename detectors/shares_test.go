package detectors

import (
	"slices"
	"testing"

	"github.com/shareguard/shareguard/platform"
)

// win is a shown normal window of process pid.
func win(id platform.WindowID, pid int, title, class string) platform.Window {
	return platform.Window{ID: id, PID: pid, Title: title, Class: class, Visible: true}
}

func onTop(w platform.Window) platform.Window { w.OnTop = true; return w }

// bar makes w a share bar by structure: on top, toolbar-sized (w×h px),
// kept out of captures.
func bar(w platform.Window, wd, h int) platform.Window {
	w.OnTop, w.CaptureExcluded, w.Bounds = true, true, platform.Rect{X: 700, W: wd, H: h}
	return w
}

func procs(names map[int]string) []platform.Process {
	var ps []platform.Process
	for pid, n := range names {
		ps = append(ps, platform.Process{PID: pid, Name: n})
	}
	slices.SortFunc(ps, func(a, b platform.Process) int { return a.PID - b.PID })
	return ps
}

func TestSharesSignatures(t *testing.T) {
	type want struct {
		sig, app string
		kind     ShareKind
	}
	cases := []struct {
		name string
		w    platform.Window
		proc string
		want *want // nil: no share
	}{
		// Chromium on Linux X11: the indicator is always on top.
		{"chromium meet screen", onTop(win(10, 100, "meet.google.com is sharing your screen.", "chromium")), "chromium",
			&want{"chromium-screen", AppMeet, KindScreen}},
		{"chromium teams screen and audio", onTop(win(10, 100, "teams.microsoft.com is sharing your screen and audio.", "chromium")), "chromium",
			&want{"chromium-screen", AppTeams, KindScreen}},
		{"chromium window", onTop(win(10, 100, "app.zoom.us is sharing a window.", "chromium")), "chromium",
			&want{"chromium-window", AppZoom, KindWindow}},
		{"chromium window and audio", onTop(win(10, 100, "acme.webex.com is sharing a window and audio.", "chromium")), "chromium",
			&want{"chromium-window", AppWebex, KindWindow}},
		{"chromium tab", onTop(win(10, 100, "whereby.com is sharing a Chrome tab.", "chromium")), "chromium",
			&want{"chromium-tab", AppWhereby, KindTab}},
		{"brave tab and audio", onTop(win(10, 100, "teams.live.com is sharing a Brave tab and audio.", "brave-browser")), "brave",
			&want{"chromium-tab", AppTeams, KindTab}},
		{"edge tab", onTop(win(10, 100, "teams.cloud.microsoft is sharing a Microsoft Edge tab.", "Chrome_WidgetWin_1")), "msedge.exe",
			&want{"chromium-tab", AppTeams, KindTab}},
		{"localhost", onTop(win(10, 100, "localhost:8080 is sharing your screen.", "chromium")), "chromium",
			&want{"chromium-screen", "localhost:8080", KindScreen}},
		{"not on top but host-shaped origin", win(10, 100, "127.0.0.1:8000 is sharing your screen.", "chromium"), "chromium",
			&want{"chromium-screen", "127.0.0.1:8000", KindScreen}},
		{"extension name on top", onTop(win(10, 100, "Screen Recorder Pro is sharing your screen.", "chromium")), "chromium",
			&want{"chromium-screen", "screen recorder pro", KindScreen}},
		// Chromium on Windows.
		{"chrome windows", onTop(win(10, 100, "meet.google.com is sharing your screen.", "Chrome_WidgetWin_1")), "chrome.exe",
			&want{"chromium-win-screen", AppMeet, KindScreen}},
		// Firefox.
		{"firefox", win(10, 100, "Firefox — Sharing Indicator", "Firefox"), "firefox",
			&want{"firefox-indicator", AppFirefox, KindUnknown}},
		{"firefox nightly hyphen", win(10, 100, "Firefox Nightly - Sharing Indicator", "Firefox"), "firefox",
			&want{"firefox-indicator-hyphen", AppFirefox, KindUnknown}},
		{"firefox swedish", win(10, 100, "Firefox - Delningsindikator", "Firefox"), "firefox",
			&want{"firefox-indicator-sv", AppFirefox, KindUnknown}},
		{"firefox swedish page about it", win(10, 100, "Vad är delningsindikatorn? - Firefox", "firefox"), "firefox", nil},
		// Zoom.
		{"zoom windows toolbar", win(10, 100, "Screen sharing meeting controls", "ZPFloatToolbarClass"), "Zoom.exe",
			&want{"zoom-win-toolbar", AppZoom, KindUnknown}},
		{"zoom mac toolbar", win(10, 100, "zoom share toolbar window", ""), "zoom.us",
			&want{"zoom-mac-toolbar", AppZoom, KindUnknown}},
		{"zoom mac statusbar", win(10, 100, "zoom share statusbar window", ""), "zoom.us",
			&want{"zoom-mac-statusbar", AppZoom, KindUnknown}},
		{"zoom linux toolbar", win(10, 100, "as_toolbar", "zoom"), "zoom",
			&want{"zoom-linux-toolbar", AppZoom, KindUnknown}},
		// Teams.
		{"teams new", win(10, 100, "Sharing control bar | Microsoft Teams", "TeamsWebView"), "ms-teams.exe",
			&want{"teams-sharing-control-bar", AppTeams, KindUnknown}},
		{"teams classic", win(10, 100, "Screen sharing toolbar", "Chrome_WidgetWin_1"), "Teams.exe",
			&want{"teams-classic-toolbar", AppTeams, KindUnknown}},
		{"teams classic mac", win(10, 100, "Screen sharing toolbar", ""), "Microsoft Teams",
			&want{"teams-classic-toolbar", AppTeams, KindUnknown}},

		// Known false positives.
		{"teams calls tab", win(10, 100, "Calls | Microsoft Teams", "TeamsWebView"), "ms-teams.exe", nil},
		{"zoom workplace", win(10, 100, "Zoom Workplace", "ZPPTMainFrmWndClassEx"), "Zoom.exe", nil},
		{"zoom meeting content", win(10, 100, "Zoom Meeting", "ZPContentViewWndClass"), "Zoom.exe", nil},
		{"zoom meeting tabs", win(10, 100, "Zoom Meeting", "ConfMultiTabContentWndClass"), "Zoom.exe", nil},
		{"zoom meeting toolbar", win(10, 100, "", "ZPToolBarParentWndClass"), "Zoom.exe", nil},
		{"zoom toolbar class without sharing title", win(10, 100, "Meeting controls", "ZPFloatToolbarClass"), "Zoom.exe", nil},
		{"search page linux", onTop(win(10, 100, "Why Chrome says X is sharing your screen - Google Search - Chromium", "chromium")), "chromium", nil},
		{"search page windows", win(10, 100, "Why Chrome says X is sharing your screen - Google Search - Google Chrome", "Chrome_WidgetWin_1"), "chrome.exe", nil},
		{"prose title ending like the indicator", win(10, 100, "Why Chrome says X is sharing your screen.", "chromium"), "chromium", nil},
		{"other object", onTop(win(10, 100, "bob is sharing your data.", "chromium")), "chromium", nil},
		// Swedish Chromium (sv.pak of Chromium 156; the window form was
		// seen on a real X11 indicator, see cmd/shareguard e2e tests).
		{"sv screen", onTop(win(10, 100, "meet.google.com delar din skärm.", "chromium")), "chromium",
			&want{"chromium-screen-sv", AppMeet, KindScreen}},
		{"sv screen and audio", onTop(win(10, 100, "teams.microsoft.com delar skärmen och ljudet.", "chromium")), "chromium",
			&want{"chromium-screen-audio-sv", AppTeams, KindScreen}},
		{"sv window seen on x11", onTop(win(10, 100, "http://127.0.0.1:44859 delar ett fönster.", "")), "chromium",
			&want{"chromium-window-sv", "127.0.0.1:44859", KindWindow}},
		{"sv window and audio", onTop(win(10, 100, "app.zoom.us delar ett fönster och ljud.", "chromium")), "chromium",
			&want{"chromium-window-sv", AppZoom, KindWindow}},
		{"sv tab", onTop(win(10, 100, "whereby.com delar en Chrome-flik.", "chromium")), "chromium",
			&want{"chromium-tab-sv", AppWhereby, KindTab}},
		{"sv tab and audio", onTop(win(10, 100, "meet.google.com delar ljud och en flik från Chrome.", "chromium")), "chromium",
			&want{"chromium-tab-audio-sv", AppMeet, KindTab}},
		{"sv edge windows", onTop(win(10, 100, "teams.cloud.microsoft delar din skärm.", "Chrome_WidgetWin_1")), "msedge.exe",
			&want{"chromium-screen-sv", AppTeams, KindScreen}},
		{"sv host-shaped origin not on top", win(10, 100, "localhost:8080 delar din skärm.", "chromium"), "chromium",
			&want{"chromium-screen-sv", "localhost:8080", KindScreen}},
		{"sv person name not on top", win(10, 100, "Anna delar din skärm.", "chromium"), "chromium", nil},
		{"sv prose not on top", win(10, 100, "Så gör du när någon delar din skärm.", "chromium"), "chromium", nil},
		{"sv search page", onTop(win(10, 100, "Varför står det att X delar din skärm - Google Sök - Chromium", "chromium")), "chromium", nil},
		{"sv other object", onTop(win(10, 100, "bob delar din kalender.", "chromium")), "chromium", nil},
		{"sv tab long brand", onTop(win(10, 100, "x.se delar en mycket lång och konstig produkt-flik.", "chromium")), "chromium", nil},
		{"firefox page about the indicator", win(10, 100, "What is the Sharing Indicator? — Mozilla Firefox", "firefox"), "firefox", nil},
		{"teams toolbar title from another app", win(10, 100, "Screen sharing toolbar", "gedit"), "gedit", nil},
		{"teams new title in wrong process", win(10, 100, "Sharing control bar", "TeamsWebView"), "notepad.exe", nil},
		// Signatures from public evidence (issue 13).
		{"firefox swedish em dash", onTop(win(10, 100, "Firefox — Delningsindikator", "firefox")), "firefox",
			&want{"firefox-indicator-sv-emdash", AppFirefox, KindUnknown}},
		{"teams-for-linux sharing", win(10, 100, "Teams for Linux - Screen is being shared", "teams-for-linux"), "teams-for-linux",
			&want{"teams-for-linux-preview", AppTeams, KindUnknown}},
		{"teams-for-linux after the share", win(10, 100, "Teams for Linux - Nothing is being shared", "teams-for-linux"), "teams-for-linux", nil},
		{"jitsi tracker on top", onTop(win(10, 100, "Screen Sharing Tracker", "jitsi meet")), "jitsi-meet",
			&want{"jitsi-sharing-tracker", AppJitsi, KindUnknown}},
		{"jitsi tracker title on a normal window", win(10, 100, "Screen Sharing Tracker", "gedit"), "gedit", nil},
		{"slack mini panel is a call, not a share", win(10, 100, "Slack | mini panel", "slack"), "slack", nil},
		{"skype is retired", onTop(win(10, 100, "Skype", "Skype")), "skypeforlinux", nil},
		// New Teams by structure, in any language: the title does not matter.
		{"teams bar swedish (title unknown)", bar(win(10, 100, "Delningskontrollfält | Microsoft Teams", "TeamsWebView"), 520, 56), "ms-teams.exe",
			&want{"teams-share-bar", AppTeams, KindUnknown}},
		{"teams bar czech", bar(win(10, 100, "Ovládací panel sdílení | Microsoft Teams", "TeamsWebView"), 520, 56), "ms-teams.exe",
			&want{"teams-share-bar", AppTeams, KindUnknown}},
		{"teams bar at 250 % scaling", bar(win(10, 100, "", "TeamsWebView"), 1300, 140), "ms-teams.exe",
			&want{"teams-share-bar", AppTeams, KindUnknown}},
		{"teams english bar", bar(win(10, 100, "Sharing control bar | Microsoft Teams | Pinned window", "TeamsWebView"), 520, 56), "ms-teams.exe",
			&want{"teams-share-bar", AppTeams, KindUnknown}},
		{"teams bar shape but not kept out of captures", func() platform.Window {
			w := bar(win(10, 100, "Möte | Microsoft Teams", "TeamsWebView"), 520, 56)
			w.CaptureExcluded = false
			return w
		}(), "ms-teams.exe", nil},
		{"teams bar shape but not on top", func() platform.Window {
			w := bar(win(10, 100, "Möte | Microsoft Teams", "TeamsWebView"), 520, 56)
			w.OnTop = false
			return w
		}(), "ms-teams.exe", nil},
		{"teams main window kept out of captures (not toolbar-sized)", bar(win(10, 100, "Chatt | Microsoft Teams", "TeamsWebView"), 1280, 800), "ms-teams.exe", nil},
		{"teams tall narrow pinned window", bar(win(10, 100, "Möte | Microsoft Teams", "TeamsWebView"), 200, 220), "ms-teams.exe", nil},
		{"teams bar shape in another process", bar(win(10, 100, "x", "TeamsWebView"), 520, 56), "msedgewebview2.exe", nil},
		{"zoom mac title wrong owner", win(10, 100, "zoom share toolbar window", ""), "Preview", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			snap := &platform.Snapshot{Windows: []platform.Window{tc.w}, Processes: procs(map[int]string{100: tc.proc})}
			got := Shares(snap, BuiltinSignatures())
			if tc.want == nil {
				if len(got) != 0 {
					t.Fatalf("want no share, got %+v", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("want one share, got %+v", got)
			}
			s := got[0]
			if s.Signature != tc.want.sig || s.App != tc.want.app || s.Kind != tc.want.kind || s.PID != 100 || s.Window != 10 {
				t.Fatalf("got %+v, want %+v (pid 100, window 10)", s, *tc.want)
			}
		})
	}
}

func TestAppForOrigin(t *testing.T) {
	for origin, want := range map[string]string{
		"meet.google.com":              AppMeet,
		"https://meet.google.com":      AppMeet,
		"teams.microsoft.com":          AppTeams,
		"TEAMS.LIVE.COM":               AppTeams,
		"teams.cloud.microsoft":        AppTeams,
		"app.zoom.us":                  AppZoom,
		"us02web.zoom.us":              AppZoom,
		"zoom.us":                      AppZoom,
		"region.webex.com":             AppWebex,
		"whereby.com":                  AppWhereby,
		"localhost:8080":               "localhost:8080",
		"127.0.0.1:8000":               "127.0.0.1:8000",
		"evilzoom.us":                  "evilzoom.us",
		"meet.google.com.evil.example": "meet.google.com.evil.example",
		"jitsi.example.se":             "jitsi.example.se",
	} {
		if got := AppForOrigin(origin); got != want {
			t.Errorf("AppForOrigin(%q) = %q, want %q", origin, got, want)
		}
	}
}

func TestIndicatorVisibility(t *testing.T) {
	base := onTop(win(10, 100, "meet.google.com is sharing your screen.", "chromium"))
	for _, tc := range []struct {
		name               string
		visible, minimized bool
		want               int
	}{
		{"shown", true, false, 1},
		{"minimized still shares", false, true, 1},
		{"minimized and mapped (Windows)", true, true, 1},
		{"hidden leftover", false, false, 0},
	} {
		w := base
		w.Visible, w.Minimized = tc.visible, tc.minimized
		snap := &platform.Snapshot{Windows: []platform.Window{w}, Processes: procs(map[int]string{100: "chromium"})}
		if got := Shares(snap, nil); len(got) != tc.want {
			t.Errorf("%s: got %d shares (%+v), want %d", tc.name, len(got), got, tc.want)
		}
	}
}

func TestSharesOnePerSignatureAndPID(t *testing.T) {
	snap := &platform.Snapshot{
		Windows: []platform.Window{
			win(31, 100, "whereby.com is sharing your screen.", "chromium"),            // not on top
			onTop(win(30, 100, "meet.google.com is sharing your screen.", "chromium")), // on top: preferred
			onTop(win(20, 200, "meet.google.com is sharing a window.", "chromium")),
			win(40, 300, "Screen sharing meeting controls", "ZPFloatToolbarClass"),
		},
		Processes: procs(map[int]string{100: "chromium", 200: "chrome", 300: "Zoom.exe"}),
	}
	got := Shares(snap, nil)
	want := []Share{
		{App: AppMeet, Kind: KindScreen, PID: 100, Window: 30, Signature: "chromium-screen"},
		{App: AppMeet, Kind: KindWindow, PID: 200, Window: 20, Signature: "chromium-window"},
		{App: AppZoom, Kind: KindUnknown, PID: 300, Window: 40, Signature: "zoom-win-toolbar"},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	// Restacking and reordering processes does not change the result.
	slices.Reverse(snap.Windows)
	slices.Reverse(snap.Processes)
	if again := Shares(snap, nil); !slices.Equal(again, want) {
		t.Fatalf("after restacking got %+v", again)
	}
}

func TestMeetings(t *testing.T) {
	snap := &platform.Snapshot{
		Windows: []platform.Window{
			win(1, 10, "Zoom Meeting", "ZPContentViewWndClass"),
			win(2, 20, "Huddle: #team - Slack", "Slack"),
			onTop(win(3, 30, "meet.google.com is sharing your screen.", "chromium")),
		},
		Processes: []platform.Process{
			{PID: 10, Name: "Zoom.exe"},
			{PID: 20, Name: "slack"},
			{PID: 21, PPID: 20, Name: "slack"}, // helper of the same app
			{PID: 30, Name: "chromium"},
			{PID: 40, Name: "CiscoCollabHost.exe"},
			{PID: 50, Name: "Discord"},
			{PID: 60, Name: "teams-for-linux"},
			{PID: 70, Name: "gedit"},
		},
	}
	got := Meetings(snap, nil)
	type key struct {
		sig string
		pid int
		app string
	}
	var keys []key
	for _, m := range got {
		keys = append(keys, key{m.Signature, m.PID, m.App})
	}
	want := []key{
		{"chromium-screen", 30, AppMeet},
		{"zoom-meeting-content", 10, AppZoom},
		{"slack-huddle", 20, AppSlack},
		{"webex-collabhost", 40, AppWebex},
		{"teams-for-linux-process", 60, AppTeams},
		{"zoom-process", 10, AppZoom},
		{"slack-process", 20, AppSlack},
		{"discord-process", 50, AppDiscord},
	}
	if !slices.Equal(keys, want) {
		t.Fatalf("got  %+v\nwant %+v", keys, want)
	}
	if sh := Shares(snap, nil); len(sh) != 1 || sh[0].App != AppMeet {
		t.Fatalf("only the browser shares, got %+v", sh)
	}
}

func TestBuiltinSignaturesIsACopy(t *testing.T) {
	a := BuiltinSignatures()
	a[0].Name = "changed"
	if b := BuiltinSignatures(); b[0].Name == "changed" {
		t.Fatal("BuiltinSignatures hands out the table itself")
	}
	seen := map[string]bool{}
	for _, s := range a[1:] {
		if seen[s.Name] || s.Name == "" {
			t.Errorf("signature name %q empty or duplicated", s.Name)
		}
		seen[s.Name] = true
		if !s.Title.IsSet() && !s.Class.IsSet() && !s.Process.IsSet() && s.Session == "" {
			t.Errorf("signature %q matches nothing", s.Name)
		}
	}
}

// Meetings, for the tests, returns the meeting apps running: matches of Meeting signatures
// and of sharing signatures, one per (signature, pid), in the same order as
// Shares. Kind is meaningless for Meeting signatures (it is their Kind,
// usually empty). Nil sigs means the built-in table.
func Meetings(snap *platform.Snapshot, sigs []Signature) []Share {
	if snap == nil {
		return nil
	}
	if sigs == nil {
		sigs = builtin
	}
	v := newView(snap, sigs, nil)
	return v.collapse(sigs, v.scan(sigs), wantMeetings)
}

// Slack's Linux call window says a call runs (for the approved-tools
// check), never that something is shared.
func TestSlackMiniPanelIsAMeeting(t *testing.T) {
	snap := &platform.Snapshot{
		Windows:   []platform.Window{win(1, 20, "Slack | mini panel", "Slack")},
		Processes: []platform.Process{{PID: 20, Name: "slack"}},
	}
	got := Meetings(snap, nil)
	if len(got) == 0 || got[0].Signature != "slack-mini-panel" || got[0].App != AppSlack {
		t.Errorf("meetings %+v, want slack-mini-panel first", got)
	}
	if sh := Shares(snap, nil); len(sh) != 0 {
		t.Errorf("a Slack call counted as a share: %+v", sh)
	}
}

func TestSharesCaptures(t *testing.T) {
	cases := []struct {
		name string
		p    platform.Process
		want string // signature name; "" means no share
		app  string
		kind ShareKind
	}{
		{"ffmpeg grabbing the screen", platform.Process{PID: 7, Name: "ffmpeg", Args: []string{"ffmpeg", "-f", "x11grab", "-i", ":0", "out.mkv"}},
			"ffmpeg-x11grab", "ffmpeg", KindRecording},
		{"ffmpeg converting a file", platform.Process{PID: 7, Name: "ffmpeg", Args: []string{"ffmpeg", "-i", "in.mp4", "out.webm"}}, "", "", ""},
		{"ffmpeg, command line unknown", platform.Process{PID: 7, Name: "ffmpeg"}, "", "", ""},
		{"gstreamer ximagesrc", platform.Process{PID: 7, Name: "gst-launch-1.0", Args: []string{"gst-launch-1.0", "ximagesrc", "use-damage=0", "!", "fakesink"}},
			"gstreamer-ximagesrc", "GStreamer", KindRecording},
		{"gstreamer test source", platform.Process{PID: 7, Name: "gst-launch-1.0", Args: []string{"gst-launch-1.0", "videotestsrc", "!", "fakesink"}}, "", "", ""},
		{"x11vnc with a viewer", platform.Process{PID: 7, Name: "x11vnc", Args: []string{"x11vnc"}, Clients: 1}, "x11vnc-client", "x11vnc", KindRemote},
		{"x11vnc listening only", platform.Process{PID: 7, Name: "x11vnc", Args: []string{"x11vnc"}}, "", "", ""},
		{"x0vncserver with a viewer", platform.Process{PID: 7, Name: "x0vncserver", Clients: 2}, "x0vncserver-client", "TigerVNC", KindRemote},
		{"rustdesk connection manager", platform.Process{PID: 7, Name: "rustdesk", Args: []string{"/usr/bin/rustdesk", "--cm"}}, "rustdesk-cm", "RustDesk", KindRemote},
		{"rustdesk idle", platform.Process{PID: 7, Name: "rustdesk", Args: []string{"/usr/bin/rustdesk", "--service"}}, "", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			snap := &platform.Snapshot{Processes: []platform.Process{tc.p}}
			got := Shares(snap, nil)
			if tc.want == "" {
				if len(got) != 0 {
					t.Fatalf("shares %+v, want none", got)
				}
				return
			}
			if len(got) != 1 || got[0].Signature != tc.want || got[0].App != tc.app || got[0].Kind != tc.kind || got[0].PID != 7 || got[0].Window != 0 {
				t.Fatalf("shares %+v, want one %s (%s, %s) of pid 7", got, tc.want, tc.app, tc.kind)
			}
			if !got[0].Kind.WholeScreen() {
				t.Fatalf("%s is not guarded as a whole-screen share", got[0].Kind)
			}
		})
	}
}

// A capture makes protected windows findings, as a whole-screen share
// does, and is not an unapproved meeting tool.
func TestCaptureGuardsLikeWholeScreen(t *testing.T) {
	snap := &platform.Snapshot{
		Windows:   []platform.Window{win(1, 50, "Melior - Översikt", "XTerm")},
		Processes: []platform.Process{{PID: 7, Name: "x11vnc", Clients: 1}, {PID: 50, Name: "xterm"}},
	}
	in := Input{Rules: []Rule{{Name: "Melior", Titles: []Glob{MustGlob("Melior*")}, Action: ActionMinimize}}, Approved: []string{AppTeams}}
	shares, findings := Evaluate(snap, in)
	if len(shares) != 1 || shares[0].Kind != KindRemote {
		t.Fatalf("shares %+v", shares)
	}
	if len(findings) != 1 || findings[0].Kind != FindProtectedApp || findings[0].Window != 1 {
		t.Fatalf("findings %+v, want only the protected window", findings)
	}
	snap.Processes[0].Clients = 0
	if shares, findings := Evaluate(snap, in); len(shares) != 0 || len(findings) != 0 {
		t.Fatalf("listening only: shares %+v findings %+v", shares, findings)
	}
}

func TestWatchedProcesses(t *testing.T) {
	got := WatchedProcesses(nil)
	want := []string{"ffmpeg", "gst-launch-1.0", "x11vnc", "x0vncserver", "rustdesk",
		"obs", "obs64", "obs32", "simplescreenrecorder", "vokoscreenng", "loom", "snagit32", "snagitcapture", "camrecorder", "camtasiastudio", "camtasia"}
	if !slices.Equal(got, want) {
		t.Fatalf("WatchedProcesses = %q, want %q", got, want)
	}
	extra := append(BuiltinSignatures(), Signature{Name: "x", Kind: KindRecording, Process: MustGlob("Recorder*")}, Signature{Name: "y", Kind: KindRemote, Process: MustGlob("VNCServer")})
	if got := WatchedProcesses(extra); !slices.Equal(got, append(want, "vncserver")) {
		t.Fatalf("with configured ones: %q", got)
	}
}
