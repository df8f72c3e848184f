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

// apiRoutes is indexed by route id (routeSet bit position).
var apiRoutes = [...]string{RouteCatalog, RouteSearch, RouteCart, RouteCheckout}

// routeID returns the index of a route template in apiRoutes.
func routeID(route string) (int, bool) {
	for i, r := range apiRoutes {
		if r == route {
			return i, true
		}
	}
	return 0, false
}

// routeSet is a set of route ids; the empty set means every route.
type routeSet uint8

func newRouteSet(paths []string) routeSet {
	var s routeSet
	for _, p := range paths {
		if id, ok := routeID(p); ok {
			s |= 1 << id
		}
	}
	return s
}

// has reports whether route id is in s (always true for the empty set).
func (s routeSet) has(id int) bool { return s == 0 || s&(1<<id) != 0 }
