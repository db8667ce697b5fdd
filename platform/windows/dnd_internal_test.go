//go:build windows

package windows

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"golang.org/x/sys/windows/registry"
)

// fakeQuiet stands in for the notification service.
type fakeQuiet struct {
	mu      sync.Mutex
	profile string
	refuse  map[string]bool // SetProfile fails
	ignore  map[string]bool // SetProfile "succeeds" but nothing changes
	level   *uint32         // the level in force; nil: follows the profile
	down    bool            // the service is not there (Wine)
	sets    []string
}

func (f *fakeQuiet) Profile(context.Context) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		return "", errors.New("QuietHoursSettings not available (CoCreateInstance 0x80040154)")
	}
	return f.profile, nil
}

func (f *fakeQuiet) SetProfile(_ context.Context, p string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		return errors.New("QuietHoursSettings not available")
	}
	f.sets = append(f.sets, p)
	if f.refuse[p] {
		return errors.New("put_UserSelectedProfile 0x80070057")
	}
	if !f.ignore[p] {
		f.profile = p
	}
	return nil
}

func (f *fakeQuiet) Active(context.Context) (uint32, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.level != nil {
		return *f.level, nil
	}
	return activeLevel[f.profile], nil
}

func testStore(t *testing.T, f *fakeQuiet) *dndStore {
	t.Helper()
	base := `Software\shareguard-test\` + t.Name()
	t.Cleanup(func() {
		registry.DeleteKey(registry.CURRENT_USER, base+`\state`)
		registry.DeleteKey(registry.CURRENT_USER, base+`\Settings`)
		registry.DeleteKey(registry.CURRENT_USER, base)
	})
	s := newDNDStore(base+`\Settings`, base+`\state`)
	s.qh, s.settle = f, 0
	s.probe(context.Background())
	return s
}

func TestQuietHoursOnAndBackExactly(t *testing.T) {
	ctx := context.Background()
	f := &fakeQuiet{profile: ProfileOff}
	s := testStore(t, f)
	prev, err := s.set(ctx, true)
	if err != nil || prev {
		t.Fatalf("on: prev %v err %v", prev, err)
	}
	if f.profile != ProfileAlarms {
		t.Fatalf("profile during the share %q, want %q", f.profile, ProfileAlarms)
	}
	// A later run (after a crash) restores from the record alone.
	s2 := testStore(t, f)
	if _, err := s2.set(ctx, false); err != nil {
		t.Fatal(err)
	}
	if f.profile != ProfileOff {
		t.Errorf("after: %q, want the user's %q", f.profile, ProfileOff)
	}
	if _, _, ok, _ := s.readRecord(); ok {
		t.Error("record left after the restore")
	}
}

func TestQuietHoursUserAlreadyOn(t *testing.T) {
	ctx := context.Background()
	f := &fakeQuiet{profile: ProfilePriority}
	s := testStore(t, f)
	if prev, err := s.set(ctx, true); err != nil || !prev {
		t.Fatalf("on: prev %v err %v; want true", prev, err)
	}
	if _, err := s.set(ctx, false); err != nil {
		t.Fatal(err)
	}
	if f.profile != ProfilePriority || len(f.sets) != 0 {
		t.Errorf("the user's own profile was touched: %q, sets %v", f.profile, f.sets)
	}
}

func TestQuietHoursUserChangesDuringShare(t *testing.T) {
	ctx := context.Background()
	f := &fakeQuiet{profile: ProfileOff}
	s := testStore(t, f)
	if _, err := s.set(ctx, true); err != nil {
		t.Fatal(err)
	}
	f.profile = ProfilePriority // the user picks their own during the share
	if _, err := s.set(ctx, false); err != nil {
		t.Fatal(err)
	}
	if f.profile != ProfilePriority {
		t.Errorf("the user's choice during the share was overwritten: %q", f.profile)
	}
	if _, _, ok, _ := s.readRecord(); ok {
		t.Error("record left")
	}
}

// AlarmsOnly that is refused, or selected but not in force, falls back to
// PriorityOnly, which must read back too.
func TestQuietHoursFallsBackToPriority(t *testing.T) {
	ctx := context.Background()
	one := uint32(1)
	for name, f := range map[string]*fakeQuiet{
		"refused":       {profile: ProfileOff, refuse: map[string]bool{ProfileAlarms: true}},
		"does not take": {profile: ProfileOff, ignore: map[string]bool{ProfileAlarms: true}},
		"not in force":  {profile: ProfileOff, level: &one},
	} {
		t.Run(name, func(t *testing.T) {
			s := testStore(t, f)
			if _, err := s.set(ctx, true); err != nil {
				t.Fatal(err)
			}
			if f.profile != ProfilePriority {
				t.Errorf("profile %q, want %q", f.profile, ProfilePriority)
			}
			if _, err := s.set(ctx, false); err != nil || f.profile != ProfileOff {
				t.Errorf("restore: %q, %v", f.profile, err)
			}
		})
	}
}

// Nothing takes: an error that says so, and the user's profile as it was.
func TestQuietHoursNothingTakes(t *testing.T) {
	ctx := context.Background()
	f := &fakeQuiet{profile: ProfileOff, ignore: map[string]bool{ProfileAlarms: true, ProfilePriority: true}}
	s := testStore(t, f)
	if _, err := s.set(ctx, true); err == nil || !strings.Contains(err.Error(), "did not take") {
		t.Fatalf("on: %v; want an error saying it did not take", err)
	}
	if f.profile != ProfileOff {
		t.Errorf("profile %q after a failed switch", f.profile)
	}
	if _, _, ok, _ := s.readRecord(); ok {
		t.Error("record left after a failed switch")
	}
}

func TestQuietHoursUnavailable(t *testing.T) {
	f := &fakeQuiet{down: true}
	s := testStore(t, f)
	if _, err := s.set(context.Background(), true); err == nil || !strings.Contains(err.Error(), "not available") {
		t.Fatalf("on: %v; want the reason", err)
	}
	if c := s.capability(); c.Available || !strings.Contains(c.Detail, "not held back") {
		t.Errorf("capability %+v", c)
	}
	// Known missing: later calls fail at once, without asking again.
	f.sets = nil
	f.down = false
	if _, err := s.set(context.Background(), true); err == nil || len(f.sets) != 0 {
		t.Errorf("retried at once: %v, sets %v", err, f.sets)
	}
}
