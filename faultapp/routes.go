package faultapp

import "github.com/coalmine/coalmine/faults"

// Route templates of the API (the fault model's, which faults' paths
// accept): the path label of http_request_duration_seconds.
const (
	RouteCatalog  = faults.RouteCatalog
	RouteSearch   = faults.RouteSearch
	RouteCart     = faults.RouteCart
	RouteCheckout = faults.RouteCheckout
)

// routeID returns the id of a route template (faults.RouteID).
func routeID(route string) (int, bool) { return faults.RouteID(route) }
