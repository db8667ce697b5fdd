//go:build !linux && !windows && !darwin

package main

import (
	"fmt"
	"runtime"

	"github.com/shareguard/shareguard/platform"
)

func (a *autostart) where() string { return runtime.GOOS }

func (a *autostart) Set(bool) error {
	return fmt.Errorf("start at login on %s: %w", runtime.GOOS, platform.ErrUnsupported)
}

func (a *autostart) Enabled() (bool, error) { return false, nil }
