//go:build soak

package agent

import (
	"os"
	"testing"
	"time"
)

// TestSoak is the long churn, built only with -tags soak (`make soak`):
// an hour, or SHAREGUARD_SOAK.
func TestSoak(t *testing.T) {
	dur := time.Hour
	if v := os.Getenv("SHAREGUARD_SOAK"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("SHAREGUARD_SOAK: %v", err)
		}
		dur = d
	}
	churn(t, dur)
}
