package faultapp

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/coalmine/coalmine/faults"
	"go.yaml.in/yaml/v3"
)

// maxFaultsBytes bounds a PUT /admin/faults body.
const maxFaultsBytes = 1 << 20

// AdminHandler returns the admin API: GET /admin/faults returns the live
// faults (JSON, or YAML when the Accept header asks for yaml), PUT
// /admin/faults replaces them atomically with a YAML or JSON body ("{}"
// clears them). Every request needs "Authorization: Bearer <AdminToken>"
// (401 otherwise; always 401 when no token is configured). A body that
// does not decode or validate gets 400 with the reason and changes
// nothing.
func (s *Server) AdminHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /admin/faults", s.handleGetFaults)
	mux.HandleFunc("PUT /admin/faults", s.handlePutFaults)
	return withVersion(s.opts.Version, s.requireToken(mux))
}

func (s *Server) requireToken(next http.Handler) http.Handler {
	want := []byte("Bearer " + s.opts.AdminToken)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := []byte(r.Header.Get("Authorization"))
		if s.opts.AdminToken == "" || subtle.ConstantTimeCompare(got, want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="faultapp-admin"`)
			writeError(w, http.StatusUnauthorized, "missing or wrong bearer token")
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) handleGetFaults(w http.ResponseWriter, r *http.Request) {
	s.writeFaults(w, r, s.Faults())
}

func (s *Server) handlePutFaults(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxFaultsBytes))
	if err != nil {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("read body: %v", err))
		return
	}
	if len(bytes.TrimSpace(body)) == 0 {
		writeError(w, http.StatusBadRequest, "empty body: send {} to clear all faults")
		return
	}
	f, err := faults.Decode(body)
	if err == nil {
		err = s.SetFaults(f)
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	enc, _ := faults.Encode(f) // validated faults always encode
	s.log.Info("faults replaced via admin API", "faults", string(enc))
	s.writeFaults(w, r, s.Faults())
}

func (s *Server) writeFaults(w http.ResponseWriter, r *http.Request, f *faults.Faults) {
	if strings.Contains(r.Header.Get("Accept"), "yaml") {
		body, err := yaml.Marshal(f)
		if err != nil {
			writeError(w, http.StatusInternalServerError, err.Error())
			return
		}
		w.Header().Set("Content-Type", "application/yaml")
		_, _ = w.Write(body)
		return
	}
	body, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeBody(w, http.StatusOK, append(body, '\n'))
}
