package osenv

import (
	"os"
	"testing"
)

// With no locale variable (normal on Windows) the UI language answers.
func TestLocaleFallsBackToUILanguage(t *testing.T) {
	for _, v := range localeVars {
		t.Setenv(v, "")
		os.Unsetenv(v)
	}
	loc := Locale(os.Getenv)
	if loc == "" || len(loc) < 2 {
		t.Fatalf("Locale = %q, want the UI language", loc)
	}
	t.Logf("UI language: %s", loc)
	t.Setenv("LANG", "sv_SE.UTF-8")
	if got := Locale(os.Getenv); got != "sv_SE.UTF-8" {
		t.Errorf("with LANG set: %q", got)
	}
}
