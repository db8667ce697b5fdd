// Package assets holds files embedded into the shareguard binary.
package assets

import _ "embed"

// DefaultConfig is the commented default configuration: the base layer of
// every effective config, printed by `shareguard config default` and copied
// as a starting user file by the tray's "open settings".
//
//go:embed default.toml
var DefaultConfig []byte
