package cloudelements

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// OAuthURLRequest asks for the authorization URL of an OAuth element's
// browser flow (GET /elements/{key}/oauth/url).
type OAuthURLRequest struct {
	ElementKey  string
	APIKey      string // the OAuth client id registered with the vendor
	APISecret   string // the OAuth client secret; masked everywhere
	CallbackURL string
	// Scope, State and SiteAddress are sent only when set; some elements
	// need them (HubSpot a scope, Salesforce-based elements a site).
	Scope       string
	State       string
	SiteAddress string
}

// OAuthURL returns the URL to open in a browser so that the vendor asks the
// user to grant access and then calls the callback URL with a code. The
// client secret travels in the query, as the platform wants it, and is
// masked in every log line and error.
func (c *Client) OAuthURL(ctx context.Context, r OAuthURLRequest) (string, error) {
	c.mask.add(r.APISecret) // the client id is no secret: the URL shows it to the browser
	key := strings.TrimSpace(r.ElementKey)
	if key == "" || strings.ContainsAny(key, "/?#") {
		return "", fmt.Errorf("GET /elements/{key}/oauth/url: element key %q is not a key", r.ElementKey)
	}
	q := url.Values{}
	for name, v := range map[string]string{"apiKey": r.APIKey, "apiSecret": r.APISecret, "callbackUrl": r.CallbackURL,
		"scope": r.Scope, "state": r.State, "siteAddress": r.SiteAddress} {
		if v != "" {
			q.Set(name, v)
		}
	}
	cl := &call{method: http.MethodGet, path: "/elements/" + url.PathEscape(key) + "/oauth/url", query: q.Encode(),
		secrets: []string{r.APISecret}}
	resp, err := c.do(c.LogContext(ctx), cl)
	if err != nil {
		return "", err
	}
	var answer struct {
		OAuthURL string `json:"oauthUrl"`
	}
	if err := expectJSON(resp.body, '{', "an object"); err != nil {
		return "", c.decodeError(cl, err)
	}
	if err := json.Unmarshal(resp.body, &answer); err != nil {
		return "", c.decodeError(cl, err)
	}
	u, err := url.Parse(answer.OAuthURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", c.decodeError(cl, errors.New("the answer has no oauthUrl that is an http(s) URL"))
	}
	return answer.OAuthURL, nil
}
