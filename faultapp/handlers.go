package faultapp

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/coalmine/coalmine/faults"
)

// UserHeader identifies the user of a request (carts, error cohorts).
const UserHeader = "X-User-ID"

const (
	anonymousUser = "anonymous"
	searchLimit   = 20
	maxQueryLen   = 100
	maxBodyBytes  = 64 << 10
)

// handleCatalog serves GET /api/catalog?page=N (default 1).
func (s *Server) handleCatalog(w http.ResponseWriter, r *http.Request) {
	page := 1
	if v := r.URL.Query().Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			writeError(w, http.StatusBadRequest, "page must be an integer")
			return
		}
		page = n
	}
	body, ok := s.catalog.page(page)
	if !ok {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no page %d", page))
		return
	}
	writeBody(w, http.StatusOK, body)
}

// searchResult is the body of GET /api/search.
type searchResult struct {
	Query string    `json:"query"`
	Total int       `json:"total"`
	Items []Product `json:"items"`
}

// handleSearch serves GET /api/search?q=TEXT: a scan of the whole catalog
// (an empty query matches everything).
func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	if len(q) > maxQueryLen {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("q longer than %d bytes", maxQueryLen))
		return
	}
	items, total := s.catalog.search(q, searchLimit)
	if items == nil {
		items = []Product{}
	}
	writeJSON(w, http.StatusOK, searchResult{Query: q, Total: total, Items: items})
}

// cartView is the body of the cart endpoints.
type cartView struct {
	User       string     `json:"user"`
	Items      []CartItem `json:"items"`
	TotalCents int64      `json:"totalCents"`
}

func (s *Server) viewCart(user string, items []CartItem) cartView {
	v := cartView{User: user, Items: items}
	if v.Items == nil {
		v.Items = []CartItem{}
	}
	for _, it := range items {
		p, _ := s.catalog.product(it.SKU)
		v.TotalCents += p.PriceCents * int64(it.Qty)
	}
	return v
}

// handleGetCart serves GET /api/cart: the user's cart.
func (s *Server) handleGetCart(w http.ResponseWriter, r *http.Request) {
	user := userOf(r)
	writeJSON(w, http.StatusOK, s.viewCart(user, s.carts.get(user)))
}

// handlePostCart serves POST /api/cart with {"sku": "SKU-0042", "qty": 1}
// (qty defaults to 1). An empty body adds one unit of the user's featured
// product, so load generators may send bodyless POSTs.
func (s *Server) handlePostCart(w http.ResponseWriter, r *http.Request) {
	user := userOf(r)
	item, err := s.readCartItem(w, r, user)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if _, ok := s.catalog.product(item.SKU); !ok {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no product %q", item.SKU))
		return
	}
	writeJSON(w, http.StatusOK, s.viewCart(user, s.carts.add(user, item.SKU, item.Qty)))
}

func (s *Server) readCartItem(w http.ResponseWriter, r *http.Request, user string) (CartItem, error) {
	item := CartItem{Qty: 1}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	dec.DisallowUnknownFields()
	switch err := dec.Decode(&item); {
	case errors.Is(err, io.EOF):
		return CartItem{SKU: s.featured(user), Qty: 1}, nil
	case err != nil:
		return item, fmt.Errorf("bad cart item: %w", err)
	case item.Qty < 1 || item.Qty > MaxQtyPerCartItem:
		return item, fmt.Errorf("qty must be in [1, %d]", MaxQtyPerCartItem)
	}
	return item, nil
}

// featured is the product a user adds with a bodyless POST /api/cart.
func (s *Server) featured(user string) string {
	return s.catalog.products[int(faults.CohortPoint(user)*float64(len(s.catalog.products)))].SKU
}

// handleCheckout serves POST /api/checkout: it empties the user's cart
// into a signed order (an empty cart gives an empty order).
func (s *Server) handleCheckout(w http.ResponseWriter, r *http.Request) {
	user := userOf(r)
	writeJSON(w, http.StatusOK, newOrder(s.catalog, user, s.carts.take(user), s.orders.Add(1)))
}

// handleHealthz is the liveness probe.
func (s *Server) handleHealthz(w http.ResponseWriter, _ *http.Request) {
	writeText(w, http.StatusOK, "ok\n")
}

// handleReadyz is the readiness probe; the readiness fault fails it.
func (s *Server) handleReadyz(w http.ResponseWriter, _ *http.Request) {
	if !s.decider.ready() {
		writeText(w, http.StatusServiceUnavailable, "not ready\n")
		return
	}
	writeText(w, http.StatusOK, "ok\n")
}

func userOf(r *http.Request) string {
	if u := r.Header.Get(UserHeader); u != "" {
		return u
	}
	return anonymousUser
}
