package cloudelements

import (
	"context"
	"errors"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// Issue 26, also suspected: a re-authentication leaves out the keys the
// platform shows masked (it cannot send them back). Where the platform
// replaces the configuration (emulator ReauthReplaces) they are lost: the
// client says which, with the re-authenticated instance; where it merges,
// nothing is said.
func TestReauthenticateDroppedMaskedKeys(t *testing.T) {
	t.Parallel()
	for _, replaces := range []bool{false, true} {
		em := emulator.New(emulator.Options{UserSecret: testUserSecret, OrganizationSecret: testOrgSecret,
			Variance: emulator.Variance{ReauthReplaces: replaces}})
		srv := httptest.NewServer(em)
		defer srv.Close()
		c, err := New(testConfig(srv.URL))
		if err != nil {
			t.Fatal(err)
		}
		inst := em.PutInstance(emulator.Instance{Name: "crm", ElementKey: "sfdc", Configuration: map[string]string{
			"oauth.api.key": "client-id", "oauth.api.secret": "client-secret", "oauth.callback.url": "https://cb"}})
		after, err := c.ReauthenticateInstance(context.Background(), inst.ID, Reauthentication{OAuthCode: "code-1"})
		var dropped *DroppedKeysError
		switch {
		case !replaces && err != nil:
			t.Errorf("merging platform: %v", err)
		case replaces && (!errors.As(err, &dropped) || !slices.Equal(dropped.Keys, []string{"oauth.api.key", "oauth.api.secret"})):
			t.Errorf("replacing platform: %v", err)
		case after == nil || after.Token == inst.Token:
			t.Errorf("replaces %v: the re-authenticated instance is not returned: %+v", replaces, after)
		}
	}
}
