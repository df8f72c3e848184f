// Package doctor checks that this machine can run a coalmine kind cluster
// and, only when asked (coalmine doctor --fix), repairs what it can: the
// runc wrapper for hosts whose capability bounding set lacks
// CAP_SYS_RESOURCE, and the inotify limits kind needs.
//
// Nothing here changes the host unless Fix is called. The checks are:
// the Docker engine answers; privileged containers start (the
// "unable to apply caps: operation not permitted" failure, probed with a
// tiny container imported from a static binary, never pulled); cgroup
// version; free disk under Docker's root; inotify limits; host ports free.
//
// Layer 5 of the package layers (internal/layers).
package doctor
