//go:build linux

package x11

import (
	"io"
	"log"
	"os"
	"testing"

	"github.com/jezek/xgb"
)

func TestMain(m *testing.M) {
	// xgb logs to stderr through a package-level logger (e.g. "Could not
	// get authority info" on Xvfb without cookies); it garbles benchmark
	// output. Test binary only: the product leaves it alone.
	xgb.Logger = log.New(io.Discard, "", 0)
	os.Exit(m.Run())
}
