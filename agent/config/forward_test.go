package config

import (
	"strings"
	"testing"
)

func TestAuditForward(t *testing.T) {
	if err := Check("u.toml", []byte("[audit]\nforward = \"splunk\"\n")); err == nil || !strings.Contains(err.Error(), "u.toml:2:11: audit.forward: invalid value") {
		t.Fatalf("bad forward: %v", err)
	}
	pol, err := Parse("p.toml", []byte("[audit]\nforward = \"journald\"\n"), LayerPolicy)
	if err != nil {
		t.Fatal(err)
	}
	usr, err := Parse("u.toml", []byte("[audit]\nforward = \"\"\n"), LayerUser)
	if err != nil {
		t.Fatal(err)
	}
	def, _ := Default()
	c, notes := Merge(def, pol, usr)
	if c.Audit.Forward != "journald" || len(notes) == 0 {
		t.Fatalf("policy forward not kept: %q, notes %v", c.Audit.Forward, notes)
	}
	c, _ = Merge(def, nil, usr)
	if c.Audit.Forward != "" {
		t.Fatalf("default forward = %q", c.Audit.Forward)
	}
}
