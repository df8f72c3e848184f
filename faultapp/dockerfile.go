package faultapp

import _ "embed"

//go:embed Dockerfile
var dockerfile []byte

// Dockerfile returns faultapp/Dockerfile, the image recipe: FROM scratch
// plus the prebuilt static binary (see package faultapp/image).
func Dockerfile() []byte { return append([]byte(nil), dockerfile...) }
