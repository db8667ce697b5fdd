package sample_test

import (
	"context"
	"errors"
	"image"
	"log/slog"
	"time"

	"github.com/shareguard/shareguard/agent/sample"
	"github.com/shareguard/shareguard/detectors"
	"github.com/shareguard/shareguard/detectors/content"
	"github.com/shareguard/shareguard/platform"
	"github.com/shareguard/shareguard/platform/ocr"
)

// The agent's sampling goroutine, as the guard loop would run it: sample
// only while a whole-screen share runs, wait Next() between frames, hand
// findings to the loop (which owns act and the session), Reset when the
// share ends. desk, sharing and out are the agent's.
func Example_agentLoop() {
	var (
		ctx     = context.Background()
		desk    platform.Desktop                          // the agent's desktop
		sharing = func() []detectors.Share { return nil } // the loop's current shares
		out     = make(chan []detectors.Finding, 1)       // read by the guard loop
		log     = slog.Default()
	)
	cfg := content.Default() // from the [content] table
	s, err := sample.New(cfg, sample.Options{})
	if errors.Is(err, ocr.ErrUnavailable) {
		log.Warn("content scanning unavailable", "why", err) // check/tray say so too
		return
	}
	if err != nil {
		log.Warn("content scanning off", "err", err)
		return
	}
	defer s.Close()
	active := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(s.Next()):
		}
		if !content.ShouldSample(sharing()) {
			if active {
				s.Reset() // drop hashes and hits between shares (s.Release later drops the engine)
				active = false
			}
			continue
		}
		active = true
		hits, err := s.Sample(ctx, image.Rectangle{})
		if err != nil {
			log.Warn("sampling failed", "err", err) // never carries text
			continue
		}
		snap, err := desk.Snapshot(ctx)
		if err != nil {
			continue
		}
		select {
		case out <- content.Locate(hits, &snap, cfg):
		default: // the loop is busy; the next frame repeats the hits
		}
	}
}
