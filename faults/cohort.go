package faults

// InCohort reports whether user belongs to the cohort holding share of all
// users. The user ID is hashed (FNV-1a, then mixed) to a point in [0, 1);
// the user is in the cohort when the point is below share. The hash is
// stable across processes, replicas and versions, so a user is always in
// or always out, cohorts nest (a 5 % cohort is inside the 10 % one), and
// load generators and reports can compute exposure themselves. An empty
// user ID is in no cohort.
func InCohort(user string, share float64) bool {
	return user != "" && CohortPoint(user) < share
}

// CohortPoint maps a user ID to its stable point in [0, 1) (InCohort
// compares it with the share).
func CohortPoint(user string) float64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(user); i++ {
		h ^= uint64(user[i])
		h *= 1099511628211
	}
	return float64(Mix64(h)>>11) / (1 << 53)
}

// Mix64 is the SplitMix64 finalizer: a bijective 64-bit mixer (cohorts
// and faultapp's per-request random streams use it).
func Mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
