package assets

import (
	"embed"
	"encoding/json"
	"fmt"
	"strings"
)

//go:embed i18n/*.json
var i18nFS embed.FS

// Languages the UI is translated into; the first is the default.
var Languages = []string{"sv", "en"}

// Strings holds the user-visible texts of one language.
type Strings struct {
	Lang string
	m    map[string]string
}

// LoadStrings returns the texts for lang ("sv" or "en").
func LoadStrings(lang string) (*Strings, error) {
	data, err := i18nFS.ReadFile("i18n/" + lang + ".json")
	if err != nil {
		return nil, fmt.Errorf("no UI strings for language %q", lang)
	}
	m := map[string]string{}
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("UI strings %s: %w", lang, err)
	}
	return &Strings{Lang: lang, m: m}, nil
}

// MustStrings is LoadStrings for the embedded languages, which tests cover.
func MustStrings(lang string) *Strings {
	s, err := LoadStrings(lang)
	if err != nil {
		panic(err)
	}
	return s
}

// T returns the text for key with {name} placeholders filled from pairs
// ("rule", r, "app", a). A missing key returns the key itself so a gap shows
// without crashing.
func (s *Strings) T(key string, pairs ...string) string {
	v, ok := s.m[key]
	if !ok {
		return key
	}
	if len(pairs) == 0 {
		return v
	}
	old := make([]string, 0, len(pairs))
	for i := 0; i+1 < len(pairs); i += 2 {
		old = append(old, "{"+pairs[i]+"}", pairs[i+1])
	}
	return strings.NewReplacer(old...).Replace(v)
}

// Keys lists the keys of the language, for tests that compare languages.
func (s *Strings) Keys() []string {
	keys := make([]string, 0, len(s.m))
	for k := range s.m {
		keys = append(keys, k)
	}
	return keys
}

// PickLanguage chooses the UI language: the configured one if set, else
// Swedish when the user's locale (host.Locale: LANG and kin, or the
// Windows UI language) is Swedish, English when it is anything else, and
// Swedish when it is unknown. Alerts and tray both ask here.
func PickLanguage(configured, locale string) string {
	switch {
	case configured != "":
		return configured
	case locale == "":
		return "sv"
	case strings.HasPrefix(strings.ToLower(locale), "sv"):
		return "sv"
	}
	return "en"
}
