package agent

import (
	"context"
	"time"

	"github.com/shareguard/shareguard/agent/config"
	"github.com/shareguard/shareguard/assets"
	"github.com/shareguard/shareguard/platform"
)

// bannerTime is how long the banner stays up.
const bannerTime = 5 * time.Second

// showBanner tells the user during a share that the guard stepped in,
// where do-not-disturb holds the alert itself back (see
// config.AlertDuringShare).
func (a *Agent) showBanner(ctx context.Context, key string) {
	cfg, _ := a.current()
	b, ok := a.desk.(platform.Bannerer)
	if !ok || a.session == nil || cfg.AlertDuringShare != config.AlertGeneric {
		return
	}
	if err := b.Banner(ctx, a.strings().T(key), bannerTime); err != nil {
		a.log.Debug("banner not shown", "err", err)
	}
}

// bannerFor asks for a banner in this evaluation: "hid" wins over "warn",
// and both over the whole-screen advice.
func (a *Agent) bannerFor(key string) {
	if a.batch != nil && (a.batch.banner == "" || key == "banner.hid" || a.batch.banner == "banner.whole_screen") {
		a.batch.banner = key
	}
}

// notify shows an alert, after the current evaluation's actions.
func (a *Agent) notify(ctx context.Context, al platform.Alert) {
	if a.batch != nil {
		a.batch.alerts = append(a.batch.alerts, al)
		return
	}
	a.send(ctx, al)
}

func (a *Agent) send(ctx context.Context, al platform.Alert) {
	if err := a.desk.Notify(ctx, al); err != nil {
		a.log.Debug("alert not shown", "err", err)
	}
}

// appName is the application an alert names: never a window title; "the
// shared screen" when a content hit lies under no window.
func appName(str *assets.Strings, p Planned) string {
	if p.App == "" {
		return str.T("alert.app.screen")
	}
	return p.App
}
