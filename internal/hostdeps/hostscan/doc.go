// Package hostscan derives the executables a source tree runs on the host:
// os/exec calls and images.Cmd literals in Go files, and the commands of
// shell scripts and Makefile recipes. Tests use it to keep
// internal/hostdeps/tools.txt true; nothing else imports it.
//
// Layer 0 (internal/layers): it imports no coalmine package.
package hostscan
