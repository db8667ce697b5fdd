package content

import "image"

// Reach is the area around a number's box r in which a keyword raises it
// on screen, where the keyword may sit on another line, in a form label
// beside the value, or in a region recognised separately. distance is
// KeywordDistance in characters, read in the number's line height lh (its
// box height, at least 8 px): distance/60 line heights up and down, as if
// the text ran in lines of about 60 characters, and five times that,
// distance/12, left and right, since lines are wider than they are tall.
// The default 300 gives 25 line heights across and 5 up and down.
func Reach(r image.Rectangle, distance int) image.Rectangle {
	lh := max(r.Dy(), 8)
	dx, dy := lh*distance/12, lh*distance/60
	return image.Rect(r.Min.X-dx, r.Min.Y-dy, r.Max.X+dx, r.Max.Y+dy)
}

// ColumnReach is the area above a number's box r in which a keyword is
// its column's header (a table of patients under "Personnummer"):
// straight above it, up to distance/10 line heights (30 with the default
// 300, 420 px at 14 px), since a table runs in short lines.
func ColumnReach(r image.Rectangle, distance int) image.Rectangle {
	lh := max(r.Dy(), 8)
	return image.Rect(r.Min.X, r.Min.Y-lh*distance/10, r.Max.X, r.Min.Y)
}

// RaiseNear is the keyword rule of Text for a screen: it returns a copy of
// hits in which a medium identity number is high when a keyword box (from
// Result.Keywords of any region of the same screen) overlaps its Reach or
// its ColumnReach. A KeywordDistance of 0 raises nothing, as in Text.
func (s *Scanner) RaiseNear(hits []Hit, keywords []image.Rectangle) []Hit {
	out := make([]Hit, len(hits))
	copy(out, hits)
	if s.cfg.KeywordDistance <= 0 {
		return out
	}
	for i, h := range out {
		if h.Confidence != Medium || h.Rule != RulePersonnummer && h.Rule != RuleSamordningsnummer {
			continue
		}
		near := Reach(h.Rect, s.cfg.KeywordDistance)
		col := ColumnReach(h.Rect, s.cfg.KeywordDistance)
		for _, k := range keywords {
			if k.Overlaps(near) || k.Overlaps(col) {
				out[i].Confidence = High
				break
			}
		}
	}
	return out
}
