package doctor

import (
	"fmt"
	"io"
)

var marks = map[Level]string{OK: "✓", Warn: "!", Fail: "✗", Fixed: "✓"}

// WriteText prints a report, one check a line with its hint below.
func WriteText(w io.Writer, r Report) error {
	for _, a := range r.Actions {
		if _, err := fmt.Fprintf(w, "fixed: %s\n", a); err != nil {
			return err
		}
	}
	for _, res := range r.Results {
		label := string(res.Level)
		if _, err := fmt.Fprintf(w, "%s %-12s %-5s %s\n", marks[res.Level], res.Check, label, res.Summary); err != nil {
			return err
		}
		if res.Hint != "" && res.Level != OK && res.Level != Fixed {
			if _, err := fmt.Fprintf(w, "  %-18s → %s\n", "", res.Hint); err != nil {
				return err
			}
		}
	}
	return nil
}
