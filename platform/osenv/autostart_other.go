//go:build !linux && !windows && !darwin

package osenv

import (
	"fmt"
	"runtime"

	"github.com/shareguard/shareguard/platform"
)

func (a *Autostart) Where() string { return runtime.GOOS }

func (a *Autostart) Set(bool) error {
	return fmt.Errorf("start at login on %s: %w", runtime.GOOS, platform.ErrUnsupported)
}

func (a *Autostart) Enabled() (bool, error) { return false, nil }

// Managed: no machine-wide autostart here.
func (a *Autostart) Managed() bool { return false }
