package assets

import (
	"embed"
	"fmt"
)

//go:generate go run ./icons/gen -out icons

//go:embed icons/*.png icons/*.ico
var iconFS embed.FS

// Icon names, one per tray state.
const (
	IconGuarding  = "guarding"
	IconSharing   = "sharing"
	IconSteppedIn = "steppedin"
	IconPaused    = "paused"
	IconError     = "error"
)

// IconNames lists every tray icon.
var IconNames = []string{IconGuarding, IconSharing, IconSteppedIn, IconPaused, IconError}

// Icon returns the embedded icon name in format "png" or "ico". The bytes
// live in the binary's read-only data and must not be modified (the Linux
// tray hands them to C without copying).
func Icon(name, format string) ([]byte, error) {
	b, err := iconFS.ReadFile("icons/" + name + "." + format)
	if err != nil {
		return nil, fmt.Errorf("tray icon %s.%s: %w", name, format, err)
	}
	return b, nil
}
