package assets

import "testing"

func TestPickLanguage(t *testing.T) {
	for _, c := range []struct{ configured, locale, want string }{
		{"", "", "sv"}, // unknown: Swedish, the users' language
		{"", "sv_SE.UTF-8", "sv"},
		{"", "sv_FI", "sv"},
		{"", "SV-se", "sv"},
		{"", "en_GB.UTF-8", "en"},
		{"", "C", "en"},
		{"", "de_DE", "en"},
		{"en", "sv_SE", "en"},
		{"sv", "en_US", "sv"},
	} {
		if got := PickLanguage(c.configured, c.locale); got != c.want {
			t.Errorf("PickLanguage(%q, %q) = %q, want %q", c.configured, c.locale, got, c.want)
		}
	}
}
