package ocrtest

import (
	"fmt"
	"image"
	"image/color"
)

// Sample is one rendered screen region of the accuracy corpus and the
// identity numbers on it.
type Sample struct {
	Name string
	Img  *image.RGBA
	// Numbers is how many valid personnummer or samordningsnummer are
	// drawn; 0 for a negative sample (other digits only).
	Numbers int
	// Keyword says a keyword ("Personnummer") is drawn near every number,
	// so each must be found with high confidence.
	Keyword bool
}

var (
	grey   = color.RGBA{0x66, 0x66, 0x66, 0xff}
	white  = color.RGBA{0xff, 0xff, 0xff, 0xff}
	header = color.RGBA{0x1f, 0x4e, 0x79, 0xff}
	band   = color.RGBA{0xdd, 0xe6, 0xee, 0xff}
)

// Corpus renders the accuracy corpus: the shapes identity numbers take
// on screens (a journal line, a table under a coloured header in grey
// 13 px text, a form field, the 10- and 12-digit forms,
// samordningsnummer) in light and dark themes at 11-14 px, and negatives
// that look alike (phone and order numbers, dates, an organisation
// number, a number failing its check digit beside the keyword).
func Corpus() ([]Sample, error) {
	var out []Sample
	add := func(name string, numbers int, keyword bool, draw func(c *Canvas) error, w, h int, bg color.Color) error {
		c := NewCanvas(w, h, bg)
		if err := draw(c); err != nil {
			return fmt.Errorf("ocrtest: corpus %s: %w", name, err)
		}
		out = append(out, Sample{Name: name, Img: c.Img, Numbers: numbers, Keyword: keyword})
		return nil
	}
	lines := func(th Theme, px float64, ls ...string) func(c *Canvas) error {
		return func(c *Canvas) error { _, err := c.Text(10, 10, px, th.Fg, ls...); return err }
	}
	for _, th := range []Theme{Light, Dark} {
		for _, px := range []float64{11, 12, 13, 14} {
			n := fmt.Sprintf("%s/%vpx", th.Name, px)
			if err := add("journal/"+n, 1, true, lines(th, px, Journal...), 700, 110, th.Bg); err != nil {
				return nil, err
			}
			if err := add("short/"+n, 1, true, lines(th, px, "Personnummer: 121212-1212", "Vårdgivare: Mottagning Söder"), 500, 60, th.Bg); err != nil {
				return nil, err
			}
			if err := add("twelve/"+n, 1, true, lines(th, px, "Pnr 198112189876 · Remiss mottagen"), 500, 40, th.Bg); err != nil {
				return nil, err
			}
			if err := add("samordning/"+n, 1, true, lines(th, px, "Samordningsnummer 19701063-2391 (tillfälligt)"), 500, 40, th.Bg); err != nil {
				return nil, err
			}
			// English UI: the keyword is an English one of the built-in list.
			if err := add("english/"+n, 1, true, lines(th, px, "Identification number: 811218-9876", "Date of birth 1981-12-18, record updated"), 500, 60, th.Bg); err != nil {
				return nil, err
			}
			if err := add("phone-order/"+n, 0, false, lines(th, px,
				"Ring 070-123 45 67 eller 08-123 456 78, ordernr 123456789.",
				"Besök 2026-12-01 13:30, nästa 2027-01-15 08:00. Org.nr 556036-0793."), 700, 60, th.Bg); err != nil {
				return nil, err
			}
			if err := add("bad-check/"+n, 0, false, lines(th, px, "Personnummer 19121212-1213 (felaktigt, kontrollera)"), 600, 40, th.Bg); err != nil {
				return nil, err
			}
		}
	}
	for _, px := range []float64{12, 13, 14} {
		n := fmt.Sprintf("%vpx", px)
		if err := add("table/"+n, 2, true, func(c *Canvas) error { return Table(c, px, true) }, 600, 200, white); err != nil {
			return nil, err
		}
		if err := add("table-none/"+n, 0, false, func(c *Canvas) error { return Table(c, px, false) }, 600, 200, white); err != nil {
			return nil, err
		}
		if err := add("form/"+n, 1, true, func(c *Canvas) error {
			if _, err := c.Text(12, 14, px, grey, "Personnummer"); err != nil {
				return err
			}
			c.Fill(image.Rect(130, 8, 330, 34), color.RGBA{0xb0, 0xb0, 0xb0, 0xff})
			c.Fill(image.Rect(131, 9, 329, 33), white)
			_, err := c.Text(138, 14, px, color.RGBA{0x22, 0x22, 0x22, 0xff}, "20121212-1212")
			return err
		}, 360, 44, white); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Table draws a web journal's patient list: a coloured header, a column
// header band, and rows of grey text, two of them (when numbers is set)
// with a valid personnummer under the "Personnummer" column.
func Table(c *Canvas, px float64, numbers bool) error {
	w := c.Img.Rect.Dx()
	c.Fill(image.Rect(0, 0, w, 34), header)
	if _, err := c.Text(14, 9, px+2, white, "Vårdportal · Mottagning Söder"); err != nil {
		return err
	}
	c.Fill(image.Rect(10, 44, w-10, 44+int(px*2)), band)
	cols := []int{16, 200, 340, 480}
	row := func(y int, fg color.Color, cells ...string) error {
		for i, s := range cells {
			if _, err := c.Text(cols[i], y, px, fg, s); err != nil {
				return err
			}
		}
		return nil
	}
	if err := row(48, color.RGBA{0x33, 0x33, 0x33, 0xff}, "Namn", "Personnummer", "Besök", "Enhet"); err != nil {
		return err
	}
	rows := [][]string{
		{"Tolvan Tolvansson", "19121212-1212", "12-01 13:30", "Söder"},
		{"Lista uppdaterad", "–", "11-30 08:15", "Söder"},
		{"Anna Andersson", "19811218-9876", "12-02 09:10", "Norr"},
		{"Kallelser skickade", "–", "11-30 10:05", "Söder"},
	}
	step := int(px*2 + 2)
	for i, r := range rows {
		if !numbers && r[1] != "–" {
			r = []string{"Väntelista", "–", r[2], r[3]}
		}
		if err := row(48+step*(i+1), grey, r...); err != nil {
			return err
		}
	}
	return nil
}
