package config

import (
	"strings"
	"testing"
	"time"

	"github.com/shareguard/shareguard/detectors"
)

func TestContentTable(t *testing.T) {
	if err := Check("u.toml", []byte("[content]\nhigh = \"block\"\n")); err == nil || !strings.Contains(err.Error(), "u.toml:2:8: content.high: invalid value") {
		t.Fatalf("bad action: %v", err)
	}
	if err := Check("u.toml", []byte("[content]\nintervall = \"1s\"\n")); err == nil || !strings.Contains(err.Error(), "u.toml:2:1:") {
		t.Fatalf("unknown key: %v", err)
	}
	def, _ := Default()
	pol, err := Parse("p.toml", []byte("[content]\nenabled = true\nmedium = \"minimize\"\nphrases = [\"Konfidentiellt\"]\ninterval = \"2s\"\n"), LayerPolicy)
	if err != nil {
		t.Fatal(err)
	}
	usr, err := Parse("u.toml", []byte("[content]\nenabled = false\nmedium = \"off\"\nhigh = \"warn\"\nkeywords = [\"diagnos\"]\ninterval = \"100ms\"\n"), LayerUser)
	if err != nil {
		t.Fatal(err)
	}
	c, notes := Merge(def, pol, usr)
	if !c.Content.Enabled || c.Content.Medium != detectors.ActionMinimize || c.Content.Interval != 2*time.Second {
		t.Errorf("policy weakened: %+v", c.Content)
	}
	// No policy for "high": the user's own choice applies.
	if c.Content.High != detectors.ActionWarn {
		t.Errorf("high = %q, want the user's warn", c.Content.High)
	}
	if len(notes) < 3 {
		t.Errorf("notes = %v", notes)
	}
	cc := c.ContentConfig()
	has := func(list []string, s string) bool {
		for _, v := range list {
			if v == s {
				return true
			}
		}
		return false
	}
	if !has(cc.Keywords, "diagnos") || !has(cc.Keywords, "personnummer") || !has(cc.Phrases, "Konfidentiellt") || !has(cc.Phrases, "Sekretess") {
		t.Errorf("lists not added up: %v / %v", cc.Keywords, cc.Phrases)
	}
	if err := cc.Validate(); err != nil {
		t.Error(err)
	}
	// Round trip through config show.
	out, err := c.TOML()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "[content]") || !strings.Contains(string(out), `medium = "minimize"`) {
		t.Errorf("render:\n%s", out)
	}
	if err := Check("show.toml", out); err != nil {
		t.Errorf("rendered config does not check: %v", err)
	}
}
