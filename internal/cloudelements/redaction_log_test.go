package cloudelements

import (
	"bytes"
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// TestRememberTokenMasksStateToken covers a fresh Client (a new Terraform
// command) whose first call fails with a body echoing a token it knows only
// from state: without RememberToken the token would leak.
func TestRememberTokenMasksStateToken(t *testing.T) {
	stateToken := testToken + "-77" // what the echoing handler puts in its error body
	for _, remember := range []bool{false, true} {
		var buf bytes.Buffer
		t.Setenv("TF_LOG", "TRACE") // the client logs only when Terraform would show it
		ctx := tflogtest.RootLogger(context.Background(), &buf)
		var status atomic.Int32
		status.Store(400)
		c := newTestClient(t, echoing(&status))
		if remember {
			c.RememberToken(stateToken)
			c.RememberToken("") // ignored
		}
		_, err := c.ReplaceInstance(ctx, 77, testRequest())
		if err == nil {
			t.Fatal("no error")
		}
		leaked := strings.Contains(err.Error(), stateToken) || strings.Contains(buf.String(), stateToken)
		if remember && leaked {
			t.Errorf("remembered token leaked:\nerror %s\nlog %s", err, buf.String())
		}
		if !remember && !leaked {
			t.Logf("the client masked the token without RememberToken") // fine, just unproven here
		}
		if remember {
			assertNoSecret(t, "error", err.Error())
			assertNoSecret(t, "log", buf.String())
			if buf.Len() < 200 || !strings.Contains(buf.String(), "response") {
				t.Errorf("no response logged: %s", buf.String())
			}
		}
	}
}
