package config

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// watchDebounce collects the burst of events an editor's save produces
// (write temp file, rename over, chmod) into one reload.
const watchDebounce = 150 * time.Millisecond

// Watch reloads the config when the user file or the machine policy
// changes, until ctx is done. It watches the files' directories, not the
// files, because editors save by renaming a new file over the old one; a
// directory that does not exist yet is noticed through its nearest
// existing parent. After each change onChange gets either the new config
// or the load error (then the caller should keep its last good config).
// A reload that yields the same config as the last one delivered is not
// reported. Watch does not report the initial state: load it with Load
// before or after starting Watch. ready, if not nil, is called once the
// watches are in place: from then on no change is missed.
func Watch(ctx context.Context, userPath, policyPath string, onChange func(*Config, error), ready func()) error {
	var targets []string
	for _, p := range []string{userPath, policyPath} {
		if p == "" {
			continue
		}
		abs, err := filepath.Abs(p)
		if err != nil {
			return fmt.Errorf("watch config %s: %w", p, err)
		}
		targets = append(targets, abs)
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watch config: %w", err)
	}
	defer w.Close()
	if err := syncWatches(w, targets); err != nil {
		return err
	}
	if ready != nil {
		ready()
	}

	timer := time.NewTimer(time.Hour)
	timer.Stop()
	var last []byte // rendering of the last config delivered; nil after an error
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			relevant, dirChange := classify(filepath.Clean(ev.Name), targets)
			if dirChange {
				// A directory on the way to a config file appeared or went
				// away: move the watches. Errors here are retried on the
				// next event; the reload below reports the file state.
				_ = syncWatches(w, targets)
			}
			if relevant || dirChange {
				timer.Reset(watchDebounce)
			}
		case <-w.Errors:
			// Typically an event-queue overflow: we may have missed a
			// change, so reload to be sure.
			timer.Reset(watchDebounce)
		case <-timer.C:
			_ = syncWatches(w, targets)
			cfg, err := Load(userPath, policyPath)
			if err != nil {
				last = nil
				onChange(nil, err)
				continue
			}
			out, rerr := cfg.TOML()
			if rerr == nil && last != nil && bytes.Equal(out, last) {
				continue
			}
			last = out
			onChange(cfg, nil)
		}
	}
}

// classify says whether an event is about one of the config files, or
// about a directory on the path to one (created, removed or renamed).
func classify(name string, targets []string) (relevant, dirChange bool) {
	for _, t := range targets {
		if name == t {
			relevant = true
		}
		if isAncestor(name, filepath.Dir(t)) {
			dirChange = true
		}
	}
	return relevant, dirChange
}

// isAncestor reports whether dir is path or one of its parents.
func isAncestor(dir, path string) bool {
	if dir == path {
		return true
	}
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != "." && !strings.HasPrefix(rel, "..") && !filepath.IsAbs(rel)
}

// syncWatches watches, for each target, its directory or the nearest
// existing parent of it, and drops watches no longer needed.
func syncWatches(w *fsnotify.Watcher, targets []string) error {
	want := map[string]bool{}
	for _, t := range targets {
		if d := nearestDir(filepath.Dir(t)); d != "" {
			want[d] = true
		}
	}
	have := map[string]bool{}
	for _, d := range w.WatchList() {
		have[d] = true
		if !want[d] {
			_ = w.Remove(d)
		}
	}
	for d := range want {
		if have[d] {
			continue
		}
		if err := w.Add(d); err != nil {
			return fmt.Errorf("watch config directory %s: %w", d, err)
		}
	}
	return nil
}

func nearestDir(dir string) string {
	for {
		if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}
