//go:build !linux

package capture

import "fmt"

// Open reports that this platform has no grabber yet.
func Open(display string) (Grabber, error) {
	return nil, fmt.Errorf("capture: %w", ErrUnsupported)
}
