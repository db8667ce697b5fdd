package config

import (
	"slices"
	"strings"
	"testing"

	"github.com/shareguard/shareguard/agent/audit"
)

func TestAuditForward(t *testing.T) {
	if err := Check("u.toml", []byte("[audit]\nforward = \"splunk\"\n")); err == nil || !strings.Contains(err.Error(), "u.toml:2:11: audit.forward: invalid value") {
		t.Fatalf("bad forward: %v", err)
	}
	here := audit.Forwards()[0]
	pol, err := Parse("p.toml", []byte("[audit]\nforward = \""+here+"\"\n"), LayerPolicy)
	if err != nil {
		t.Fatal(err)
	}
	usr, err := Parse("u.toml", []byte("[audit]\nforward = \"\"\n"), LayerUser)
	if err != nil {
		t.Fatal(err)
	}
	def, _ := Default()
	c, notes := Merge(def, pol, usr)
	if c.Audit.Forward != here || len(notes) == 0 {
		t.Fatalf("policy forward not kept: %q, notes %v", c.Audit.Forward, notes)
	}
	c, _ = Merge(def, nil, usr)
	if c.Audit.Forward != "" {
		t.Fatalf("default forward = %q", c.Audit.Forward)
	}
}

// A forward this OS does not have is refused where it is written, not
// accepted and then silently dropped at run time.
func TestAuditForwardThisOSLacks(t *testing.T) {
	for _, f := range []string{"syslog", "journald", "eventlog"} {
		if slices.Contains(audit.Forwards(), f) {
			continue
		}
		err := Check("p.toml", []byte("[audit]\nforward = \""+f+"\"\n"))
		if err == nil || !strings.Contains(err.Error(), "p.toml:2:11: audit.forward: \""+f+"\" does not exist on") {
			t.Errorf("forward %q: %v", f, err)
		}
	}
}
