package agent

import (
	"errors"
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

type recordingForwarder struct{ nclose, nfwd atomic.Int32 }

// Forward counts rejected-config events only: the agent's other events
// may arrive meanwhile.
func (f *recordingForwarder) Forward(e audit.Event) error {
	if e.Event == audit.ConfigRejected {
		f.nfwd.Add(1)
	}
	return nil
}
func (f *recordingForwarder) forwarded() int { return int(f.nfwd.Load()) }
func (f *recordingForwarder) Close() error   { f.nclose.Add(1); return nil }
func (f *recordingForwarder) closed() int    { return int(f.nclose.Load()) }

// A rejected config reaches the system log even with no forwarder set (it
// may be the policy that names the forward), and only once when one is.
func TestRejectedConfigReachesTheSystemLog(t *testing.T) {
	d := fake.New()
	h := start(t, testConfig(config.ModeBlock), d)
	sys := &recordingForwarder{}
	h.agent.systemLog = func() (audit.Forwarder, error) { return sys, nil }
	h.agent.audit.SetForwarder(nil)
	h.agent.Rejected(errors.New("policy.toml:3:1: bad"))
	if sys.forwarded() != 1 || sys.closed() != 1 {
		t.Fatalf("system log got %d events (closed %d), want 1", sys.forwarded(), sys.closed())
	}
	fwd := &recordingForwarder{}
	h.agent.audit.SetForwarder(fwd)
	h.agent.Rejected(errors.New("policy.toml:3:1: bad"))
	if sys.forwarded() != 1 || fwd.forwarded() != 1 {
		t.Errorf("with a forwarder set: system log %d, forwarder %d; want 1 and 1", sys.forwarded(), fwd.forwarded())
	}
}
