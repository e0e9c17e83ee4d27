package provider

import (
	"context"
	"errors"
	"net"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// TestAccHostNotFoundHint (issue 28 item 5): a mistyped host is reported
// at once, with the hint to check base_url and where it came from, not
// retried as a transient fault (the client's TestHostNotFoundNotRetried
// times that). ".invalid" never resolves.
func TestAccHostNotFoundHint(t *testing.T) {
	parallel(t)
	if _, err := net.DefaultResolver.LookupHost(context.Background(), "nonexistent.invalid"); err == nil {
		t.Skip("nonexistent.invalid resolves here")
	} else if de := (*net.DNSError)(nil); !errors.As(err, &de) || !de.IsNotFound {
		t.Skipf("this machine's resolver does not answer NXDOMAIN: %v", err)
	}
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBaseURL("https://nonexistent.invalid/elements/api-v2")(nil) +
				`data "cloudelements_instance" "x" { id = "1" }` + "\n",
			ExpectError: errorWith(`"nonexistent.invalid" does not resolve`, "nothing was sent",
				`The platform host "nonexistent.invalid" does not exist. Check base_url (taken from base_url) for a typo;`,
				"the known hosts are https://api.cloud-elements.com/elements/api-v2"),
		}},
	})
}
