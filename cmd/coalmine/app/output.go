package app

import (
	"encoding/json"
	"fmt"
	"io"
)

// Output formats of --output (-o) and load's --summary.
const (
	formatText = "text"
	formatJSON = "json"
)

// checkFormat rejects a format other than text or json, naming the flag.
func checkFormat(flag, format string) error {
	if format != formatText && format != formatJSON {
		return fmt.Errorf("unknown %s %q (want text or json)", flag, format)
	}
	return nil
}

// writeAs writes v as indented JSON, or calls text for the text format.
func writeAs(w io.Writer, format string, v any, text func(io.Writer) error) error {
	if format == formatText {
		return text(w)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
