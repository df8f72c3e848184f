// Package hostdeps lists the executables coalmine runs on the host and the
// Debian packages that provide them (tools.txt, which hack/host-setup.sh
// installs from), and checks that the ones a task needs are present.
//
// Layer 0 (internal/layers): it imports no coalmine package.
package hostdeps
