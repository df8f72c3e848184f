package hostdeps

// ParseForTest exposes parse to the external tests.
var ParseForTest = parse
