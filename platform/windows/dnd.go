//go:build windows

package windows

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/shareguard/shareguard/platform"
	"golang.org/x/sys/windows/registry"
)

const (
	// stateKey keeps the user's exact profile while ours is on, so it is
	// restored even from a later run after a crash (the agent's state file
	// has only a bool).
	stateKey    = `Software\shareguard`
	savedBefore = "QuietProfileBefore" // the user's profile we replaced
	savedSet    = "QuietProfileSet"    // the profile we put in its place

	// Builds before 2026-12 wrote the toast switch and kept its old value
	// here; a machine they left mid-share is put back once, at Open.
	notificationsKey = `Software\Microsoft\Windows\CurrentVersion\Notifications\Settings`
	toastsValue      = "NOC_GLOBAL_SETTING_TOASTS_ENABLED"
	legacySaved      = "ToastsEnabledBefore" // "absent" or the replaced DWORD in decimal
	legacyAbsent     = "absent"

	// settle is the wait before reading a change back: reads straight
	// after one can be stale, and changes close together can be lost
	// (public reports say 100-400 ms).
	settle = 300 * time.Millisecond
	// retryDown is how long "quiet hours cannot be switched" is believed
	// before asking again (the service may start late after login). A
	// call can hang for comTimeout (it does under Wine); the guard loop
	// must not wait that long at every share.
	retryDown = time.Minute
)

// Profiles to put in force, strictest first: AlarmsOnly also holds back
// the apps on the user's priority list (calls, reminders), which could
// show in the meeting; PriorityOnly is what Windows 11's switch selects.
var ourProfiles = []string{ProfileAlarms, ProfilePriority}

// activeLevel is the WNF value a profile reads back as.
var activeLevel = map[string]uint32{ProfileOff: 0, ProfilePriority: 1, ProfileAlarms: 2}

// dndStore switches the quiet-hours profile and keeps the record.
type dndStore struct {
	mu     sync.Mutex
	qh     quietHours
	key    string // the legacy toast switch's key
	state  string
	settle time.Duration
	ready  chan struct{} // closed once the first probe is done

	// Guarded by mu.
	downErr error // why quiet hours cannot be switched, from the last try
	downAt  time.Time
}

func newDNDStore(key, state string) *dndStore {
	if key == "" {
		key = notificationsKey
	}
	if state == "" {
		state = stateKey
	}
	return &dndStore{qh: comQuietHours{}, key: key, state: state, settle: settle, ready: make(chan struct{})}
}

// probe asks the service once; until it answers, callers wait for it
// rather than start a second slow call.
func (s *dndStore) probe(ctx context.Context) {
	defer close(s.ready)
	_, err := s.qh.Profile(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.noteLocked(err)
}

// noteLocked remembers whether the service answered.
func (s *dndStore) noteLocked(err error) {
	if err != nil {
		s.downErr, s.downAt = fmt.Errorf("quiet hours (QuietHoursSettings): %w", err), time.Now()
	} else {
		s.downErr = nil
	}
}

// availableLocked is the remembered failure while it is recent.
func (s *dndStore) availableLocked() error {
	if s.downErr != nil && time.Since(s.downAt) < retryDown {
		return s.downErr
	}
	return nil
}

// wait waits for the first probe.
func (s *dndStore) wait(ctx context.Context) error {
	select {
	case <-s.ready:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// profile reads the user's profile, failing fast while the service is
// known to be missing.
func (s *dndStore) profileLocked(ctx context.Context) (string, error) {
	if err := s.availableLocked(); err != nil {
		return "", err
	}
	p, err := s.qh.Profile(ctx)
	s.noteLocked(err)
	if err != nil {
		return "", s.downErr
	}
	return p, nil
}

// SetDoNotDisturb puts a quiet-hours profile in force (on=true) or the
// user's own back, and returns whether do-not-disturb was on before. It
// succeeds only when the change reads back. When the user already had a
// profile on, nothing is changed or recorded; a profile the user changed
// during the share is left as they set it.
func (d *Desktop) SetDoNotDisturb(ctx context.Context, on bool) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, fmt.Errorf("windows: do-not-disturb: %w", err)
	}
	prev, err := d.dnd.set(ctx, on)
	if err != nil {
		return prev, fmt.Errorf("windows: do-not-disturb: %w", err)
	}
	return prev, nil
}

// DoNotDisturb reports whether a quiet-hours profile is selected now.
func (d *Desktop) DoNotDisturb(ctx context.Context) (bool, error) {
	if err := d.dnd.wait(ctx); err != nil {
		return false, fmt.Errorf("windows: do-not-disturb: %w", err)
	}
	d.dnd.mu.Lock()
	p, err := d.dnd.profileLocked(ctx)
	d.dnd.mu.Unlock()
	if err != nil {
		return false, fmt.Errorf("windows: do-not-disturb: %w", err)
	}
	return p != ProfileOff, nil
}

func (s *dndStore) set(ctx context.Context, on bool) (bool, error) {
	if err := s.wait(ctx); err != nil {
		return false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, err := s.profileLocked(ctx)
	if err != nil {
		return false, err
	}
	prev := cur != ProfileOff
	if on {
		if prev {
			return true, nil // the user's own do-not-disturb is on already
		}
		return false, s.turnOn(ctx, cur)
	}
	before, ours, ok, err := s.readRecord()
	if err != nil || !ok {
		return prev, err
	}
	if cur == ours {
		if err := s.qh.SetProfile(ctx, before); err != nil {
			return prev, err // the record stays for the next try
		}
		if err := s.verify(ctx, before, false); err != nil {
			return prev, err
		}
	}
	// else the user chose another profile during the share: theirs stays.
	return prev, s.clearRecord()
}

// turnOn tries our profiles in order and keeps the first that reads back.
func (s *dndStore) turnOn(ctx context.Context, user string) error {
	var errs []error
	for _, p := range ourProfiles {
		if err := s.writeRecord(user, p); err != nil {
			return err // nothing changed yet
		}
		if err := s.qh.SetProfile(ctx, p); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", p, err))
			continue
		}
		err := s.verify(ctx, p, true)
		if err == nil {
			return nil
		}
		errs = append(errs, err)
	}
	// Nothing took: put the user's back as it was.
	if err := s.qh.SetProfile(ctx, user); err != nil {
		errs = append(errs, fmt.Errorf("putting %s back: %w", user, err))
		return errors.Join(errs...) // the record stays: restore is retried
	}
	errs = append(errs, s.clearRecord())
	return errors.Join(errs...)
}

// verify waits for the change to settle and reads it back: the selected
// profile, and when on, the level in force (where the system publishes
// it). The level is not checked when turning off: automatic rules (a
// duplicated display, a full-screen app) can hold one on meanwhile.
func (s *dndStore) verify(ctx context.Context, want string, on bool) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(s.settle):
	}
	got, err := s.qh.Profile(ctx)
	if err != nil {
		return fmt.Errorf("reading %s back: %w", want, err)
	}
	if got != want {
		return fmt.Errorf("%s did not take (reads %s)", want, got)
	}
	if !on {
		return nil
	}
	if lvl, err := s.qh.Active(ctx); err == nil && lvl < activeLevel[want] {
		return fmt.Errorf("%s selected but level %d in force", want, lvl)
	}
	return nil
}

func (s *dndStore) writeRecord(before, ours string) error {
	k, _, err := registry.CreateKey(registry.CURRENT_USER, s.state, registry.SET_VALUE)
	if err != nil {
		return fmt.Errorf(`open HKCU\%s: %w`, s.state, err)
	}
	defer k.Close()
	if err := k.SetStringValue(savedBefore, before); err != nil {
		return fmt.Errorf("record the user's profile: %w", err)
	}
	if err := k.SetStringValue(savedSet, ours); err != nil {
		return fmt.Errorf("record our profile: %w", err)
	}
	return nil
}

func (s *dndStore) readRecord() (before, ours string, ok bool, err error) {
	k, err := registry.OpenKey(registry.CURRENT_USER, s.state, registry.QUERY_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return "", "", false, nil
	}
	if err != nil {
		return "", "", false, fmt.Errorf(`open HKCU\%s: %w`, s.state, err)
	}
	defer k.Close()
	before, _, err = k.GetStringValue(savedBefore)
	if errors.Is(err, registry.ErrNotExist) {
		return "", "", false, nil
	}
	if err != nil {
		return "", "", false, fmt.Errorf("read the user's profile: %w", err)
	}
	ours, _, err = k.GetStringValue(savedSet)
	if err != nil && !errors.Is(err, registry.ErrNotExist) {
		return "", "", false, fmt.Errorf("read our profile: %w", err)
	}
	return before, ours, true, nil
}

func (s *dndStore) clearRecord() error {
	k, err := registry.OpenKey(registry.CURRENT_USER, s.state, registry.SET_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf(`open HKCU\%s: %w`, s.state, err)
	}
	defer k.Close()
	for _, v := range []string{savedBefore, savedSet} {
		if err := k.DeleteValue(v); err != nil && !errors.Is(err, registry.ErrNotExist) {
			return fmt.Errorf("clear the recorded profile: %w", err)
		}
	}
	return nil
}

// restoreLegacy puts back the toast switch an older build turned off and
// recorded, exactly (including "there was no value"). It reports whether
// there was such a record.
func (s *dndStore) restoreLegacy() (bool, error) {
	st, err := registry.OpenKey(registry.CURRENT_USER, s.state, registry.QUERY_VALUE|registry.SET_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf(`open HKCU\%s: %w`, s.state, err)
	}
	defer st.Close()
	rec, _, err := st.GetStringValue(legacySaved)
	if errors.Is(err, registry.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return true, fmt.Errorf("read the old toast record: %w", err)
	}
	k, _, err := registry.CreateKey(registry.CURRENT_USER, s.key, registry.SET_VALUE)
	if err != nil {
		return true, fmt.Errorf(`open HKCU\%s: %w`, s.key, err)
	}
	defer k.Close()
	if rec == legacyAbsent {
		err = k.DeleteValue(toastsValue)
		if errors.Is(err, registry.ErrNotExist) {
			err = nil
		}
	} else {
		n, perr := strconv.ParseUint(rec, 10, 32)
		if perr != nil || n == 0 {
			n = 1 // a damaged record: toasts on is what was asked
		}
		err = k.SetDWordValue(toastsValue, uint32(n))
	}
	if err != nil {
		return true, fmt.Errorf("restore %s: %w", toastsValue, err)
	}
	if err := st.DeleteValue(legacySaved); err != nil && !errors.Is(err, registry.ErrNotExist) {
		return true, fmt.Errorf("clear the old toast record: %w", err)
	}
	return true, nil
}

// capability says how do-not-disturb works here, or why it cannot. It
// waits for the first probe (at most comTimeout).
func (s *dndStore) capability() platform.Capability {
	<-s.ready
	s.mu.Lock()
	defer s.mu.Unlock()
	c := platform.Capability{Name: "do_not_disturb"}
	if s.downErr != nil {
		c.Detail = s.downErr.Error() + ": unavailable; notifications are not held back"
		return c
	}
	c.Available = true
	c.Detail = "quiet-hours profile (Focus assist / Do not disturb) switched to AlarmsOnly, else PriorityOnly, and read back; the user's own profile restored exactly"
	return c
}
