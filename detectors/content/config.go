// Package content finds identity numbers and classified-text markers in
// text recognised from the shared picture, with Purview-style confidence,
// and maps the hits back to the windows under them.
//
// It is pure: no OS calls, no OCR, no clock. It never keeps text: results
// carry rule names, confidences, rectangles and redacted matches only.
package content

import (
	"fmt"
	"strings"
	"time"

	"github.com/shareguard/shareguard/detectors"
)

// Confidence of a hit, after Microsoft Purview's "Sweden national ID":
// a number with a valid checksum alone is medium (75), with a keyword
// nearby high (85).
type Confidence int

const (
	ConfNone Confidence = iota
	Medium
	High
)

func (c Confidence) String() string {
	switch c {
	case Medium:
		return "medium"
	case High:
		return "high"
	}
	return "none"
}

// Rule names carried by hits (phrases use PhrasePrefix + the configured
// phrase, which is configuration, not screen text).
const (
	RulePersonnummer      = "personnummer"
	RuleSamordningsnummer = "samordningsnummer"
	PhrasePrefix          = "phrase:"
)

// Config is the [content] table. The agent's config package will carry it;
// Default gives the values used when a key is absent.
type Config struct {
	Enabled bool
	// Interval between frames while a whole-screen share runs.
	Interval time.Duration
	// Keywords raise a number to high confidence when one starts within
	// KeywordDistance characters of it (matched case-insensitively at the
	// start of a word, so "patienten" counts for "patient"); on screen the
	// distance is also read in line heights (Reach).
	Keywords        []string
	KeywordDistance int
	// Phrases mark classified text on their own ("Sekretess").
	Phrases          []string
	PhraseConfidence Confidence
	// MediumAction and HighAction say what a hit of that confidence asks
	// for; "" means record nothing.
	MediumAction detectors.Action
	HighAction   detectors.Action
}

// DefaultKeywords are Purview's Sweden national ID keywords plus the
// Swedish words health and social care use next to a number.
var DefaultKeywords = []string{
	"personnummer", "personnr", "pers.nr", "pnr", "p-nr",
	"samordningsnummer", "samordningsnr",
	"id-nummer", "id-nr", "id no", "id number", "identification number",
	"identity number", "identitetshandling", "personal id", "skatteidentifikationsnummer",
	"patient", "journal", "klient", "brukare", "vårdtagare", "född",
}

// DefaultPhrases are classified-text markers common in journal and case
// systems.
var DefaultPhrases = []string{
	"Sekretess", "Journalanteckning", "Skyddad identitet", "Skyddade personuppgifter",
}

// DefaultInterval between frames: a line typed into a shared window is
// read within about one interval. An unchanged 1080p frame costs about
// 9 ms (grab through MIT-SHM 5 ms, row hashes 3 ms), so 200 ms is about
// 4.5 % of one core before any text is read.
const DefaultInterval = 200 * time.Millisecond

// Default returns the built-in configuration.
func Default() Config {
	return Config{
		Enabled:          true,
		Interval:         DefaultInterval,
		Keywords:         append([]string(nil), DefaultKeywords...),
		KeywordDistance:  300,
		Phrases:          append([]string(nil), DefaultPhrases...),
		PhraseConfidence: High,
		MediumAction:     detectors.ActionWarn,
		HighAction:       detectors.ActionMinimize,
	}
}

// Validate reports the first bad value.
func (c Config) Validate() error {
	if c.Interval < 100*time.Millisecond {
		return fmt.Errorf("content: interval %v is below 100ms", c.Interval)
	}
	if c.KeywordDistance < 0 {
		return fmt.Errorf("content: keyword_distance %d is negative", c.KeywordDistance)
	}
	if c.PhraseConfidence != Medium && c.PhraseConfidence != High {
		return fmt.Errorf("content: phrase_confidence must be medium or high")
	}
	for _, a := range []detectors.Action{c.MediumAction, c.HighAction} {
		if a != "" && a != detectors.ActionWarn && a != detectors.ActionMinimize {
			return fmt.Errorf("content: action %q: want warn, minimize or off", a)
		}
	}
	for _, list := range [][]string{c.Keywords, c.Phrases} {
		for _, s := range list {
			if strings.TrimSpace(s) == "" {
				return fmt.Errorf("content: empty keyword or phrase")
			}
		}
	}
	return nil
}

// ActionFor returns what a hit of confidence c asks for ("" for nothing).
func (c Config) ActionFor(conf Confidence) detectors.Action {
	switch conf {
	case Medium:
		return c.MediumAction
	case High:
		return c.HighAction
	}
	return ""
}
