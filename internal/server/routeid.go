package server

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"
)

// routeID reads the {id} of a route: a positive integer, else errNotFound (a malformed address
// names nothing).
func routeID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
}
