package config

import (
	"strings"
	"time"

	"github.com/shareguard/shareguard/detectors"
	"github.com/shareguard/shareguard/detectors/content"
)

// FileContent is the [content] table of one layer: scanning the shared
// picture for identity numbers and classified text.
type FileContent struct {
	Enabled  *bool
	Interval *time.Duration
	Keywords []string // added to the built-in keywords
	Phrases  []string // added to the built-in phrases
	Medium   *detectors.Action
	High     *detectors.Action
}

// Content is the effective [content] setting. An empty action means "off".
type Content struct {
	Enabled  bool
	Interval time.Duration
	Keywords []string
	Phrases  []string
	Medium   detectors.Action
	High     detectors.Action
}

var contentKeys = []string{"enabled", "interval", "keywords", "phrases", "medium", "high"}

func (p *parser) content(path []string, v any) {
	t := p.table(path, v)
	c := &p.f.Content
	for _, k := range sortedKeys(t) {
		kp := sub(path, k)
		switch k {
		case "enabled":
			c.Enabled = p.boolean(kp, t[k])
		case "interval":
			c.Interval = p.duration(kp, t[k], MinReconcileInterval, MaxReconcileInterval)
		case "keywords", "phrases":
			list, ok := p.strings(kp, t[k])
			if !ok {
				continue
			}
			for _, s := range list {
				if strings.TrimSpace(s) == "" {
					p.atVal(kp, "%s: empty entry", dotted(kp))
				}
			}
			if k == "keywords" {
				c.Keywords = list
			} else {
				c.Phrases = list
			}
		case "medium", "high":
			s := p.enum(kp, t[k], "off", "warn", "minimize")
			if s == nil {
				continue
			}
			a := detectors.Action(*s)
			if *s == "off" {
				a = ""
			}
			if k == "medium" {
				c.Medium = &a
			} else {
				c.High = &a
			}
		default:
			p.unknown(kp, contentKeys)
		}
	}
}

// content merges [content]: the policy's enabled = true and its actions
// cannot be weakened, lists add up, the policy's interval wins.
func (m *merger) content(def, pol, usr *File) Content {
	d := content.Default()
	c := Content{Enabled: d.Enabled, Interval: d.Interval, Medium: d.MediumAction, High: d.HighAction}
	c.Enabled = layered(m, "content.enabled", c.Enabled, def.Content.Enabled, pol.Content.Enabled, usr.Content.Enabled, isTrue, showBool)
	c.Interval = layered(m, "content.interval", c.Interval, def.Content.Interval, pol.Content.Interval, usr.Content.Interval, nil, showDuration)
	c.Medium = layered(m, "content.medium", c.Medium, def.Content.Medium, pol.Content.Medium, usr.Content.Medium, isMinimize, showOff)
	c.High = layered(m, "content.high", c.High, def.Content.High, pol.Content.High, usr.Content.High, isMinimize, showOff)
	for _, f := range []*File{def, pol, usr} {
		c.Keywords = appendNew(c.Keywords, f.Content.Keywords)
		c.Phrases = appendNew(c.Phrases, f.Content.Phrases)
	}
	return c
}

func showOff(a detectors.Action) string {
	if a == "" {
		return `"off"`
	}
	return showQuoted(a)
}

func appendNew(list, add []string) []string {
	for _, s := range add {
		dup := false
		for _, have := range list {
			if strings.EqualFold(have, s) {
				dup = true
				break
			}
		}
		if !dup {
			list = append(list, s)
		}
	}
	return list
}

// ContentConfig is the detector configuration: the built-in keywords and
// phrases plus the configured ones.
func (c *Config) ContentConfig() content.Config {
	cc := content.Default()
	cc.Enabled = c.Content.Enabled
	cc.Interval = c.Content.Interval
	cc.Keywords = appendNew(cc.Keywords, c.Content.Keywords)
	cc.Phrases = appendNew(cc.Phrases, c.Content.Phrases)
	cc.MediumAction, cc.HighAction = c.Content.Medium, c.Content.High
	return cc
}

type contentTOML struct {
	Enabled  bool     `toml:"enabled"`
	Interval string   `toml:"interval"`
	Keywords []string `toml:"keywords"`
	Phrases  []string `toml:"phrases"`
	Medium   string   `toml:"medium"`
	High     string   `toml:"high"`
}

func renderContent(c Content) contentTOML {
	off := func(a detectors.Action) string {
		if a == "" {
			return "off"
		}
		return string(a)
	}
	return contentTOML{
		Enabled: c.Enabled, Interval: fmtDuration(c.Interval),
		Keywords: append([]string{}, c.Keywords...), Phrases: append([]string{}, c.Phrases...),
		Medium: off(c.Medium), High: off(c.High),
	}
}
