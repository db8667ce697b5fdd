package pnr

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// The personnummer/meta suite, copied unchanged from /work/shared/testdata.
const metaDir = "testdata/personnummer-meta"

type metaRow struct {
	Integer         int64  `json:"integer"`
	LongFormat      string `json:"long_format"`
	ShortFormat     string `json:"short_format"`
	SeparatedFormat string `json:"separated_format"`
	SeparatedLong   string `json:"separated_long"`
	Valid           bool   `json:"valid"`
	Type            string `json:"type"`
}

type metaSet struct {
	Integer struct {
		Invalid []int64 `json:"invalid"`
		Valid   []int64 `json:"valid"`
	} `json:"integer"`
	String struct {
		Invalid []string `json:"invalid"`
		Valid   []string `json:"valid"`
	} `json:"string"`
}

func loadJSON(t *testing.T, name string, v any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(metaDir, name))
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
}

// assertFound checks that s is one valid number on its own and inside prose.
func assertFound(t *testing.T, s string, coord bool) {
	t.Helper()
	if !Valid(s) {
		t.Errorf("Valid(%q) = false, want true", s)
	}
	want := []Match{{Start: 0, End: len(s), Coordination: coord}}
	if got := Find(s); !equalMatches(got, want) {
		t.Errorf("Find(%q) = %v, want %v", s, got, want)
	}
	prefix := "Patient med nummer "
	text := prefix + s + ", inskriven."
	want = []Match{{Start: len(prefix), End: len(prefix) + len(s), Coordination: coord}}
	if got := Find(text); !equalMatches(got, want) {
		t.Errorf("Find(%q) = %v, want %v", text, got, want)
	}
	if !Contains(text) {
		t.Errorf("Contains(%q) = false", text)
	}
	if got := Redact(text); got != prefix+Placeholder+", inskriven." {
		t.Errorf("Redact(%q) = %q", text, got)
	}
}

func assertNotFound(t *testing.T, s string) {
	t.Helper()
	if Valid(s) {
		t.Errorf("Valid(%q) = true, want false", s)
	}
	for _, text := range []string{s, "Patient " + s + " inskriven", "pnr:" + s + "x"} {
		if got := Find(text); len(got) != 0 {
			t.Errorf("Find(%q) = %v, want none", text, got)
		}
		if Contains(text) {
			t.Errorf("Contains(%q) = true, want false", text)
		}
	}
}

func TestConformanceList(t *testing.T) {
	var rows []metaRow
	loadJSON(t, "list.json", &rows)
	if len(rows) < 10 {
		t.Fatalf("list.json has %d rows, expected the full suite", len(rows))
	}
	var nValid, nInvalid int
	for _, r := range rows {
		forms := []string{r.LongFormat, r.ShortFormat, r.SeparatedFormat, r.SeparatedLong}
		if r.Integer != 0 || !r.Valid {
			forms = append(forms, strconv.FormatInt(r.Integer, 10))
		}
		for _, f := range forms {
			if r.Valid {
				nValid++
				assertFound(t, f, r.Type == "con")
			} else {
				nInvalid++
				assertNotFound(t, f)
			}
			// Every row, valid or not, has the shape of a number: hide it.
			if f != "0" {
				if got := Redact(f); got != Placeholder {
					t.Errorf("Redact(%q) = %q, want %q", f, got, Placeholder)
				}
			}
		}
	}
	t.Logf("list.json: %d valid and %d invalid forms checked", nValid, nInvalid)
}

func TestConformanceStructured(t *testing.T) {
	var sets map[string]metaSet
	loadJSON(t, "structured.json", &sets)
	for _, typ := range []string{"ssn", "con"} {
		set, ok := sets[typ]
		if !ok {
			t.Fatalf("structured.json lacks %q", typ)
		}
		coord := typ == "con"
		if len(set.String.Valid) == 0 || len(set.String.Invalid) == 0 || len(set.Integer.Valid) == 0 {
			t.Fatalf("structured.json %q is missing rows", typ)
		}
		for _, s := range set.String.Valid {
			assertFound(t, s, coord)
		}
		for _, s := range set.String.Invalid {
			assertNotFound(t, s)
		}
		for _, n := range set.Integer.Valid {
			assertFound(t, strconv.FormatInt(n, 10), coord)
		}
		for _, n := range set.Integer.Invalid {
			assertNotFound(t, strconv.FormatInt(n, 10))
		}
	}
}

func equalMatches(a, b []Match) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
