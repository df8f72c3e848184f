package loadgen

import "bytes"

// maxInterned bounds the interner: beyond it new strings are allocated
// instead of remembered, so memory stays bounded on any input.
const maxInterned = 1 << 16

// interner turns field bytes into strings, reusing one string per distinct
// value (endpoints, users, versions and errors repeat a lot).
type interner struct {
	m    map[string]string
	tmp  []byte
	cols [4]column // endpoint, user, version, error
}

func newInterner() *interner { return &interner{m: make(map[string]string, 1024)} }

// column remembers the last string of one column: consecutive records
// often repeat it (version, endpoint), which skips the map lookup.
type column struct{ last string }

// col returns b, a field of column i, as a string, trying the column's
// last value first.
func (in *interner) col(i int, b []byte) (string, error) {
	c := &in.cols[i]
	if string(b) == c.last { // no allocation for the comparison
		return c.last, nil
	}
	s, err := in.str(b)
	if err == nil {
		c.last = s
	}
	return s, err
}

// str returns b (unescaped) as a string.
func (in *interner) str(b []byte) (string, error) {
	if len(b) == 0 {
		return "", nil
	}
	if bytes.IndexByte(b, '\\') >= 0 {
		var err error
		if in.tmp, err = unescape(in.tmp[:0], b); err != nil {
			return "", err
		}
		b = in.tmp
	}
	if s, ok := in.m[string(b)]; ok { // no allocation for the lookup
		return s, nil
	}
	s := string(b)
	if len(in.m) < maxInterned {
		in.m[s] = s
	}
	return s, nil
}
