package tray

import (
	"fmt"

	"github.com/jezek/xgb"
)

// displayProblem says why GTK could not open a display, or "". It must be
// asked before GTK is, because gtk_init exits the process when it cannot.
func displayProblem(getenv func(string) string) string {
	d := getenv("DISPLAY")
	if d == "" {
		if getenv("WAYLAND_DISPLAY") != "" {
			return ""
		}
		return "no display (DISPLAY is not set)"
	}
	c, err := xgb.NewConnDisplay(d)
	if err != nil {
		return fmt.Sprintf("cannot connect to display %s: %v", d, err)
	}
	c.Close()
	return ""
}
