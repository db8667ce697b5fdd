//go:build linux

package x11

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shareguard/shareguard/platform"
	"github.com/shareguard/shareguard/platform/x11/xtest"
)

// libexec finds a helper daemon under Debian's multiarch lib directory;
// when missing, the name given makes xtest.Need name the package.
func libexec(glob, pkg string) string {
	if m, _ := filepath.Glob(glob); len(m) > 0 {
		return m[0]
	}
	return pkg
}

// TestDoNotDisturbXFCE runs the real xfce4-notifyd (with its settings
// daemon, xfconfd) on the test bus: do-not-disturb is switched through
// xfconf, a notification sent meanwhile shows no popup, and the user's own
// setting is what comes back.
func TestDoNotDisturbXFCE(t *testing.T) {
	xfconfd := libexec("/usr/lib/*/xfce4/xfconf/xfconfd", "xfconfd")
	xfce4Notifyd := libexec("/usr/lib/*/xfce4/notifyd/xfce4-notifyd", "xfce4-notifyd")
	xtest.Need(t, xfconfd, xfce4Notifyd, "xfconf-query", "notify-send")
	xd := xtest.Start(t, xtest.WithoutNotifications())
	xd.Run(xfconfd)
	xd.Run(xfce4Notifyd)
	d := open(t, xd)
	ctx := ctxT(t, 30*time.Second)
	deadline := time.Now().Add(15 * time.Second)
	for {
		mech, _, err := d.detectDND(ctx)
		if err == nil && mech == dndXFCE {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("xfce4-notifyd never answered as XFCE: %v %v\n%s", mech, err, xd.Logs())
		}
		time.Sleep(100 * time.Millisecond)
	}
	query := func() string {
		out, err := xd.Command(ctx, "xfconf-query", "-c", "xfce4-notifyd", "-p", "/do-not-disturb").Output()
		if err != nil {
			return "(absent)"
		}
		return strings.TrimSpace(string(out))
	}
	if v := query(); v != "(absent)" {
		t.Fatalf("a fresh xfconf has /do-not-disturb = %q", v)
	}

	prev, err := d.SetDoNotDisturb(ctx, true)
	if err != nil || prev {
		t.Fatalf("SetDoNotDisturb(true) = %v, %v; want previous=false", prev, err)
	}
	if v := query(); v != "true" {
		t.Fatalf("xfconf /do-not-disturb = %q, want true", v)
	}
	if err := xd.NotifySend(ctx, "held back", "while do-not-disturb"); err != nil {
		t.Fatal(err)
	}
	// Give xfce4-notifyd ample time to (wrongly) show it.
	time.Sleep(700 * time.Millisecond)
	if pops := notificationIn(snapshot(t, d)); len(pops) != 0 {
		t.Fatalf("popups during do-not-disturb: %+v", pops)
	}
	prev, err = d.SetDoNotDisturb(ctx, false)
	if err != nil || !prev {
		t.Fatalf("SetDoNotDisturb(false) = %v, %v; want previous=true", prev, err)
	}
	if v := query(); v != "(absent)" {
		t.Fatalf("xfconf /do-not-disturb = %q after restore, want it absent as before", v)
	}
	// With do-not-disturb off, a notification shows as a popup: the check
	// above could see one.
	if err := xd.NotifySend(ctx, "shown", "after"); err != nil {
		t.Fatal(err)
	}
	waitSnapshot(t, d, 5*time.Second, "popup after do-not-disturb", func(s platform.Snapshot) bool {
		return len(notificationIn(s)) > 0
	})

	// A user's own explicit "off" is left as false, and their "on" is
	// reported as previous=true.
	if err := xd.Command(ctx, "xfconf-query", "-c", "xfce4-notifyd", "-p", "/do-not-disturb", "-n", "-t", "bool", "-s", "false").Run(); err != nil {
		t.Fatal(err)
	}
	if _, err := d.SetDoNotDisturb(ctx, true); err != nil {
		t.Fatal(err)
	}
	if _, err := d.SetDoNotDisturb(ctx, false); err != nil {
		t.Fatal(err)
	}
	if v := query(); v != "false" {
		t.Fatalf("xfconf /do-not-disturb = %q after restoring the user's false, want false", v)
	}
	if err := xd.Command(ctx, "xfconf-query", "-c", "xfce4-notifyd", "-p", "/do-not-disturb", "-s", "true").Run(); err != nil {
		t.Fatal(err)
	}
	if prev, err := d.SetDoNotDisturb(ctx, true); err != nil || !prev {
		t.Fatalf("SetDoNotDisturb(true) over the user's own = %v, %v; want previous=true", prev, err)
	}
}
