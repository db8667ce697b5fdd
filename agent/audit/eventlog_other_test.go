//go:build !windows

package audit

import (
	"strings"
	"testing"
)

func TestDialEventLogNotHere(t *testing.T) {
	f, err := DialEventLog("")
	if f != nil || err == nil || !strings.Contains(err.Error(), "only on Windows") {
		t.Fatalf("DialEventLog off Windows: %v, %v", f, err)
	}
}
