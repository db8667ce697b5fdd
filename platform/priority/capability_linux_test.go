package priority

import (
	"fmt"

	"github.com/shareguard/shareguard/platform"
)

// Capability says whether the guard's threads run raised, as the tests read it.
func (b *Booster) Capability() platform.Capability {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.raised == 0 {
		return unavailable(b.why)
	}
	return platform.Capability{Name: CapabilityName, Available: true,
		Detail: fmt.Sprintf("rtkit: nice %d on %d threads", b.target, b.raised)}
}
