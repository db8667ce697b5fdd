// Command timeline merges what .ci/wine-timeline recorded (the leak
// meter's appearances, frames and WinEvents, the guard's steps, and the X
// server's maps and pixel from .ci/xmaps) into one line per appearance:
// milliseconds from the ShowWindow call to each step. Then the medians.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
)

type app struct {
	Restore bool    `json:"restore"`
	T0      int64   `json:"t0"`
	Hwnd    uint64  `json:"hwnd"`
	XWin    uint64  `json:"xwin"`
	TShow   int64   `json:"t_show"`
	TShown  int64   `json:"t_shown"`
	TIconic int64   `json:"t_iconic"`
	Iconic  float64 `json:"iconic_ms"`
}

type record struct {
	Apps   []app `json:"apps"`
	Frames []struct {
		T      int64 `json:"t"`
		Marker int   `json:"m"`
		Black  int   `json:"black"`
	} `json:"frames"`
	Hooks []struct {
		T     int64  `json:"t"`
		Event uint32 `json:"e"`
		Hwnd  uint64 `json:"h"`
	} `json:"hooks"`
}

type step struct {
	T      int64  `json:"t"`
	What   string `json:"what"`
	Kind   int    `json:"kind"`
	Window uint64 `json:"w"`
	EvT    int64  `json:"ev_t"`
	Failed bool   `json:"failed"`
}

type xrec struct {
	T   int64  `json:"t"`
	Ev  string `json:"ev"`
	Win uint32 `json:"win"`
	OR  bool   `json:"or"`
	RGB string `json:"rgb"`
}

var eventNames = map[uint32]string{
	0x3: "FOREGROUND", 0x16: "MINSTART", 0x17: "MINEND", 0x8000: "CREATE", 0x8001: "DESTROY",
	0x8002: "SHOW", 0x8003: "HIDE", 0x800B: "LOCATION", 0x800C: "NAME", 0x8017: "CLOAKED", 0x8018: "UNCLOAKED",
	0x8004: "REORDER", 0x8005: "FOCUS", 0x800A: "STATE", 0xA: "MOVESIZESTART", 0xB: "MOVESIZEEND",
}

func evName(e uint32) string {
	if n, ok := eventNames[e]; ok {
		return n
	}
	return fmt.Sprintf("%#x", e)
}

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: timeline METER.json GUARD.json XMAPS.jsonl")
		os.Exit(2)
	}
	var rec record
	load(os.Args[1], &rec)
	var steps []step
	if os.Args[2] != "-" {
		load(os.Args[2], &steps)
	}
	var xs []xrec
	f, err := os.Open(os.Args[3])
	check(err)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var r xrec
		if json.Unmarshal(sc.Bytes(), &r) == nil {
			xs = append(xs, r)
		}
	}
	apps := rec.Apps
	sort.Slice(apps, func(i, j int) bool { return apps[i].T0 < apps[j].T0 })
	cols := []string{"xmap", "magenta", "hook", "agent_ev", "snapshot", "decide", "cover_map", "covered", "unmap", "iconic", "min_done"}
	med := map[string]map[bool][]float64{}
	for _, c := range cols {
		med[c] = map[bool][]float64{}
	}
	fmt.Println("ms from the ShowWindow call; '-' = not seen. hooks: WinEvents for the window; leaks: meter frames showing the marker")
	fmt.Printf("%-3s %-7s %s  %s\n", "#", "kind", strings.Join(pad(cols), " "), "hooks | leaks")
	for i, a := range apps {
		end := int64(1) << 62
		if i+1 < len(apps) {
			end = apps[i+1].T0
		}
		in := func(t int64) bool { return t >= a.T0 && t < end }
		ms := func(t int64) float64 { return float64(t-a.TShow) / 1e6 }
		v := map[string]float64{}
		set := func(k string, t int64) {
			if _, ok := v[k]; !ok && t != 0 {
				v[k] = ms(t)
			}
		}
		var cover uint32
		for _, x := range xs {
			if !in(x.T) {
				continue
			}
			switch {
			case x.Ev == "map" && uint64(x.Win) == a.XWin:
				set("xmap", x.T)
			case x.Ev == "unmap" && uint64(x.Win) == a.XWin:
				set("unmap", x.T)
			case x.Ev == "map" && uint64(x.Win) != a.XWin && cover == 0:
				cover = x.Win
				set("cover_map", x.T)
			case x.Ev == "pixel" && x.RGB == "ff00ff":
				set("magenta", x.T)
			case x.Ev == "pixel" && x.RGB == "000000":
				set("covered", x.T)
			}
		}
		var hooks []string
		for _, h := range rec.Hooks {
			if in(h.T) && h.Hwnd == a.Hwnd {
				hooks = append(hooks, fmt.Sprintf("%s@%.1f", evName(h.Event), ms(h.T)))
				set("hook", h.T)
			}
		}
		for _, s := range steps {
			if !in(s.T) {
				continue
			}
			switch s.What {
			case "event":
				set("agent_ev", s.T)
			case "snapshot":
				if _, ok := v["decide"]; !ok {
					v["snapshot"] = ms(s.T) // the last one before the decision
				}
			case "minimize":
				if s.Window == a.Hwnd {
					set("decide", s.T)
				}
			case "minimize_done":
				if s.Window == a.Hwnd {
					set("min_done", s.T)
				}
			}
		}
		set("iconic", a.TIconic)
		var leaks []string
		for _, fr := range rec.Frames {
			if in(fr.T) && fr.Marker >= 16 {
				leaks = append(leaks, fmt.Sprintf("%.1f", ms(fr.T)))
			}
		}
		kind := "new"
		if a.Restore {
			kind = "restore"
		}
		var cells []string
		for _, c := range cols {
			if x, ok := v[c]; ok {
				cells = append(cells, fmt.Sprintf("%9.1f", x))
				med[c][a.Restore] = append(med[c][a.Restore], x)
			} else {
				cells = append(cells, fmt.Sprintf("%9s", "-"))
			}
		}
		fmt.Printf("%-3d %-7s %s  %s | %s\n", i, kind, strings.Join(cells, " "), strings.Join(hooks, " "), strings.Join(leaks, " "))
	}
	for _, r := range []bool{false, true} {
		kind := "new"
		if r {
			kind = "restore"
		}
		var cells []string
		for _, c := range cols {
			xs := med[c][r]
			if len(xs) == 0 {
				cells = append(cells, fmt.Sprintf("%9s", "-"))
				continue
			}
			sort.Float64s(xs)
			cells = append(cells, fmt.Sprintf("%9.1f", xs[len(xs)/2]))
		}
		fmt.Printf("p50 %-7s %s\n", kind, strings.Join(cells, " "))
	}
}

func pad(cs []string) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = fmt.Sprintf("%9s", c)
	}
	return out
}

func load(path string, v any) {
	data, err := os.ReadFile(path)
	check(err)
	check(json.Unmarshal(data, v))
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "timeline:", err)
		os.Exit(1)
	}
}
