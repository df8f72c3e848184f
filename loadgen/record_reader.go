package loadgen

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
)

const readerBufferSize = 256 << 10

// ReadRecords decodes a records file and calls fn for each record in file
// order. fn may be called with the same *Record every time: copy what you
// keep (the strings themselves are immutable and may be kept). A last line
// without its '\n' (torn by a crash) is ignored. An empty input holds no
// records. An error from fn stops reading and is returned as is.
func ReadRecords(r io.Reader, fn func(*Record) error) error {
	br := bufio.NewReaderSize(r, readerBufferSize)
	in := newInterner()
	var rec Record
	var long []byte
	for lineNo := 1; ; lineNo++ {
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			long, line, err = readLong(br, append(long[:0], line...))
		}
		if err == io.EOF {
			return nil // torn or empty last line: ignored
		}
		if err != nil {
			return fmt.Errorf("read records line %d: %w", lineNo, err)
		}
		line = line[:len(line)-1]
		if lineNo == 1 || (len(line) > 0 && line[0] == '#') {
			if err := checkHeader(line); err != nil {
				return fmt.Errorf("records line %d: %w", lineNo, err)
			}
			continue
		}
		if err := decodeLine(line, &rec, in); err != nil {
			return fmt.Errorf("records line %d: %w", lineNo, err)
		}
		if err := fn(&rec); err != nil {
			return err
		}
	}
}

// readLong finishes a line longer than the reader's buffer.
func readLong(br *bufio.Reader, acc []byte) ([]byte, []byte, error) {
	for {
		more, err := br.ReadSlice('\n')
		acc = append(acc, more...)
		if !errors.Is(err, bufio.ErrBufferFull) {
			return acc, acc, err
		}
	}
}

func checkHeader(line []byte) error {
	if bytes.Equal(line, []byte(recordsHeader[:len(recordsHeader)-1])) {
		return nil
	}
	if len(line) > 80 {
		line = append(line[:77:77], "..."...)
	}
	return fmt.Errorf("not a %s header: %q", RecordsFormat, line)
}

// ReadRecordsFile is ReadRecords on the file at path.
func ReadRecordsFile(path string, fn func(*Record) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open records: %w", err)
	}
	defer f.Close()
	if err := ReadRecords(f, fn); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
