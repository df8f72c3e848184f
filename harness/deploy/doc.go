// Package deploy renders the Kubernetes objects of one strategy's run: its
// Namespace, the faultapp Services (a NodePort entry of its own, plus the
// preview Service of blue-green strategies), the strategy's
// AnalysisTemplates and the faultapp Rollout carrying the strategy block,
// all as unstructured objects ready for server-side apply.
//
// Layer 5 of the package layers (internal/layers).
package deploy
