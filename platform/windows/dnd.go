//go:build windows

package windows

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"

	"golang.org/x/sys/windows/registry"
)

const (
	// notificationsKey holds the per-user switch for all toasts;
	// toastsValue = 0 turns them off, 1 or no value means on.
	notificationsKey = `Software\Microsoft\Windows\CurrentVersion\Notifications\Settings`
	toastsValue      = "NOC_GLOBAL_SETTING_TOASTS_ENABLED"
	// stateKey keeps the exact value we replaced, so turning toasts back
	// on restores it, even from a later run after a crash. The agent's
	// state file only has a bool; "no value at all" needs this record.
	stateKey    = `Software\shareguard`
	savedValue  = "ToastsEnabledBefore" // "absent" or the replaced DWORD in decimal
	savedAbsent = "absent"
)

// dndStore switches toasts through the registry.
type dndStore struct {
	mu    sync.Mutex
	key   string
	state string
}

func newDNDStore(key, state string) dndStore {
	if key == "" {
		key = notificationsKey
	}
	if state == "" {
		state = stateKey
	}
	return dndStore{key: key, state: state}
}

// SetDoNotDisturb turns toasts off (on=true) or back on, and returns
// whether do-not-disturb was on before. Turning it on records the exact
// value it replaces (including "there was no value"); turning it off puts
// that back, or writes 1 when no record exists. When the user already had
// toasts off, nothing is changed or recorded, so their own setting stays.
func (d *Desktop) SetDoNotDisturb(ctx context.Context, on bool) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, fmt.Errorf("windows: do-not-disturb: %w", err)
	}
	prev, err := d.dnd.set(on)
	if err != nil {
		return prev, fmt.Errorf("windows: do-not-disturb: %w", err)
	}
	return prev, nil
}

// DoNotDisturb reports whether toasts are off now, without changing it.
func (d *Desktop) DoNotDisturb(ctx context.Context) (bool, error) {
	k, err := registry.OpenKey(registry.CURRENT_USER, d.dnd.key, registry.QUERY_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf(`windows: do-not-disturb: open HKCU\%s: %w`, d.dnd.key, err)
	}
	defer k.Close()
	v, _, err := k.GetIntegerValue(toastsValue)
	if errors.Is(err, registry.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("windows: do-not-disturb: read %s: %w", toastsValue, err)
	}
	return v == 0, nil
}

func (s *dndStore) set(on bool) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, _, err := registry.CreateKey(registry.CURRENT_USER, s.key, registry.QUERY_VALUE|registry.SET_VALUE)
	if err != nil {
		return false, fmt.Errorf(`open HKCU\%s: %w`, s.key, err)
	}
	defer k.Close()
	v, _, err := k.GetIntegerValue(toastsValue)
	exists := err == nil
	if err != nil && !errors.Is(err, registry.ErrNotExist) {
		return false, fmt.Errorf("read %s: %w", toastsValue, err)
	}
	prev := exists && v == 0
	if on == prev {
		if !on {
			// Toasts are on already: any record is stale (the user
			// switched them back on); drop it.
			if err := s.clearRecord(); err != nil {
				return prev, err
			}
		}
		return prev, nil
	}
	if on {
		rec := savedAbsent
		if exists {
			rec = strconv.FormatUint(v, 10)
		}
		if err := s.writeRecord(rec); err != nil {
			return prev, err // nothing changed yet
		}
		if err := k.SetDWordValue(toastsValue, 0); err != nil {
			return prev, fmt.Errorf("write %s: %w", toastsValue, err)
		}
		return prev, nil
	}
	rec, ok, err := s.readRecord()
	if err != nil {
		return prev, err
	}
	switch {
	case ok && rec == savedAbsent:
		if err := k.DeleteValue(toastsValue); err != nil && !errors.Is(err, registry.ErrNotExist) {
			return prev, fmt.Errorf("delete %s: %w", toastsValue, err)
		}
	case ok:
		n, perr := strconv.ParseUint(rec, 10, 32)
		if perr != nil || n == 0 {
			n = 1 // a damaged record: toasts on is what was asked
		}
		if err := k.SetDWordValue(toastsValue, uint32(n)); err != nil {
			return prev, fmt.Errorf("write %s: %w", toastsValue, err)
		}
	default:
		if err := k.SetDWordValue(toastsValue, 1); err != nil {
			return prev, fmt.Errorf("write %s: %w", toastsValue, err)
		}
	}
	return prev, s.clearRecord()
}

func (s *dndStore) writeRecord(rec string) error {
	k, _, err := registry.CreateKey(registry.CURRENT_USER, s.state, registry.SET_VALUE)
	if err != nil {
		return fmt.Errorf(`open HKCU\%s: %w`, s.state, err)
	}
	defer k.Close()
	if err := k.SetStringValue(savedValue, rec); err != nil {
		return fmt.Errorf("record previous toast setting: %w", err)
	}
	return nil
}

func (s *dndStore) readRecord() (string, bool, error) {
	k, err := registry.OpenKey(registry.CURRENT_USER, s.state, registry.QUERY_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf(`open HKCU\%s: %w`, s.state, err)
	}
	defer k.Close()
	rec, _, err := k.GetStringValue(savedValue)
	if errors.Is(err, registry.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("read the previous toast setting: %w", err)
	}
	return rec, true, nil
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
	if err := k.DeleteValue(savedValue); err != nil && !errors.Is(err, registry.ErrNotExist) {
		return fmt.Errorf("clear the previous toast setting: %w", err)
	}
	return nil
}
