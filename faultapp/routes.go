package faultapp

// Route templates of the API. They are the path label of
// http_request_duration_seconds and the values faults' paths accept.
const (
	RouteCatalog  = "/api/catalog"
	RouteSearch   = "/api/search"
	RouteCart     = "/api/cart"
	RouteCheckout = "/api/checkout"
)

// apiRoutes is indexed by route id (routeSet bit position).
var apiRoutes = [...]string{RouteCatalog, RouteSearch, RouteCart, RouteCheckout}

// APIRoutes returns the API route templates.
func APIRoutes() []string { return append([]string(nil), apiRoutes[:]...) }

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
