package images

import (
	"archive/tar"
	"context"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"strings"
	"time"
)

// layer is a small root filesystem built in memory (and from host files)
// and streamed as a tar to `docker import`: enough for images made of a
// static binary and a few files.
type layer struct {
	entries map[string]layerEntry
}

type layerEntry struct {
	dir      bool
	mode     int64
	uid, gid int
	data     []byte
	src      string // host file to copy when data is nil
}

// epoch is the modification time of every entry, for reproducible tars.
var epoch = time.Unix(0, 0).UTC()

func newLayer() *layer { return &layer{entries: map[string]layerEntry{}} }

// Dir adds a directory (and its missing parents, root-owned 0755).
func (l *layer) Dir(p string, mode int64, uid, gid int) *layer {
	p = clean(p)
	l.parents(p)
	l.entries[p] = layerEntry{dir: true, mode: mode, uid: uid, gid: gid}
	return l
}

// Data adds a file with the given content.
func (l *layer) Data(p string, mode int64, data []byte) *layer {
	p = clean(p)
	l.parents(p)
	l.entries[p] = layerEntry{mode: mode, data: data}
	return l
}

// File adds a copy of the host file src.
func (l *layer) File(p string, mode int64, src string) *layer {
	p = clean(p)
	l.parents(p)
	l.entries[p] = layerEntry{mode: mode, src: src}
	return l
}

func clean(p string) string { return strings.TrimPrefix(path.Clean("/"+p), "/") }

func (l *layer) parents(p string) {
	for d := path.Dir(p); d != "." && d != "/"; d = path.Dir(d) {
		if _, ok := l.entries[d]; !ok {
			l.entries[d] = layerEntry{dir: true, mode: 0o755}
		}
	}
}

// Write writes the layer as a tar, parents before children.
func (l *layer) Write(w io.Writer) error {
	names := make([]string, 0, len(l.entries))
	for n := range l.entries {
		names = append(names, n)
	}
	sort.Strings(names)
	tw := tar.NewWriter(w)
	for _, n := range names {
		if err := l.writeEntry(tw, n, l.entries[n]); err != nil {
			return err
		}
	}
	return tw.Close()
}

func (l *layer) writeEntry(tw *tar.Writer, name string, e layerEntry) error {
	hdr := &tar.Header{Name: name, Mode: e.mode, Uid: e.uid, Gid: e.gid, ModTime: epoch, Format: tar.FormatPAX}
	if e.dir {
		hdr.Typeflag = tar.TypeDir
		hdr.Name += "/"
		return tw.WriteHeader(hdr)
	}
	hdr.Typeflag = tar.TypeReg
	if e.data != nil || e.src == "" {
		hdr.Size = int64(len(e.data))
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		_, err := tw.Write(e.data)
		return err
	}
	f, err := os.Open(e.src)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	hdr.Size = st.Size()
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	if _, err := io.Copy(tw, f); err != nil {
		return fmt.Errorf("copy %s: %w", e.src, err)
	}
	return nil
}

// Import streams the layer into `docker import` as ref.
func (l *layer) Import(ctx context.Context, w *Work, ref string, changes []string) error {
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(l.Write(pw)) }()
	defer pr.Close()
	return w.b.docker.importReader(ctx, w.Log, pr, ref, changes)
}

// user is an account in a static image's /etc/passwd.
type user struct {
	Name string
	ID   int
	Home string
}

var (
	rootUser   = user{Name: "root", ID: 0, Home: "/root"}
	nobodyUser = user{Name: "nobody", ID: 65534, Home: "/nonexistent"}
)

// staticBase is the root filesystem every static-binary image starts
// from: /etc/passwd and /etc/group for users, a sticky /tmp.
func staticBase(users ...user) *layer {
	all := append([]user{rootUser, nobodyUser}, users...)
	var passwd, group strings.Builder
	for _, u := range all {
		fmt.Fprintf(&passwd, "%s:x:%d:%d:%s:%s:/sbin/nologin\n", u.Name, u.ID, u.ID, u.Name, u.Home)
		fmt.Fprintf(&group, "%s:x:%d:\n", u.Name, u.ID)
	}
	return newLayer().
		Data("/etc/passwd", 0o644, []byte(passwd.String())).
		Data("/etc/group", 0o644, []byte(group.String())).
		Dir("/tmp", 0o1777, 0, 0)
}

// pathEnv is the PATH of every image: static pods call binaries by name.
const pathEnv = "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
