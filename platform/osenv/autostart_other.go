//go:build !linux && !windows && !darwin

package osenv

import (
	"fmt"
	"runtime"

	"github.com/shareguard/shareguard/platform"
)

func (a *Autostart) Where() string { return runtime.GOOS }

func (a *Autostart) userSet(bool) error {
	return fmt.Errorf("start at login on %s: %w", runtime.GOOS, platform.ErrUnsupported)
}

func (a *Autostart) userEnabled() (bool, error) { return false, nil }

// managed: no machine-wide autostart here.
func (a *Autostart) managed() bool { return false }

func (a *Autostart) removeOwn() (bool, error) { return false, nil }
