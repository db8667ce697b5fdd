//go:build unix

package osenv

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// CheckPolicyTrust refuses a machine policy that the user could have
// written: the file and its directory must belong to root and must not be
// writable by group or others. Otherwise a user could weaken the policy by
// editing or replacing it.
func CheckPolicyTrust(path string) error {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return fmt.Errorf("cannot resolve: %w", err)
	}
	for _, p := range []string{real, filepath.Dir(real)} {
		fi, err := os.Stat(p)
		if err != nil {
			return err
		}
		st, ok := fi.Sys().(*syscall.Stat_t)
		if !ok {
			continue
		}
		if st.Uid != 0 {
			return fmt.Errorf("%s is owned by uid %d, not root: a policy that a user can change is refused", p, st.Uid)
		}
		if fi.Mode().Perm()&0o022 != 0 {
			return fmt.Errorf("%s is writable by group or others (mode %v): a policy that a user can change is refused", p, fi.Mode().Perm())
		}
	}
	return nil
}
