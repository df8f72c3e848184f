package loadgen

import (
	"bytes"
	"errors"
	"strconv"
	"time"
)

// The records file format (version 1) is line-oriented UTF-8 text:
//
//	#coalmine.dev/records/v1	start_unix_ns	endpoint	user	status	latency_ns	version	error
//	1718000000123456789	catalog	u00042	200	1234567	v1
//
// The first line is the header naming the format version and the columns.
// Every following line is one Record: fields separated by a tab, the line
// ended by '\n'. Start is Unix nanoseconds (empty for the zero time),
// latency is nanoseconds. In the string fields a backslash, tab, newline and
// carriage return are written as \\, \t, \n and \r. A line without its
// final '\n' is a write torn by a crash and is ignored by ReadRecords.
// Further header lines (files concatenated) are accepted and skipped.
// Lines are in completion order, so start times are only roughly sorted.
const (
	// RecordsFormat names the format version in the header line.
	RecordsFormat = "coalmine.dev/records/v1"
	recordsHeader = "#" + RecordsFormat +
		"\tstart_unix_ns\tendpoint\tuser\tstatus\tlatency_ns\tversion\terror\n"
	recordFields = 7
)

var errFieldCount = errors.New("want 7 tab-separated fields")

// appendRecord appends r as one line of the records format.
func appendRecord(b []byte, r *Record) []byte {
	if !r.Start.IsZero() {
		b = strconv.AppendInt(b, r.Start.UnixNano(), 10)
	}
	b = append(b, '\t')
	b = appendEscaped(b, r.Endpoint)
	b = append(b, '\t')
	b = appendEscaped(b, r.User)
	b = append(b, '\t')
	b = strconv.AppendInt(b, int64(r.Status), 10)
	b = append(b, '\t')
	b = strconv.AppendInt(b, int64(r.Latency), 10)
	b = append(b, '\t')
	b = appendEscaped(b, r.Version)
	b = append(b, '\t')
	b = appendEscaped(b, r.Error)
	return append(b, '\n')
}

// appendEscaped appends s with \, tab, newline and CR escaped.
func appendEscaped(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		var esc byte
		switch s[i] {
		case '\\':
			esc = '\\'
		case '\t':
			esc = 't'
		case '\n':
			esc = 'n'
		case '\r':
			esc = 'r'
		default:
			continue
		}
		b = append(b, s[start:i]...)
		b = append(b, '\\', esc)
		start = i + 1
	}
	return append(b, s[start:]...)
}

// unescape decodes the escapes of appendEscaped into dst.
func unescape(dst, s []byte) ([]byte, error) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			dst = append(dst, c)
			continue
		}
		if i++; i == len(s) {
			return dst, errors.New("dangling backslash")
		}
		switch s[i] {
		case '\\':
			dst = append(dst, '\\')
		case 't':
			dst = append(dst, '\t')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		default:
			return dst, errors.New("unknown escape \\" + string(s[i]))
		}
	}
	return dst, nil
}

// parseInt parses a decimal integer with an optional leading '-', without
// allocating.
func parseInt(b []byte) (int64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 19 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if n < 0 { // overflowed 19 digits
		return 0, false
	}
	if neg {
		n = -n
	}
	return n, true
}

// splitFields cuts line at tabs into out and reports whether it had exactly
// len(out) fields.
func splitFields(line []byte, out *[recordFields][]byte) bool {
	for n := range recordFields - 1 {
		i := bytes.IndexByte(line, '\t')
		if i < 0 {
			return false
		}
		out[n], line = line[:i], line[i+1:]
	}
	if bytes.IndexByte(line, '\t') >= 0 {
		return false
	}
	out[recordFields-1] = line
	return true
}

// decodeLine parses one records line (without '\n') into r; strings come
// from in, which interns repeated values.
func decodeLine(line []byte, r *Record, in *interner) error {
	var f [recordFields][]byte
	if !splitFields(line, &f) {
		return errFieldCount
	}
	if len(f[0]) == 0 {
		r.Start = time.Time{}
	} else if ns, ok := parseInt(f[0]); ok {
		r.Start = time.Unix(0, ns).UTC()
	} else {
		return errors.New("bad start_unix_ns " + strconv.Quote(string(f[0])))
	}
	status, ok := parseInt(f[3])
	if !ok {
		return errors.New("bad status " + strconv.Quote(string(f[3])))
	}
	lat, ok := parseInt(f[4])
	if !ok {
		return errors.New("bad latency_ns " + strconv.Quote(string(f[4])))
	}
	r.Status, r.Latency = int(status), time.Duration(lat)
	var err error
	if r.Endpoint, err = in.col(0, f[1]); err != nil {
		return err
	}
	if r.User, err = in.col(1, f[2]); err != nil {
		return err
	}
	if r.Version, err = in.col(2, f[5]); err != nil {
		return err
	}
	r.Error, err = in.col(3, f[6])
	return err
}
