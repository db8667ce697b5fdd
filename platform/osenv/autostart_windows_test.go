//go:build windows

package osenv

import (
	"errors"
	"testing"

	"golang.org/x/sys/windows/registry"
)

// restore's part: the value named shareguard goes from HKCU Run; the
// other programs' values stay. The user's values are put back after.
func TestAutostartRemoveOwnWindows(t *testing.T) {
	k, _, err := registry.CreateKey(registry.CURRENT_USER, runKey, registry.QUERY_VALUE|registry.SET_VALUE)
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	for _, name := range []string{"shareguard", "shareguard-test-other"} {
		old, _, err := k.GetStringValue(name)
		if err == nil {
			t.Cleanup(func() { k.SetStringValue(name, old) })
		} else {
			t.Cleanup(func() { k.DeleteValue(name) })
		}
	}
	k.SetStringValue("shareguard", `"C:\gone\shareguard.exe" run`)
	k.SetStringValue("shareguard-test-other", `"C:\other.exe"`)
	a := &Autostart{exe: `C:\x\shareguard.exe`}
	if had, err := a.RemoveOwn(); !had || err != nil {
		t.Fatalf("had=%v err=%v", had, err)
	}
	if _, _, err := k.GetStringValue("shareguard"); !errors.Is(err, registry.ErrNotExist) {
		t.Errorf("shareguard value still there: %v", err)
	}
	if v, _, err := k.GetStringValue("shareguard-test-other"); err != nil || v != `"C:\other.exe"` {
		t.Errorf("other value: %q %v", v, err)
	}
	if had, err := a.RemoveOwn(); had || err != nil {
		t.Errorf("second time: had=%v err=%v", had, err)
	}
}
