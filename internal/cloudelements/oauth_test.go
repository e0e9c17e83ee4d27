package cloudelements

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestOAuthURL(t *testing.T) {
	var got url.Values
	var path string
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, path = r.URL.Query(), r.URL.Path
		writeJSON(w, 200, map[string]string{"element": "sfdc", "oauthUrl": "https://login.example/authorize?client_id=id1"})
	}))
	u, err := c.OAuthURL(context.Background(), OAuthURLRequest{ElementKey: "sfdc", APIKey: "id1", APISecret: "S3CRET",
		CallbackURL: "https://example.com/cb", Scope: "full refresh_token"})
	if err != nil || u != "https://login.example/authorize?client_id=id1" {
		t.Fatalf("got %q, %v", u, err)
	}
	if path != "/elements/api-v2/elements/sfdc/oauth/url" || got.Get("apiKey") != "id1" || got.Get("apiSecret") != "S3CRET" ||
		got.Get("callbackUrl") != "https://example.com/cb" || got.Get("scope") != "full refresh_token" || got.Has("state") {
		t.Fatalf("request %s?%v", path, got)
	}
}

func TestOAuthURLErrors(t *testing.T) {
	for name, answer := range map[string]func(w http.ResponseWriter){
		"refused": func(w http.ResponseWriter) {
			writeJSON(w, 400, map[string]string{"message": "bad secret S3CRET", "requestId": "rq1"})
		},
		"no url":    func(w http.ResponseWriter) { writeJSON(w, 200, map[string]string{"element": "sfdc"}) },
		"not a url": func(w http.ResponseWriter) { writeJSON(w, 200, map[string]string{"oauthUrl": "javascript:S3CRET"}) },
		"html":      func(w http.ResponseWriter) { w.WriteHeader(200); _, _ = w.Write([]byte("<html>S3CRET</html>")) },
	} {
		t.Run(name, func(t *testing.T) {
			c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { answer(w) }))
			_, err := c.OAuthURL(context.Background(), OAuthURLRequest{ElementKey: "sfdc", APIKey: "id1", APISecret: "S3CRET",
				CallbackURL: "https://example.com/cb"})
			if err == nil || strings.Contains(err.Error(), "S3CRET") || !strings.Contains(err.Error(), "/elements/sfdc/oauth/url") {
				t.Fatalf("error %v: want one naming the call, without the secret", err)
			}
		})
	}
	c := newTestClient(t, http.NotFoundHandler())
	if _, err := c.OAuthURL(context.Background(), OAuthURLRequest{ElementKey: "a/b"}); err == nil {
		t.Fatal("a key with a slash was sent")
	}
}
