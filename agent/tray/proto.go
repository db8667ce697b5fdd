package tray

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// HostCommand is the hidden subcommand that runs the tray icon process:
// `shareguard tray-host`. The guard starts it and talks to it over its
// standard input (views, one JSON object a line) and output (clicks).
const HostCommand = "tray-host"

// lineTag marks the host's protocol lines on its standard output, so
// anything a toolkit prints there is told apart and ignored.
const lineTag = "SGTRAY "

// hostMsg is one line from the host.
type hostMsg struct {
	Ready bool  `json:"ready,omitempty"`
	Click Click `json:"click,omitempty"`
}

func encodeMsg(m hostMsg) []byte {
	b, _ := json.Marshal(m) // two plain fields: cannot fail
	return append(append([]byte(lineTag), b...), '\n')
}

// decodeMsg parses a host line; ok is false for lines that are not ours.
func decodeMsg(line []byte) (hostMsg, bool, error) {
	rest, found := bytes.CutPrefix(line, []byte(lineTag))
	if !found {
		return hostMsg{}, false, nil
	}
	var m hostMsg
	if err := json.Unmarshal(rest, &m); err != nil {
		return hostMsg{}, true, fmt.Errorf("tray host: bad line: %w", err)
	}
	return m, true, nil
}

func encodeView(v View) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("tray: encode view: %w", err)
	}
	return append(b, '\n'), nil
}
