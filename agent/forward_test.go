package agent

import (
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/shareguard/shareguard/agent/audit"
	"github.com/shareguard/shareguard/agent/config"
	"github.com/shareguard/shareguard/platform/fake"
)

// [audit] forward is applied again on every reload: a forwarder that
// cannot open is said once in the audit (events stay in the file), and a
// config without forward closes the one in force.
func TestForwardFollowsReloads(t *testing.T) {
	d := fake.New()
	h := start(t, testConfig(config.ModeBlock), d)
	h.agent.audit.SetForwarder(nil)
	fwd := &recordingForwarder{}
	// A forward that cannot open here (another OS's, or no daemon's socket
	// on this machine): the attempt fails and is recorded.
	missing := ""
	for _, f := range []string{"syslog", "journald", "eventlog"} {
		if _, err := audit.Dial(f); err != nil {
			missing = f
			break
		}
	}
	if missing == "" {
		t.Fatal("every forward opens here; the test needs one that does not")
	}
	cfg := testConfig(config.ModeBlock)
	cfg.Audit.Forward = missing
	h.agent.Reload(cfg)
	waitFor(t, "forward error", func() bool {
		return slices.ContainsFunc(h.events(), func(e map[string]any) bool {
			d, _ := e["detail"].(string)
			return e["event"] == "error" && strings.HasPrefix(d, "audit forward "+missing+": ")
		})
	})
	// Back to no forward: the forwarder set meanwhile is closed, once.
	h.agent.audit.SetForwarder(fwd)
	h.agent.Reload(testConfig(config.ModeBlock))
	waitFor(t, "forwarder closed", func() bool { return fwd.closed() == 1 })
}

type recordingForwarder struct{ nclose atomic.Int32 }

func (f *recordingForwarder) Forward(audit.Event) error { return nil }
func (f *recordingForwarder) Close() error              { f.nclose.Add(1); return nil }
func (f *recordingForwarder) closed() int               { return int(f.nclose.Load()) }
