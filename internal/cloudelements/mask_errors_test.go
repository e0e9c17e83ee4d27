package cloudelements

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

// Issue 19 item 4: platform messages are capped, opaque runs dropped, and a
// secret split across message and providerMessage is masked in both.
func TestPlatformTextShowsNoOpaqueFragments(t *testing.T) {
	unknown := strings.Repeat("Qk9fZ3Vlc3M", 10) // 110 bytes the client never saw
	body := `{"requestId":"r1","message":"bad key ` + testUserSecret[:8] + `","providerMessage":"` +
		testUserSecret[8:] + ` seen; other ` + unknown + ` ` + strings.Repeat("word ", 1000) + `"}`
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(body))
	}))
	_, err := c.GetInstance(context.Background(), 12)
	var apiErr *Error
	if !errors.As(err, &apiErr) {
		t.Fatal(err)
	}
	if apiErr.Message != "bad key "+redacted || !strings.HasPrefix(apiErr.ProviderMessage, redacted+" seen;") {
		t.Errorf("halves shown: %q / %.40q", apiErr.Message, apiErr.ProviderMessage)
	}
	if strings.Contains(err.Error(), unknown[:20]) || !strings.Contains(err.Error(), "<110 opaque bytes>") {
		t.Errorf("opaque run shown: %s", err)
	}
	if len(apiErr.ProviderMessage) > maxPlatformText+len("…") {
		t.Errorf("provider message of %d bytes, cap %d", len(apiErr.ProviderMessage), maxPlatformText)
	}
}
