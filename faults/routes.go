package faults

// Route templates of faultapp's API. They are the path label of
// http_request_duration_seconds and the values a fault's paths accept.
const (
	RouteCatalog  = "/api/catalog"
	RouteSearch   = "/api/search"
	RouteCart     = "/api/cart"
	RouteCheckout = "/api/checkout"
)

// Routes returns the API route templates, in faultapp's route id order.
func Routes() []string { return []string{RouteCatalog, RouteSearch, RouteCart, RouteCheckout} }
