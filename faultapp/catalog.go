package faultapp

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Product is one item of the in-memory catalog.
type Product struct {
	SKU        string `json:"sku"`
	Name       string `json:"name"`
	Category   string `json:"category"`
	PriceCents int64  `json:"priceCents"`
}

// Catalog size and paging of GET /api/catalog.
const (
	CatalogSize = 500
	PageSize    = 20
)

var (
	catalogAdjectives = []string{"Sturdy", "Quiet", "Bright", "Compact", "Vintage", "Rapid", "Cozy", "Smart", "Rugged", "Elegant"}
	catalogNouns      = []string{"Lamp", "Kettle", "Backpack", "Chair", "Headphones", "Mug", "Blanket", "Drill", "Notebook", "Speaker"}
	catalogCategories = []string{"home", "kitchen", "outdoor", "office", "audio"}
)

// catalog is the shop's product list, with search keys and the JSON of
// every page precomputed so the most popular endpoint stays cheap.
type catalog struct {
	products []Product
	bySKU    map[string]int
	keys     []string // lower-case "name category" per product, for search
	pages    [][]byte // JSON of each page
}

// newCatalog builds a deterministic catalog of n products.
func newCatalog(n int) *catalog {
	c := &catalog{bySKU: make(map[string]int, n)}
	for i := range n {
		p := Product{
			SKU:        fmt.Sprintf("SKU-%04d", i),
			Name:       fmt.Sprintf("%s %s %d", catalogAdjectives[i%10], catalogNouns[(i/10)%10], i/100+1),
			Category:   catalogCategories[(i/7)%len(catalogCategories)],
			PriceCents: 199 + int64(i*7919%20000),
		}
		c.bySKU[p.SKU] = i
		c.products = append(c.products, p)
		c.keys = append(c.keys, strings.ToLower(p.Name+" "+p.Category))
	}
	for start := 0; start < n; start += PageSize {
		c.pages = append(c.pages, c.encodePage(start/PageSize+1, c.products[start:min(start+PageSize, n)]))
	}
	return c
}

// catalogPage is the body of GET /api/catalog.
type catalogPage struct {
	Page  int       `json:"page"`
	Pages int       `json:"pages"`
	Items []Product `json:"items"`
}

func (c *catalog) encodePage(page int, items []Product) []byte {
	b, err := json.Marshal(catalogPage{Page: page, Pages: (len(c.products) + PageSize - 1) / PageSize, Items: items})
	if err != nil {
		panic(err) // plain structs always marshal
	}
	return b
}

// page returns the JSON of page (1-based), false when out of range.
func (c *catalog) page(page int) ([]byte, bool) {
	if page < 1 || page > len(c.pages) {
		return nil, false
	}
	return c.pages[page-1], true
}

// search returns up to limit products whose name or category contains q
// (case-insensitive), scanning the whole catalog, and the total matches.
func (c *catalog) search(q string, limit int) ([]Product, int) {
	q = strings.ToLower(q)
	var out []Product
	total := 0
	for i, k := range c.keys {
		if strings.Contains(k, q) {
			if total < limit {
				out = append(out, c.products[i])
			}
			total++
		}
	}
	return out, total
}

// product looks a SKU up.
func (c *catalog) product(sku string) (Product, bool) {
	i, ok := c.bySKU[sku]
	if !ok {
		return Product{}, false
	}
	return c.products[i], true
}
