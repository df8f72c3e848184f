package images

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestFindMirror(t *testing.T) {
	tests := []struct {
		name, dir, suite string
		want             aptSource
		wantErr          error
	}{
		{
			name: "deb822 skips disabled, source-only and cdrom entries", dir: "testdata/apt/deb822", suite: "bookworm",
			want: aptSource{URI: "http://mirror.example.test/debian", Suites: []string{"bookworm", "bookworm-updates"},
				Components: []string{"main"}, SignedBy: "/usr/share/keyrings/debian-archive-keyring.gpg"},
		},
		{
			name: "deb822 second stanza", dir: "testdata/apt/deb822", suite: "bookworm-security",
			want: aptSource{URI: "http://security.example.test/debian-security", Suites: []string{"bookworm-security"},
				Components: []string{"main"}, SignedBy: "/usr/share/keyrings/debian-archive-keyring.gpg"},
		},
		{
			name: "one-line format with options and comments", dir: "testdata/apt/oneline", suite: "bookworm",
			want: aptSource{URI: "http://one.example.test/debian/", Suites: []string{"bookworm"},
				Components: []string{"main", "contrib"}, SignedBy: "/etc/apt/keyrings/mirror.gpg"},
		},
		{
			name: "sources.list.d after sources.list", dir: "testdata/apt/oneline", suite: "trixie",
			want: aptSource{URI: "https://two.example.test/debian", Suites: []string{"trixie"}, Components: []string{"main"}},
		},
		{name: "no source for the suite", dir: "testdata/apt/none", suite: "bookworm", wantErr: errNoMirror},
		{name: "no apt configuration at all", dir: "testdata/apt/missing", suite: "bookworm", wantErr: errNoMirror},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := findMirror(tt.dir, tt.suite)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.URI != tt.want.URI || !slices.Equal(got.Suites, tt.want.Suites) ||
				!slices.Equal(got.Components, tt.want.Components) || got.SignedBy != tt.want.SignedBy {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
			if !strings.HasPrefix(got.File, tt.dir) || !strings.Contains(got.File, ":") {
				t.Errorf("File = %q, want file:line under %s", got.File, tt.dir)
			}
		})
	}
}

func TestParseOneLineSourcesErrors(t *testing.T) {
	for _, in := range []string{"deb [arch=amd64 http://x/ bookworm main\n", "deb http://x/\n"} {
		if _, err := parseOneLineSources([]byte(in), "f.list"); err == nil || !strings.Contains(err.Error(), "f.list:1") {
			t.Errorf("%q: err = %v, want an error at f.list:1", in, err)
		}
	}
}

func TestDeb822InlineSignedByIgnored(t *testing.T) {
	in := "Types: deb\nURIs: http://m.example.test/debian\nSuites: bookworm\nComponents: main\nSigned-By:\n -----BEGIN PGP PUBLIC KEY BLOCK-----\n .\n xyz\n"
	srcs, err := parseDeb822Sources([]byte(in), "x.sources")
	if err != nil {
		t.Fatal(err)
	}
	if len(srcs) != 1 || srcs[0].SignedBy != "" || srcs[0].URI != "http://m.example.test/debian" {
		t.Errorf("got %+v, want one source without a keyring path", srcs)
	}
}
