//go:build windows

package windows

import (
	"context"
	"errors"
	"fmt"

	"golang.org/x/sys/windows/registry"
)

// RestoreUser puts back, for the user running it, what the guard changed
// in their own settings, for `shareguard restore` (and the MSI's
// uninstall): the quiet-hours profile it switched (exactly, or left as the
// user changed it since, as at the end of a share), the toast switch older
// builds turned off, and then removes HKCU\Software\shareguard. It must
// not run while an agent of this user runs: the agent's record would go.
// The steps it took are returned in plain words.
func RestoreUser(ctx context.Context) ([]string, error) {
	return newDNDStore("", "").restoreUser(ctx)
}

func (s *dndStore) restoreUser(ctx context.Context) ([]string, error) {
	var did []string
	had, err := s.restoreLegacy() // the same put-back Open does
	if err != nil {
		return did, err
	}
	if had {
		did = append(did, "toast notifications put back as they were ("+toastsValue+")")
	}
	_, _, ok, err := s.readRecord()
	if err != nil {
		return did, err
	}
	if ok {
		select {
		case <-s.ready:
		default:
			s.probe(ctx) // only now: it asks the notification service
		}
		if _, err := s.set(ctx, false); err != nil {
			return did, fmt.Errorf("do-not-disturb: %w (its record stays in HKCU\\%s for the next try)", err, s.state)
		}
		did = append(did, "do-not-disturb put back as it was")
	}
	switch err := registry.DeleteKey(registry.CURRENT_USER, s.state); {
	case err == nil:
		did = append(did, `HKCU\`+s.state+" removed")
	case !errors.Is(err, registry.ErrNotExist):
		return did, fmt.Errorf(`remove HKCU\%s: %w`, s.state, err)
	}
	return did, nil
}
