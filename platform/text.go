package platform

import "image"

// Word is one word recognised in the screen picture, with its box in
// screen coordinates. Recognised text stays in memory: it is never logged
// or written, and alerts never repeat it.
type Word struct {
	Text string
	Box  image.Rectangle
}

// Line is recognised words in reading order.
type Line []Word
