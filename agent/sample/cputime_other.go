//go:build !unix

package sample

import "time"

// processCPU is not measured here; the sampler falls back to wall time.
func processCPU() (time.Duration, bool) { return 0, false }
