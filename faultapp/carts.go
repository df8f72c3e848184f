package faultapp

import (
	"hash/maphash"
	"slices"
	"sync"
)

// CartItem is one line of a cart or an order.
type CartItem struct {
	SKU string `json:"sku"`
	Qty int    `json:"qty"`
}

// Bounds of the cart store, so memory stays flat under any load (the leak
// fault is the only intended growth).
const (
	cartShards        = 16
	maxUsersPerShard  = 1024 // a full shard forgets its carts ("session expiry")
	maxItemsPerCart   = 50   // distinct SKUs
	MaxQtyPerCartItem = 99
)

// carts holds one cart per user, sharded to keep lock contention low.
type carts struct {
	seed   maphash.Seed
	shards [cartShards]cartShard
}

type cartShard struct {
	mu sync.Mutex
	m  map[string][]CartItem
}

func newCarts() *carts {
	c := &carts{seed: maphash.MakeSeed()}
	for i := range c.shards {
		c.shards[i].m = map[string][]CartItem{}
	}
	return c
}

func (c *carts) shard(user string) *cartShard {
	return &c.shards[maphash.String(c.seed, user)%cartShards]
}

// add puts qty of sku into user's cart (quantities capped) and returns a
// copy of the cart.
func (c *carts) add(user, sku string, qty int) []CartItem {
	s := c.shard(user)
	s.mu.Lock()
	defer s.mu.Unlock()
	items, ok := s.m[user]
	if !ok && len(s.m) >= maxUsersPerShard {
		clear(s.m)
	}
	if i := slices.IndexFunc(items, func(it CartItem) bool { return it.SKU == sku }); i >= 0 {
		items[i].Qty = min(items[i].Qty+qty, MaxQtyPerCartItem)
	} else if len(items) < maxItemsPerCart {
		items = append(items, CartItem{SKU: sku, Qty: min(qty, MaxQtyPerCartItem)})
	}
	s.m[user] = items
	return slices.Clone(items)
}

// get returns a copy of user's cart.
func (c *carts) get(user string) []CartItem {
	s := c.shard(user)
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.m[user])
}

// take empties user's cart and returns what it held.
func (c *carts) take(user string) []CartItem {
	s := c.shard(user)
	s.mu.Lock()
	defer s.mu.Unlock()
	items := s.m[user]
	delete(s.m, user)
	return items
}
