package faultapp

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
)

// checkoutRounds is how many SHA-256 rounds sign an order: the work that
// makes checkout the heaviest endpoint (tens of microseconds).
const checkoutRounds = 256

// Order is the body of a successful POST /api/checkout.
type Order struct {
	ID         string     `json:"order"`
	User       string     `json:"user"`
	Items      []CartItem `json:"items"`
	TotalCents int64      `json:"totalCents"`
}

// newOrder prices items against the catalog and signs the order with an
// iterated hash of its content and sequence number.
func newOrder(c *catalog, user string, items []CartItem, seq uint64) Order {
	h := sha256.New()
	var total int64
	var buf [8]byte
	binary.BigEndian.PutUint64(buf[:], seq)
	h.Write(buf[:])
	h.Write([]byte(user))
	for _, it := range items {
		if p, ok := c.product(it.SKU); ok {
			total += p.PriceCents * int64(it.Qty)
		}
		binary.BigEndian.PutUint64(buf[:], uint64(it.Qty))
		h.Write([]byte(it.SKU))
		h.Write(buf[:])
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	for range checkoutRounds {
		sum = sha256.Sum256(sum[:])
	}
	if items == nil {
		items = []CartItem{}
	}
	return Order{ID: hex.EncodeToString(sum[:12]), User: user, Items: items, TotalCents: total}
}
