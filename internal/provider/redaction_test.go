package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// API keys of the redaction lifecycle.
const (
	redKey1 = "fd-redact-key-one-c3f9e1"
	redKey2 = "fd-redact-key-two-8b27d4"
)

// echoProxy fronts the emulator, keeps every answer body and, when armed,
// answers the next matching request with a 400 whose body echoes the
// request, its Authorization header and every instance token, as some
// platform error pages do.
type echoProxy struct {
	emu      *emulator.Server
	armed    atomic.Value // method to answer with the echo, "" for none
	echoed   atomic.Int64
	mu       sync.Mutex
	answered [][]byte
}

func (p *echoProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if m, _ := p.armed.Load().(string); m != "" && r.Method == m && p.armed.CompareAndSwap(m, "") {
		body, _ := io.ReadAll(r.Body)
		var tokens []string
		for _, inst := range p.emu.Instances() {
			tokens = append(tokens, inst.Token)
		}
		p.echoed.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Elements-Request-Id", "echo0000000000000000000001")
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{
			"requestId":       "echo0000000000000000000001",
			"message":         "Invalid request " + string(body) + " sent with Authorization: " + r.Header.Get("Authorization"),
			"providerMessage": "tokens in use: " + strings.Join(tokens, ", ") + "; body " + string(body),
		})
		return
	}
	rec := httptest.NewRecorder()
	p.emu.ServeHTTP(rec, r)
	p.mu.Lock()
	p.answered = append(p.answered, rec.Body.Bytes())
	p.mu.Unlock()
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

// entryStart marks the first line of an hclog text entry.
var entryStart = regexp.MustCompile(`(?m)^\d{4}-\d\d-\d\dT`)

// logEntries splits a log into entries, continuation lines included, and
// any text before the first entry.
func logEntries(logs []byte) [][]byte {
	starts := entryStart.FindAllIndex(logs, -1)
	cuts := []int{0}
	for _, st := range starts {
		cuts = append(cuts, st[0])
	}
	cuts = append(cuts, len(logs))
	out := make([][]byte, 0, len(cuts))
	for i := 1; i < len(cuts); i++ {
		out = append(out, logs[cuts[i-1]:cuts[i]])
	}
	return out
}

var tokenField = regexp.MustCompile(`"token"\s*:\s*"([^"]+)"`)

// issuedTokens is every token found in an answer or held by the emulator.
func (p *echoProxy) issuedTokens() []string {
	seen := map[string]bool{}
	p.mu.Lock()
	for _, b := range p.answered {
		for _, m := range tokenField.FindAllSubmatch(b, -1) {
			seen[string(m[1])] = true
		}
	}
	p.mu.Unlock()
	for _, inst := range p.emu.Instances() {
		seen[inst.Token] = true
	}
	out := make([]string, 0, len(seen))
	for tok := range seen {
		if tok != "" {
			out = append(out, tok)
		}
	}
	return out
}

func redactionConfig(baseURL, name, subdomain, key string) string {
	return fmt.Sprintf(`provider "cloudelements" {
  base_url    = %q
  max_retries = 0
}

resource "cloudelements_freshdesk_instance" "test" {
  name      = %q
  subdomain = %q
  api_key   = %q
  tags      = ["redaction"]
}
`, baseURL, name, subdomain, key)
}

// TestAccRedaction_lifecycleLogs drives create, update, re-provision,
// import, an echoing 400 and destroy with TRACE logging, then scans every
// log byte and the error text for secrets. Not parallel: it uses t.Setenv.
func TestAccRedaction_lifecycleLogs(t *testing.T) {
	serial(t) // it sets environment variables
	if os.Getenv(envRealPlatform) != "" {
		t.Skip("needs the emulator")
	}
	logPath := filepath.Join(t.TempDir(), "terraform.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_LOG_PROVIDER", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logPath)
	// Secrets from the environment, so the harness's own echo of the
	// configuration does not hold them.
	t.Setenv(envUserSecret, testUserSecret)
	t.Setenv(envOrganizationSecret, testOrganizationSecret)

	proxy := &echoProxy{emu: emulator.New(emulator.Options{UserSecret: testUserSecret, OrganizationSecret: testOrganizationSecret, Seed: 7})}
	proxy.armed.Store("")
	srv := httptest.NewServer(proxy)
	defer srv.Close()
	baseURL := srv.URL + emulator.BasePath

	var failure string // the error text of the echoed 400
	var tokensSeen []string
	collect := func(*terraform.State) error {
		tokensSeen = append(tokensSeen, proxy.issuedTokens()...)
		return nil
	}
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		ErrorCheck: func(err error) error {
			if proxy.echoed.Load() == 1 && strings.Contains(err.Error(), "HTTP 400") {
				failure = err.Error()
				return nil // expected: inspected below
			}
			return err
		},
		Steps: []resource.TestStep{
			{Config: redactionConfig(baseURL, "Redaction", "redact", redKey1), Check: collect},
			{Config: redactionConfig(baseURL, "Redaction renamed", "redact", redKey1), Check: collect},
			{Config: redactionConfig(baseURL, "Redaction renamed", "redact-eu", redKey1), Check: collect},
			{
				Config: redactionConfig(baseURL, "Redaction renamed", "redact-eu", redKey1), ResourceName: instanceAddr,
				ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"api_key"},
			},
			{
				// The platform answers the re-provision with a 400 echoing the
				// request: new key, both secrets and the tokens.
				PreConfig: func() { proxy.armed.Store(http.MethodPut) },
				Config:    redactionConfig(baseURL, "Redaction renamed", "redact-fail", redKey2),
			},
		},
	})
	if proxy.echoed.Load() != 1 || failure == "" {
		t.Fatalf("the echoing 400 was not answered and reported (echoed %d, error %q)", proxy.echoed.Load(), failure)
	}
	tokensSeen = append(tokensSeen, proxy.issuedTokens()...)
	if len(slices.Compact(slices.Sorted(slices.Values(tokensSeen)))) < 2 {
		t.Fatalf("want the tokens from create and re-provision, found %v", tokensSeen)
	}
	secrets := []string{testUserSecret, testOrganizationSecret, redKey1, redKey2}
	for _, tok := range tokensSeen {
		if !slices.Contains(secrets, tok) {
			secrets = append(secrets, tok)
		}
	}

	for _, s := range secrets {
		if strings.Contains(failure, s) {
			t.Errorf("the error message holds secret %q:\n%s", s, failure)
		}
	}
	if !strings.Contains(failure, "echo0000000000000000000001") {
		t.Errorf("the error message lost the request id:\n%s", failure)
	}

	logs, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	if keep := os.Getenv("CE_KEEP_LOG"); keep != "" {
		_ = os.WriteFile(keep, logs, 0o600)
	}
	found, harness := 0, 0
	for _, text := range logEntries(logs) {
		for _, s := range secrets {
			if !bytes.Contains(text, []byte(s)) {
				continue
			}
			if bytes.Contains(text[:min(len(text), 80)], []byte("] sdk.helper_resource:")) {
				harness++ // the test harness echoing the test's own configuration
				continue
			}
			found++
			t.Errorf("the logs hold secret %q in: %.1500s", s, text)
		}
	}
	for _, want := range []string{"] cloudelements.cloudelements: sending request", "path=/instances/", "status=400", "] sdk.framework:"} {
		if !bytes.Contains(logs, []byte(want)) {
			t.Errorf("the logs lack %q: TRACE logging was not on", want)
		}
	}
	if len(logs) < 10<<10 {
		t.Errorf("only %d log bytes: TRACE logging was not on", len(logs))
	}
	t.Logf("redaction: log_bytes=%d secrets_found=%d (secrets searched %d; harness config echoes skipped %d)", len(logs), found, len(secrets), harness)
}
