package cloudelements

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

// enableHost serves the enable/disable forms; byID says how the by-id form
// is answered when the host lacks it (0: it serves it).
func enableHost(byID int, byIDBody string, gone bool) *recorder {
	return &recorder{h: func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/instances/enabled"):
			if gone || !strings.HasSuffix(r.Header.Get("Authorization"), ", Element tok/en=") {
				writeJSON(w, 401, map[string]string{"message": "Invalid Element token provided."})
				return
			}
			w.WriteHeader(200)
		case strings.HasSuffix(r.URL.Path, "/enabled") && gone:
			platformNotFound(w)
		case strings.HasSuffix(r.URL.Path, "/enabled") && byID != 0:
			w.WriteHeader(byID)
			_, _ = w.Write([]byte(byIDBody))
		case strings.HasSuffix(r.URL.Path, "/enabled"):
			w.WriteHeader(200)
		default:
			platformNotFound(w)
		}
	}}
}

func TestSetEnabledByID(t *testing.T) {
	rec := enableHost(0, "", false)
	c := newTestClient(t, rec)
	for _, enabled := range []bool{false, true} {
		if err := c.SetInstanceEnabled(context.Background(), 5, "tok/en=", enabled); err != nil {
			t.Fatal(err)
		}
	}
	want := "DELETE /instances/5/enabled,PUT /instances/5/enabled"
	if got := strings.Join(rec.requests(), ","); got != want {
		t.Errorf("requests %s", got)
	}
	if strings.Contains(rec.auth[0], "Element") {
		t.Errorf("by-id form sent the token: %s", rec.auth[0])
	}
}

// A host without the by-id form (the Help Centers' documented API) gets the
// token-scoped form, and later calls go straight there.
func TestSetEnabledTokenScoped(t *testing.T) {
	for name, tc := range map[string]struct {
		status int
		body   string
	}{
		"html 404":   {404, "<html>Not Found</html>"},
		"empty 404":  {404, ""},
		"405":        {405, ""},
		"json 404":   {404, `{"requestId":"r","message":"Not found"}`}, // unknown path, platform-style
		"json 405 d": {405, `{"message":"Method not allowed"}`},
	} {
		rec := enableHost(tc.status, tc.body, false)
		c := newTestClient(t, rec)
		for _, enabled := range []bool{false, true} {
			if err := c.SetInstanceEnabled(context.Background(), 5, "tok/en=", enabled); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		want := "DELETE /instances/5/enabled,DELETE /instances/enabled,PUT /instances/enabled"
		if got := strings.Join(rec.requests(), ","); got != want {
			t.Errorf("%s: requests %s", name, got)
		}
		wantAuth := "User " + testUserSecret + ", Organization " + testOrgSecret + ", Element tok/en="
		if rec.auth[1] != wantAuth || rec.auth[2] != wantAuth {
			t.Errorf("%s: Authorization %q", name, rec.auth[1:])
		}
	}
}

func TestSetEnabledErrors(t *testing.T) {
	// No by-id form and no token: say so.
	c := newTestClient(t, enableHost(405, "", false))
	err := c.SetInstanceEnabled(context.Background(), 5, "", true)
	if err == nil || !strings.Contains(err.Error(), "needs the instance's token") {
		t.Errorf("no token: %v", err)
	}
	// A token that cannot travel in a header is refused before sending.
	rec := enableHost(405, "", false)
	c = newTestClient(t, rec)
	err = c.SetInstanceEnabled(context.Background(), 5, "a,b", true)
	if err == nil || strings.Contains(err.Error(), "a,b") || len(rec.requests()) != 1 {
		t.Errorf("bad token: %v %v", err, rec.requests())
	}
	// The instance is gone: the platform's 404 is returned, after one try
	// of the token-scoped form.
	rec = enableHost(0, "", true)
	c = newTestClient(t, rec)
	err = c.SetInstanceEnabled(context.Background(), 5, "tok/en=", false)
	var apiErr *Error
	if !IsNotFound(err) || !errors.As(err, &apiErr) || apiErr.Path != "/instances/5/enabled" || len(rec.requests()) != 2 {
		t.Errorf("gone: %v %v", err, rec.requests())
	}
	// A host known to serve the by-id form does not try the other one.
	rec = enableHost(0, "", false)
	c = newTestClient(t, rec)
	if err := c.SetInstanceEnabled(context.Background(), 5, "tok/en=", true); err != nil {
		t.Fatal(err)
	}
	rec.mu.Lock()
	rec.h = enableHost(0, "", true).h
	rec.mu.Unlock()
	if err := c.SetInstanceEnabled(context.Background(), 5, "tok/en=", true); !IsNotFound(err) || len(rec.requests()) != 2 {
		t.Errorf("known by-id host: %v %v", err, rec.requests())
	}
}
