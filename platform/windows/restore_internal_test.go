//go:build windows

package windows

import (
	"context"
	"strings"
	"testing"

	"golang.org/x/sys/windows/registry"
)

func keyExists(path string) bool {
	k, err := registry.OpenKey(registry.CURRENT_USER, path, registry.QUERY_VALUE)
	if err == nil {
		k.Close()
	}
	return err == nil
}

// A share's do-not-disturb left on (a killed agent): restore puts the
// user's exact profile back and removes the guard's key.
func TestRestoreUserQuietHours(t *testing.T) {
	ctx := context.Background()
	f := &fakeQuiet{profile: ProfileAlarms} // ours, as the killed agent left it
	s := testStore(t, f)
	if err := s.writeRecord(ProfilePriority, ProfileAlarms); err != nil { // the user had PriorityOnly
		t.Fatal(err)
	}
	did, err := s.restoreUser(ctx)
	if err != nil {
		t.Fatalf("restore: %v (did %q)", err, did)
	}
	if f.profile != ProfilePriority {
		t.Errorf("profile %s, want the user's %s", f.profile, ProfilePriority)
	}
	if keyExists(s.state) {
		t.Errorf(`HKCU\%s left`, s.state)
	}
	if !strings.Contains(strings.Join(did, "\n"), "do-not-disturb put back") {
		t.Errorf("did %q", did)
	}
}

// The toast switch an older build turned off comes back exactly, and a
// quiet-hours service that is not there (Wine) does not matter when there
// is no quiet-hours record.
func TestRestoreUserLegacyToasts(t *testing.T) {
	f := &fakeQuiet{down: true}
	s := testStore(t, f)
	k, _, err := registry.CreateKey(registry.CURRENT_USER, s.key, registry.SET_VALUE)
	if err != nil {
		t.Fatal(err)
	}
	k.SetDWordValue(toastsValue, 0)
	k.Close()
	st, _, err := registry.CreateKey(registry.CURRENT_USER, s.state, registry.SET_VALUE)
	if err != nil {
		t.Fatal(err)
	}
	st.SetStringValue(legacySaved, "1")
	st.Close()
	if _, err := s.restoreUser(context.Background()); err != nil {
		t.Fatal(err)
	}
	k, err = registry.OpenKey(registry.CURRENT_USER, s.key, registry.QUERY_VALUE)
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	if v, _, err := k.GetIntegerValue(toastsValue); err != nil || v != 1 {
		t.Errorf("toasts %d (%v), want 1", v, err)
	}
	if keyExists(s.state) {
		t.Errorf(`HKCU\%s left`, s.state)
	}
}

// A quiet-hours record that cannot be put back (the service is down) is
// kept for the next try, and restore says so.
func TestRestoreUserKeepsRecordOnFailure(t *testing.T) {
	f := &fakeQuiet{down: true}
	s := testStore(t, f)
	if err := s.writeRecord(ProfileOff, ProfileAlarms); err != nil {
		t.Fatal(err)
	}
	_, err := s.restoreUser(context.Background())
	if err == nil || !strings.Contains(err.Error(), "record stays") {
		t.Fatalf("err %v", err)
	}
	if _, _, ok, err := s.readRecord(); !ok || err != nil {
		t.Errorf("record gone (ok %v err %v)", ok, err)
	}
}
