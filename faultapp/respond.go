package faultapp

import (
	"encoding/json"
	"io"
	"net/http"
)

// VersionHeader carries the app version on every response.
const VersionHeader = "X-Coalmine-Version"

// withVersion sets the version header on every response of next.
func withVersion(version string, next http.Handler) http.Handler {
	v := []string{version}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()[VersionHeader] = v
		next.ServeHTTP(w, r)
	})
}

var (
	jsonContentType = []string{"application/json"}
	textContentType = []string{"text/plain; charset=utf-8"}
)

// writeBody writes an already encoded JSON body.
func writeBody(w http.ResponseWriter, status int, body []byte) {
	w.Header()["Content-Type"] = jsonContentType
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// writeText writes a plain-text body (the probes).
func writeText(w http.ResponseWriter, status int, text string) {
	w.Header()["Content-Type"] = textContentType
	w.WriteHeader(status)
	_, _ = io.WriteString(w, text)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "encode response: "+err.Error())
		return
	}
	writeBody(w, status, body)
}

// errorBody is the body of every error response.
type errorBody struct {
	Error string `json:"error"`
}

func writeError(w http.ResponseWriter, status int, msg string) {
	body, _ := json.Marshal(errorBody{Error: msg}) // a string field always marshals
	writeBody(w, status, body)
}
