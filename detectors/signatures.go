package detectors

import (
	"slices"
	"strings"
)

// App names used in the built-in table and in approved_tools.
const (
	AppTeams   = "Microsoft Teams"
	AppZoom    = "Zoom"
	AppMeet    = "Google Meet"
	AppWebex   = "Webex"
	AppWhereby = "Whereby"
	AppSlack   = "Slack"
	AppDiscord = "Discord"
	AppJitsi   = "Jitsi Meet"
	AppFirefox = "Firefox"
)

// A signature with an empty App and a Title glob is a browser share
// indicator: its title reads "<origin> is sharing ...", and the App is
// derived from the origin (see AppForOrigin). A title that does not have
// exactly that shape does not match, which is what keeps web pages *about*
// sharing from counting as shares.

// builtin is the built-in table. It is built once and never changed;
// BuiltinSignatures hands out copies. Order matters: a window counts for
// the first signature it matches, so specific signatures come first.
var builtin = []Signature{
	// Chromium family (Chrome, Chromium, Edge, Brave, ...). The indicator is
	// a small top-level window of the browser process whose title is the
	// localised IDS_MEDIA_*_CAPTURE_NOTIFICATION_TEXT. The six English forms
	// are "$1 is sharing your screen.", "$1 is sharing a window.",
	// "$1 is sharing a <Brand> tab." and each with " and audio" before the
	// full stop. Swedish forms follow below; other languages are not
	// recognised.
	//
	// Windows: class Chrome_WidgetWin_1. Listed first so a Windows share is
	// named after it; the title check is "contains" as seen in public code,
	// the shape check on the title keeps it anchored.
	{Name: "chromium-win-screen", Kind: KindScreen, Class: MustGlob("Chrome_WidgetWin_1"), Title: MustGlob("*is sharing your screen*")},
	// Linux X11 (verified with Chromium under Xvfb) and everywhere else.
	{Name: "chromium-screen", Kind: KindScreen, Title: MustGlob("* is sharing your screen*.")},
	{Name: "chromium-window", Kind: KindWindow, Title: MustGlob("* is sharing a window*.")},
	// Tab capture through this indicator exists in Chromium's strings, but a
	// getDisplayMedia tab share usually shows only the in-tab infobar
	// "Sharing this tab to <origin>", which is not a window of its own.
	{Name: "chromium-tab", Kind: KindTab, Title: MustGlob("* is sharing a * tab*.")},
	// Swedish (sv.pak of Chromium 156, read from Debian's chromium-l10n;
	// the screen and window forms seen on an X11 indicator here):
	// "$1 delar din skärm.", "$1 delar skärmen och ljudet.",
	// "$1 delar ett fönster.", "$1 delar ett fönster och ljud.",
	// "$1 delar en Chrome-flik.", "$1 delar ljud och en flik från Chrome.".
	{Name: "chromium-screen-sv", Kind: KindScreen, Title: MustGlob("* delar din skärm.")},
	{Name: "chromium-screen-audio-sv", Kind: KindScreen, Title: MustGlob("* delar skärmen och ljudet.")},
	{Name: "chromium-window-sv", Kind: KindWindow, Title: MustGlob("* delar ett fönster*.")},
	{Name: "chromium-tab-sv", Kind: KindTab, Title: MustGlob("* delar en *-flik.")},
	{Name: "chromium-tab-audio-sv", Kind: KindTab, Title: MustGlob("* delar ljud och en flik från *.")},

	// Firefox: "<brand> — Sharing Indicator" (older releases use " - ").
	// The indicator does not say what is shared, nor for which site.
	{Name: "firefox-indicator", App: AppFirefox, Kind: KindUnknown, Title: MustGlob("* — Sharing Indicator")},
	{Name: "firefox-indicator-hyphen", App: AppFirefox, Kind: KindUnknown, Title: MustGlob("* - Sharing Indicator")},
	// Swedish Firefox (sv-SE webrtcIndicator.ftl: "{ -brand-short-name } - Delningsindikator";
	// older releases with an em dash, as the English one had).
	{Name: "firefox-indicator-sv", App: AppFirefox, Kind: KindUnknown, Title: MustGlob("* - Delningsindikator")},
	{Name: "firefox-indicator-sv-emdash", App: AppFirefox, Kind: KindUnknown, Title: MustGlob("* — Delningsindikator")},

	// Zoom. The toolbar does not say whether a window or the screen is
	// shared, so the kind is unknown (treated as whole screen).
	{Name: "zoom-win-toolbar", App: AppZoom, Kind: KindUnknown, Class: MustGlob("ZPFloatToolbarClass"), Title: MustGlob("*Screen sharing*"), Process: MustGlob("Zoom")},
	{Name: "zoom-mac-toolbar", App: AppZoom, Kind: KindUnknown, Title: MustGlob("zoom share toolbar window"), Process: MustGlob("zoom.us")},
	{Name: "zoom-mac-statusbar", App: AppZoom, Kind: KindUnknown, Title: MustGlob("zoom share statusbar window"), Process: MustGlob("zoom.us")},
	// UNVERIFIED: "as_toolbar" is the share toolbar title on Linux according
	// to window-manager configs in public dotfiles; not seen on a machine of
	// ours. No process glob: the title is distinctive and Zoom's helper
	// processes vary between packages.
	{Name: "zoom-linux-toolbar", App: AppZoom, Kind: KindUnknown, Title: MustGlob("as_toolbar")},

	// Microsoft Teams. New Teams' share bar is a TeamsWebView window of
	// ms-teams whose title is translated per UI language ("Sharing control
	// bar | Microsoft Teams | Pinned window" in English; Czech, Portuguese
	// and Japanese forms are seen in public code; the Swedish one is not
	// known). Its structure is the same in every language: on top, toolbar
	// sized, and kept out of captures (GetWindowDisplayAffinity says
	// WDA_EXCLUDEFROMCAPTURE, per public code; UNVERIFIED on a real
	// machine here). The English title is kept as a second signal.
	{Name: "teams-share-bar", App: AppTeams, Kind: KindUnknown, Class: MustGlob("TeamsWebView"), Process: MustGlob("ms-teams"),
		Shape: Shape{OnTop: true, CaptureExcluded: true, MaxHeight: 240}},
	{Name: "teams-sharing-control-bar", App: AppTeams, Kind: KindUnknown, Class: MustGlob("TeamsWebView"), Title: MustGlob("*Sharing control bar*"), Process: MustGlob("ms-teams")},
	// Classic Teams (Windows "Teams.exe", macOS "Microsoft Teams"/"MSTeams").
	{Name: "teams-classic-toolbar", App: AppTeams, Kind: KindUnknown, Title: MustGlob("Screen sharing toolbar"), Process: MustGlob("*teams*")},

	// teams-for-linux (IsmaelMartinez/teams-for-linux): its preview window
	// is titled "Teams for Linux - Screen is being shared" during a share
	// and "… - Nothing is being shared" after, which must not match.
	{Name: "teams-for-linux-preview", App: AppTeams, Kind: KindUnknown, Title: MustGlob("Teams for Linux - Screen is being shared")},
	// Jitsi Meet desktop: @jitsi/electron-sdk's ScreenShareMainHook opens
	// "the always on top screen sharing tracker window" (530x40) while the
	// screen is shared; window-manager configs in public dotfiles match it
	// as title "Screen Sharing Tracker", class "jitsi-meet". UNVERIFIED on a
	// machine of ours.
	{Name: "jitsi-sharing-tracker", App: AppJitsi, Kind: KindUnknown, Title: MustGlob("Screen Sharing Tracker"), Shape: Shape{OnTop: true}},

	// Captures beyond meetings. Each counts only while a signal shows the
	// session is active (a grab in the command line, a connected viewer),
	// never because the program is installed or running. Process-only:
	// platforms that can watch for processes without windows report them
	// (see WatchedProcesses).
	//
	// ffmpeg grabbing the X screen with its x11grab input device
	// (ffmpeg-devices(1), "x11grab"); screen recorders such as Peek (its
	// ffmpeg backend) run it this way. Verified here with a real ffmpeg.
	{Name: "ffmpeg-x11grab", App: "ffmpeg", Kind: KindRecording, Process: MustGlob("ffmpeg"), Args: []Glob{MustGlob("x11grab")}},
	// A GStreamer pipeline with the X screen source (gst-plugins-good
	// "ximagesrc"), e.g. gst-launch-1.0 ximagesrc ! ... UNVERIFIED here.
	{Name: "gstreamer-ximagesrc", App: "GStreamer", Kind: KindRecording, Process: MustGlob("gst-launch-1.0"), Args: []Glob{MustGlob("ximagesrc*")}},
	// x11vnc serves the running X display (x11vnc(1)); a viewer is
	// connected when it has an established inbound connection. Verified
	// here with a real x11vnc and RFB client.
	{Name: "x11vnc-client", App: "x11vnc", Kind: KindRemote, Process: MustGlob("x11vnc"), NeedsClient: true},
	// TigerVNC's x0vncserver serves the running display too (x0vncserver(1)).
	// UNVERIFIED here.
	{Name: "x0vncserver-client", App: "TigerVNC", Kind: KindRemote, Process: MustGlob("x0vncserver"), NeedsClient: true},
	// RustDesk starts its connection manager, "rustdesk --cm", while a peer
	// is connected (rustdesk/rustdesk src/core_main.rs handles "--cm").
	// UNVERIFIED here.
	{Name: "rustdesk-cm", App: "RustDesk", Kind: KindRemote, Process: MustGlob("rustdesk"), Args: []Glob{MustGlob("--cm")}},
	// Chrome Remote Desktop's Linux host shows its disconnect window while
	// a client is connected (chromium remoting/host/linux
	// disconnect_window_gtk.cc): a GTK toplevel titled IDS_PRODUCT_NAME,
	// "Chrome Remote Desktop" ("Chromium Remote Desktop" in Chromium
	// builds), kept above, sticky, undecorated, type utility. On top is
	// required: the web client's own window can carry the same name. Tested
	// here with such a window, not with the real host: UNVERIFIED.
	{Name: "chrome-remote-desktop-host", App: "Chrome Remote Desktop", Kind: KindRemote, Title: MustGlob("Chrome Remote Desktop"), Shape: Shape{OnTop: true}},
	{Name: "chromium-remote-desktop-host", App: "Chrome Remote Desktop", Kind: KindRemote, Title: MustGlob("Chromium Remote Desktop"), Shape: Shape{OnTop: true}},
	// Windows. ShareX records the screen with an ffmpeg child,
	// "-f gdigrab -framerate N -offset_x X ... -i desktop" (ShareX
	// ScreenRecordingOptions.GetFFmpegArgs; ffmpeg-devices(1) "gdigrab");
	// "-i title=..." or "hwnd=..." grabs one window: not matched. Tested
	// under Wine with a process named ffmpeg.exe; the real ShareX
	// UNVERIFIED. ffmpeg's Desktop Duplication source ("-f lavfi -i
	// ddagrab=...", ffmpeg-filters(1)) grabs a whole output too.
	{Name: "ffmpeg-gdigrab", App: "ffmpeg", Kind: KindRecording, Process: MustGlob("ffmpeg"), Args: []Glob{MustGlob("gdigrab"), MustGlob("desktop")}},
	{Name: "ffmpeg-ddagrab", App: "ffmpeg", Kind: KindRecording, Process: MustGlob("ffmpeg"), Args: []Glob{MustGlob("ddagrab*")}},
	// TeamViewer shows its "TeamViewer Panel" (class TV_ControlWin) on the
	// controlled machine while a partner is connected (window-automation
	// scripts in public repositories match it by this class and title).
	// Any process: the full client and QuickSupport both show it.
	// UNVERIFIED on a real TeamViewer.
	{Name: "teamviewer-panel", App: "TeamViewer", Kind: KindRemote, Class: MustGlob("TV_ControlWin"), Title: MustGlob("TeamViewer Panel")},
	// The session itself (GetSystemMetrics, Microsoft Learn).
	// SM_REMOTECONTROL: someone else controls or shadows this session
	// (Remote Assistance, RDS shadowing): a capture. SM_REMOTESESSION alone
	// is not one: it means the user works through Remote Desktop or a VDI,
	// as many regions run their journals, and the picture goes only to the
	// user's own client; as a share it would hide journals all day.
	// Tested with a stand-in reader (Wine reports 0).
	{Name: "windows-remote-control", App: "Remote Assistance", Kind: KindRemote, Session: SessionRemoteControlled},
	// Quick Assist is not detected: public sources show a bar on the
	// helped machine during a session but no class or title for it, and
	// its process runs whether or not a session is on.

	// Recorders that give no sign of recording: only "running" is known,
	// which warns (recorder_running) while a protected window is open,
	// and is never a share. Process names from the programs' packages
	// (Debian: obs-studio /usr/bin/obs, simplescreenrecorder,
	// vokoscreen-ng /usr/bin/vokoscreenNG) and their Windows installs
	// (OBS: bin/64bit/obs64.exe); Loom, Snagit and Camtasia names are from
	// public forum and support posts: UNVERIFIED.
	{Name: "obs-studio", App: "OBS Studio", Recorder: true, Process: MustGlob("obs")},
	{Name: "obs-studio-win64", App: "OBS Studio", Recorder: true, Process: MustGlob("obs64")},
	{Name: "obs-studio-win32", App: "OBS Studio", Recorder: true, Process: MustGlob("obs32")},
	{Name: "simplescreenrecorder", App: "SimpleScreenRecorder", Recorder: true, Process: MustGlob("simplescreenrecorder")},
	{Name: "vokoscreen-ng", App: "vokoscreenNG", Recorder: true, Process: MustGlob("vokoscreenNG")},
	{Name: "loom", App: "Loom", Recorder: true, Process: MustGlob("Loom")},
	{Name: "snagit", App: "Snagit", Recorder: true, Process: MustGlob("Snagit32")},
	{Name: "snagit-capture", App: "Snagit", Recorder: true, Process: MustGlob("SnagitCapture")},
	{Name: "camtasia-recorder", App: "Camtasia", Recorder: true, Process: MustGlob("CamRecorder")},
	{Name: "camtasia-studio", App: "Camtasia", Recorder: true, Process: MustGlob("CamtasiaStudio")},
	{Name: "camtasia", App: "Camtasia", Recorder: true, Process: MustGlob("Camtasia")},

	// Meeting signatures: the app runs or is in a meeting; not a share.
	// Zoom's meeting windows only mean "in a meeting" (they exist whether or
	// not anything is shared).
	{Name: "zoom-meeting-content", App: AppZoom, Meeting: true, Class: MustGlob("ZPContentViewWndClass")},
	{Name: "zoom-meeting-tabs", App: AppZoom, Meeting: true, Class: MustGlob("ConfMultiTabContentWndClass")},
	{Name: "zoom-meeting-toolbar", App: AppZoom, Meeting: true, Class: MustGlob("ZPToolBarParentWndClass")},
	{Name: "slack-huddle", App: AppSlack, Meeting: true, Title: MustGlob("Huddle: * - Slack")},
	// Slack's Linux call window; a call, not a share. UNVERIFIED here.
	{Name: "slack-mini-panel", App: AppSlack, Meeting: true, Title: MustGlob("Slack | mini panel")},
	// Webex: no window or process tells a share from a meeting, so Webex is
	// only ever a meeting app here; its shares are not detected (a
	// whole-screen Webex share is only caught by other signals).
	{Name: "webex-collabhost", App: AppWebex, Meeting: true, Process: MustGlob("CiscoCollabHost")},
	{Name: "webex-mta", App: AppWebex, Meeting: true, Process: MustGlob("webexmta")},
	{Name: "webex-atmgr", App: AppWebex, Meeting: true, Process: MustGlob("atmgr")},
	{Name: "teams-process", App: AppTeams, Meeting: true, Process: MustGlob("ms-teams")},
	{Name: "teams-classic-process", App: AppTeams, Meeting: true, Process: MustGlob("Teams")},
	{Name: "teams-for-linux-process", App: AppTeams, Meeting: true, Process: MustGlob("teams-for-linux")},
	{Name: "teams-mac-process", App: AppTeams, Meeting: true, Process: MustGlob("MSTeams")},
	{Name: "teams-mac-classic-process", App: AppTeams, Meeting: true, Process: MustGlob("Microsoft Teams")},
	{Name: "zoom-process", App: AppZoom, Meeting: true, Process: MustGlob("Zoom")},
	{Name: "zoom-mac-process", App: AppZoom, Meeting: true, Process: MustGlob("zoom.us")},
	{Name: "slack-process", App: AppSlack, Meeting: true, Process: MustGlob("Slack")},
	{Name: "discord-process", App: AppDiscord, Meeting: true, Process: MustGlob("Discord")},
	// Skype was retired in May 2025; it is no longer listed.
}

// WatchedProcesses returns the process names that a platform must look
// for beyond the owners of windows: those of process-only signatures that
// are not meetings (captures such as ffmpeg or x11vnc run without a
// window, and recorders are known by their process). Only literal names
// are returned, lower-cased, each once.
func WatchedProcesses(sigs []Signature) []string {
	if sigs == nil {
		sigs = builtin
	}
	var out []string
	for i := range sigs {
		sg := &sigs[i]
		if sg.Meeting || sg.Title.IsSet() || sg.Class.IsSet() || !sg.Process.IsSet() {
			continue
		}
		name := strings.ToLower(sg.Process.src)
		if strings.ContainsAny(name, "*?[\\") || slices.Contains(out, name) {
			continue
		}
		out = append(out, name)
	}
	return out
}

// BuiltinSignatures returns a copy of the built-in signature table. The
// compiled globs are shared; they are immutable.
func BuiltinSignatures() []Signature {
	out := make([]Signature, len(builtin))
	copy(out, builtin)
	return out
}

// AppForOrigin names the meeting service behind a browser origin as shown
// in an indicator title ("meet.google.com", "https://x.zoom.us",
// "localhost:8080"). Unknown origins are returned as the host (with port).
func AppForOrigin(origin string) string {
	o := strings.TrimSpace(origin)
	if i := strings.Index(o, "://"); i >= 0 {
		o = o[i+3:]
	}
	if i := strings.IndexAny(o, "/?#"); i >= 0 {
		o = o[:i]
	}
	o = strings.ToLower(o)
	host := o
	if !strings.HasPrefix(host, "[") { // not an IPv6 literal
		if i := strings.LastIndexByte(host, ':'); i >= 0 {
			host = host[:i]
		}
	}
	host = strings.TrimSuffix(host, ".")
	switch {
	case host == "meet.google.com":
		return AppMeet
	case host == "teams.microsoft.com", host == "teams.live.com", host == "teams.cloud.microsoft",
		strings.HasSuffix(host, ".teams.microsoft.com"):
		return AppTeams
	case domainOf(host, "zoom.us"), domainOf(host, "zoom.com"), domainOf(host, "zoomgov.com"):
		return AppZoom
	case domainOf(host, "webex.com"):
		return AppWebex
	case domainOf(host, "whereby.com"):
		return AppWhereby
	}
	if o == "" {
		return strings.TrimSpace(origin)
	}
	return o
}

// domainOf reports whether host is domain or a subdomain of it.
func domainOf(host, domain string) bool {
	return host == domain || strings.HasSuffix(host, "."+domain)
}

// indicatorOrigin checks that a browser indicator title has exactly the
// shape "<origin> is sharing <what>." and returns the origin. lower is the
// lower-cased title. An origin with spaces (an extension's name rather than
// a host) is only believed for an always-on-top window, as the real
// indicator is; a page title can have any shape but is never on top.
func indicatorOrigin(title, lower string, onTop bool) (string, bool) {
	if strings.Contains(lower, " delar ") {
		if o, ok := indicatorOriginSv(title, lower, onTop); ok {
			return o, true
		}
	}
	const verb = " is sharing "
	i := strings.LastIndex(lower, verb)
	if i <= 0 || !strings.HasSuffix(lower, ".") {
		return "", false
	}
	what := lower[i+len(verb) : len(lower)-1]
	what = strings.TrimSuffix(what, " and audio")
	switch {
	case what == "your screen", what == "a window":
	case strings.HasPrefix(what, "a ") && strings.HasSuffix(what, " tab"):
		if !shortBrand(strings.TrimSuffix(strings.TrimPrefix(what, "a "), " tab")) {
			return "", false
		}
	default:
		return "", false
	}
	origin := originBefore(title, lower, i)
	if origin == "" {
		return "", false
	}
	if strings.ContainsAny(origin, " \t") && !onTop {
		return "", false
	}
	return origin, true
}

// indicatorOriginSv is indicatorOrigin for a Swedish-language browser:
// "<origin> delar <what>." with <what> one of Chromium's own Swedish forms.
// "delar" ("shares") is an everyday word, so a window that is not on top
// must also have a host-shaped origin (a dot, a colon or "localhost"): a
// page or document titled "Anna delar din skärm." is not an indicator.
func indicatorOriginSv(title, lower string, onTop bool) (string, bool) {
	const verb = " delar "
	i := strings.Index(lower, verb)
	if i <= 0 || !strings.HasSuffix(lower, ".") {
		return "", false
	}
	what := lower[i+len(verb) : len(lower)-1]
	switch {
	case what == "din skärm", what == "skärmen och ljudet",
		what == "ett fönster", what == "ett fönster och ljud":
	case strings.HasPrefix(what, "en ") && strings.HasSuffix(what, "-flik"):
		if !shortBrand(strings.TrimSuffix(strings.TrimPrefix(what, "en "), "-flik")) {
			return "", false
		}
	case strings.HasPrefix(what, "ljud och en flik från "):
		if !shortBrand(strings.TrimPrefix(what, "ljud och en flik från ")) {
			return "", false
		}
	default:
		return "", false
	}
	origin := originBefore(title, lower, i)
	if origin == "" {
		return "", false
	}
	if !onTop && (strings.ContainsAny(origin, " \t") || !hostShaped(origin)) {
		return "", false
	}
	return origin, true
}

// originBefore is the title's text before the verb at i, trimmed, in the
// title's own spelling when lower-casing kept the offsets.
func originBefore(title, lower string, i int) string {
	if len(lower) == len(title) {
		return strings.TrimSpace(title[:i])
	}
	return strings.TrimSpace(lower[:i])
}

// shortBrand is a browser's short name: "Chrome", "Brave", "Microsoft Edge".
func shortBrand(b string) bool {
	return b != "" && strings.Count(b, " ") <= 2 && !strings.ContainsAny(b, ".:/")
}

// hostShaped: "meet.google.com", "http://127.0.0.1:8080", "localhost".
func hostShaped(origin string) bool {
	o := strings.ToLower(origin)
	return strings.ContainsAny(o, ".:") || o == "localhost"
}
