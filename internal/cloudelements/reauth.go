package cloudelements

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// maskedValue is how the platform reads back a secret configuration value.
const maskedValue = "********"

// Reauthentication is the new credentials of PUT /instances/{id}?reAuthenticate=true.
// Set exactly one of OAuthCode and RefreshToken, or neither and only
// Configuration; Configuration may come with either.
type Reauthentication struct {
	// OAuthCode is the one-time code of the vendor's browser flow, sent as
	// providerData.code. A code cannot be used twice, so the request is
	// never repeated once it may have reached the platform.
	OAuthCode string
	// RefreshToken re-authorizes an OAuth instance from an existing refresh
	// token: sent as configuration oauth.user.refresh_token with
	// externalAuthentication "initial".
	RefreshToken string
	// Configuration holds new credential keys (an API key, a password, an
	// OAuth client secret), sent over the instance's own configuration.
	Configuration map[string]string
}

// secrets lists every value of r, for the masker.
func (r Reauthentication) secrets() []string {
	out := []string{r.OAuthCode, r.RefreshToken}
	for _, v := range r.Configuration {
		out = append(out, v)
	}
	return out
}

// reauthBody is the request body: the instance's definition as read, so
// that a platform treating the PUT as a replace keeps it, with the new
// credentials over it. providerData is never echoed by the platform.
type reauthBody struct {
	Element                ElementRef        `json:"element"`
	Name                   string            `json:"name"`
	Tags                   []string          `json:"tags"`
	Configuration          map[string]string `json:"configuration"`
	ExternalAuthentication string            `json:"externalAuthentication,omitempty"`
	ProviderData           *struct {
		Code string `json:"code"`
	} `json:"providerData,omitempty"`
}

// ReauthenticateInstance sends new credentials to instance id with PUT
// /instances/{id}?reAuthenticate=true and returns the instance as the
// platform answers it (usually with a new token). The instance is read
// first, for its element, name, tags and the configuration the platform
// shows in clear; masked values are left out, never sent back as
// "********". Every value of r is masked in errors and logs before the
// first request.
//
// Without an OAuth code the PUT is idempotent and retried as any other. With
// one it is repeated only when the platform surely did not see it; after an
// ambiguous failure the instance is read back, and a changed token that the
// platform calls valid is taken as success.
func (c *Client) ReauthenticateInstance(ctx context.Context, id int64, r Reauthentication) (*Instance, error) {
	c.mask.add(r.secrets()...)
	if err := checkID(http.MethodPut, id); err != nil {
		return nil, err
	}
	if r.OAuthCode != "" && r.RefreshToken != "" {
		return nil, errors.New("re-authentication: give an OAuth code or a refresh token, not both")
	}
	if r.OAuthCode == "" && r.RefreshToken == "" && len(r.Configuration) == 0 {
		return nil, errors.New("re-authentication: no new credentials given")
	}
	before, err := c.GetInstance(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("reading the instance before re-authenticating it: %w", err)
	}
	body, err := json.Marshal(reauthRequest(before, r))
	if err != nil {
		return nil, fmt.Errorf("encoding the re-authentication request: %w", err)
	}
	cl := &call{method: http.MethodPut, path: instancePath(id), query: "reAuthenticate=true", body: body,
		secrets: r.secrets(), wantID: id}
	var after *Instance
	if r.OAuthCode == "" {
		after, err = c.instanceCall(ctx, cl)
	} else {
		after, err = c.reauthOnce(c.LogContext(ctx), cl, before)
	}
	if err != nil {
		return nil, err
	}
	if dropped := droppedKeys(before, after, r); len(dropped) > 0 {
		return after, &DroppedKeysError{ID: id, Keys: dropped}
	}
	return after, nil
}

// DroppedKeysError says a re-authentication took, but the platform dropped
// configuration keys it had shown masked: they could not be sent back, and
// it replaced the configuration with what was sent. The instance returned
// with it is the one re-authenticated.
type DroppedKeysError struct {
	ID   int64
	Keys []string
}

func (e *DroppedKeysError) Error() string {
	return fmt.Sprintf("instance %d was re-authenticated, but the platform dropped the configuration keys %s, which it "+
		"shows only masked and so could not be sent back: send them again (in the re-authentication's "+
		"secret_configuration, or by applying the instance's resource)", e.ID, strings.Join(e.Keys, ", "))
}

// droppedKeys lists, sorted, the keys before showed masked (and so left
// out of the request) that r did not send either and after no longer has.
// An answer without configuration cannot tell.
func droppedKeys(before, after *Instance, r Reauthentication) []string {
	if after == nil || after.Configuration == nil {
		return nil
	}
	var out []string
	for k, v := range before.Configuration {
		_, sent := r.Configuration[k]
		_, kept := after.Configuration[k]
		if v == maskedValue && !sent && !kept && !strings.HasPrefix(strings.ToLower(k), "oauth.user.") {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// reauthRequest builds the body from the instance as read and r.
func reauthRequest(before *Instance, r Reauthentication) reauthBody {
	b := reauthBody{
		Element:       ElementRef{Key: before.Element.Key, ID: before.Element.ID},
		Name:          before.Name,
		Tags:          before.Tags,
		Configuration: map[string]string{},
	}
	if b.Element.Key == "" && b.Element.ID == 0 {
		b.Element.ID = before.ElementID
	}
	if b.Tags == nil {
		b.Tags = []string{}
	}
	for k, v := range before.Configuration {
		// The old user tokens are what is being replaced.
		if v != maskedValue && !strings.HasPrefix(strings.ToLower(k), "oauth.user.") {
			b.Configuration[k] = v
		}
	}
	for k, v := range r.Configuration {
		b.Configuration[k] = v
	}
	switch {
	case r.OAuthCode != "":
		b.ProviderData = &struct {
			Code string `json:"code"`
		}{Code: r.OAuthCode}
	case r.RefreshToken != "":
		b.ExternalAuthentication = "initial"
		b.Configuration["oauth.user.refresh_token"] = r.RefreshToken
	}
	return b
}

// reauthOnce sends a PUT carrying a one-time code: repeated only when the
// platform certainly did not see it (refused connection, 429), and after an
// ambiguous failure decided by reading the instance back.
func (c *Client) reauthOnce(ctx context.Context, cl *call, before *Instance) (*Instance, error) {
	start := time.Now()
	for n := 0; ; n++ {
		resp, err := c.attempt(ctx, cl, n+1)
		if err == nil && resp.status/100 == 2 {
			return c.decodeInstance(cl, resp.body)
		}
		if err == nil {
			err = c.apiError(cl, resp)
		}
		reason, safe, ambiguous := createFailure(resp, err)
		switch {
		case ambiguous:
			return c.reauthOutcome(ctx, cl, before, err)
		case !safe || n >= c.cfg.MaxRetries:
			return nil, gaveUp(err, n+1, start)
		}
		if err := c.wait(ctx, cl, n, reason, resp, err); err != nil {
			return nil, gaveUp(err, n+1, start)
		}
	}
}

// reauthOutcome reads the instance after an ambiguous failure: a new token
// and valid credentials mean the code was taken. Otherwise the code may
// have been spent without effect, and only a new one can tell.
func (c *Client) reauthOutcome(ctx context.Context, cl *call, before *Instance, putErr error) (*Instance, error) {
	if ctx.Err() != nil {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), detachedReconcileTimeout)
		defer cancel()
	}
	after, err := c.GetInstance(ctx, cl.wantID)
	if err != nil {
		return nil, fmt.Errorf("%w; reading the instance back to see whether the re-authentication took failed too: %w "+
			"(the OAuth code may have been used: get a new one before trying again)", putErr, err)
	}
	if after.Token != "" && after.Token != before.Token && after.Valid {
		return after, nil
	}
	return nil, fmt.Errorf("%w; the instance still has its old token, so the re-authentication did not take, but "+
		"the platform may have used the OAuth code: codes work once, so get a new one from the authorization URL "+
		"before trying again", putErr)
}
