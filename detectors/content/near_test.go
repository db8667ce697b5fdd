package content

import (
	"image"
	"testing"
)

func TestReach(t *testing.T) {
	for _, c := range []struct {
		r        image.Rectangle
		distance int
		want     image.Rectangle
	}{
		// The default: 25 line heights across, 5 up and down.
		{image.Rect(1000, 500, 1100, 514), 300, image.Rect(650, 430, 1450, 584)},
		{image.Rect(1000, 500, 1100, 520), 300, image.Rect(500, 400, 1600, 620)},
		// A box lower than 8 px counts as 8 px.
		{image.Rect(1000, 500, 1100, 504), 300, image.Rect(800, 460, 1300, 544)},
		{image.Rect(1000, 500, 1100, 514), 60, image.Rect(930, 486, 1170, 528)},
		{image.Rect(1000, 500, 1100, 514), 0, image.Rect(1000, 500, 1100, 514)},
	} {
		if got := Reach(c.r, c.distance); got != c.want {
			t.Errorf("Reach(%v, %d) = %v, want %v", c.r, c.distance, got, c.want)
		}
	}
}

func TestRaiseNear(t *testing.T) {
	num := image.Rect(1000, 500, 1100, 514) // 14 px line height
	pn := Hit{Rule: RulePersonnummer, Confidence: Medium, Rect: num}
	sn := Hit{Rule: RuleSamordningsnummer, Confidence: Medium, Rect: num}
	kw := func(x0, y0 int) image.Rectangle { return image.Rect(x0, y0, x0+60, y0+14) }
	for _, c := range []struct {
		name     string
		distance int
		hit      Hit
		keywords []image.Rectangle
		want     Confidence
	}{
		{"no keyword", 300, pn, nil, Medium},
		{"same line, left", 300, pn, []image.Rectangle{kw(930, 500)}, High},
		{"25 line heights left", 300, pn, []image.Rectangle{kw(591, 500)}, High},
		{"beyond 25 line heights left", 300, pn, []image.Rectangle{kw(590, 500)}, Medium},
		{"25 line heights right", 300, pn, []image.Rectangle{kw(1449, 500)}, High},
		{"beyond 25 line heights right", 300, pn, []image.Rectangle{kw(1450, 500)}, Medium},
		{"two lines up", 300, pn, []image.Rectangle{kw(1000, 460)}, High},
		{"5 line heights up", 300, pn, []image.Rectangle{kw(1000, 417)}, High},
		// Off the number's column: the 5 line heights hold.
		{"5 line heights up, left", 300, pn, []image.Rectangle{kw(880, 417)}, High},
		{"beyond 5 line heights up, left", 300, pn, []image.Rectangle{kw(880, 416)}, Medium},
		// A column header: straight above, up to 30 line heights.
		{"column header 30 line heights up", 300, pn, []image.Rectangle{kw(1030, 500-14*30-13)}, High},
		{"column header beyond 30 line heights", 300, pn, []image.Rectangle{kw(1030, 500-14*30-14)}, Medium},
		{"column header touching the left edge", 300, pn, []image.Rectangle{kw(941, 200)}, High},
		{"beside the column", 300, pn, []image.Rectangle{kw(940, 200)}, Medium},
		{"below the column", 300, pn, []image.Rectangle{kw(1000, 700)}, Medium},
		{"beyond 5 line heights down", 300, pn, []image.Rectangle{kw(1000, 584)}, Medium},
		{"one of several", 300, pn, []image.Rectangle{kw(0, 0), kw(1000, 530)}, High},
		{"samordningsnummer", 300, sn, []image.Rectangle{kw(930, 500)}, High},
		{"high stays high", 300, Hit{Rule: RulePersonnummer, Confidence: High, Rect: num}, nil, High},
		{"phrase not raised", 300, Hit{Rule: PhrasePrefix + "Sekretess", Confidence: Medium, Rect: num}, []image.Rectangle{kw(930, 500)}, Medium},
		{"empty keyword box", 300, pn, []image.Rectangle{{}}, Medium},
		// A non-default distance moves the edges: 60 characters reach 5
		// line heights across and one up and down.
		{"60: same line, near", 60, pn, []image.Rectangle{kw(880, 500)}, High},
		{"60: 25 line heights left", 60, pn, []image.Rectangle{kw(591, 500)}, Medium},
		{"60: two lines up, left", 60, pn, []image.Rectangle{kw(900, 460)}, Medium},
		{"60: column header 6 line heights up", 60, pn, []image.Rectangle{kw(1000, 500-14*6-13)}, High},
		{"60: column header beyond", 60, pn, []image.Rectangle{kw(1000, 500-14*6-14)}, Medium},
		{"60: next line", 60, pn, []image.Rectangle{kw(1000, 520)}, High},
		{"600: 40 line heights left", 600, pn, []image.Rectangle{kw(380, 500)}, High},
		{"600: 10 line heights up", 600, pn, []image.Rectangle{kw(900, 360)}, High},
		{"0: keywords off", 0, pn, []image.Rectangle{kw(930, 500), num}, Medium},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := Default()
			cfg.KeywordDistance = c.distance
			s := mustScanner(t, cfg)
			in := []Hit{c.hit}
			out := s.RaiseNear(in, c.keywords)
			if len(out) != 1 || out[0].Confidence != c.want {
				t.Fatalf("RaiseNear = %v, want %v", out, c.want)
			}
			if out[0].Rect != c.hit.Rect || out[0].Rule != c.hit.Rule {
				t.Errorf("hit changed beyond its confidence: %v", out[0])
			}
			if in[0] != c.hit {
				t.Errorf("input changed: %v", in[0])
			}
		})
	}
}
