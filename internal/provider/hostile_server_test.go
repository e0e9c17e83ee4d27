package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// Clearly fake secrets for the hostile suite, with the characters Go's JSON
// encoder escapes (& < > / " \) and URL encoders change (+ = / &).
const (
	hUser  = "FAKEusr-7Q9x&<k>/Lm2"
	hOrg   = "FAKEorg-Zp4+w=/r&8"
	hKey   = "FAKEkey-3K&k/e<y>Vb"
	hSig   = `FAKEsig-&<q>/"w\9`
	hTok   = "FAKEtok-T0k/en+=&1"
	hTok2  = "FAKEtk2-Up9/er+=<2"
	hostID = int64(1017)
)

var hostileSecrets = []string{hUser, hOrg, hKey, hSig, hTok, hTok2}

// secretEchoForms are the forms a leak scan looks for: as written,
// JSON-escaped (Go's \u0026 form and the plain form, with and without \/),
// every character \u-escaped, URL-encoded, and a 10-byte prefix (a secret
// cut in half).
func secretEchoForms(s string) []string {
	var forms []string
	for _, html := range []bool{true, false} {
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(html)
		_ = enc.Encode(s)
		j := strings.TrimSpace(b.String())
		j = j[1 : len(j)-1]
		forms = append(forms, j, strings.ReplaceAll(j, "/", `\/`))
	}
	var all strings.Builder
	for _, r := range s {
		fmt.Fprintf(&all, `\u%04x`, r)
	}
	forms = append(forms, s, all.String(), url.QueryEscape(s), url.PathEscape(s), s[:10])
	return append(forms, transformedForms(s)...)
}

// leaksOf lists every form of secrets found in any of texts, and where.
func leaksOf(secrets []string, texts ...string) []string {
	var out []string
	for _, s := range secrets {
		if l := leakOf(s, texts); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// leakOf says where the first form of s found in texts is, or "".
func leakOf(s string, texts []string) string {
	for _, f := range secretEchoForms(s) {
		for _, text := range texts {
			if i := strings.Index(text, f); i >= 0 {
				return fmt.Sprintf("%.60q (form %.60q) after %.200q", s, f, text[max(0, i-160):i])
			}
		}
	}
	return ""
}

// hostileServer is a platform double that answers as the case says; by
// default it keeps instances like the platform does.
type hostileServer struct {
	mu    sync.Mutex
	items map[int64]map[string]any
	reqs  []string // "METHOD /path"
	// hook answers a request instead of the default, when it returns true.
	hook func(w http.ResponseWriter, r *http.Request, body []byte) bool
	// shown is text the terminal showed that is no diagnostic (query
	// display names), for the escape and leak scans.
	shown strings.Builder
}

func (s *hostileServer) show(text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.shown.WriteString(text + "\n")
}

func (s *hostileServer) shownText() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.shown.String()
}

func newHostileServer() *hostileServer { return &hostileServer{items: map[int64]map[string]any{}} }

func (s *hostileServer) setHook(h func(w http.ResponseWriter, r *http.Request, body []byte) bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hook = h
}

func (s *hostileServer) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.reqs...)
}

func (s *hostileServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	p := strings.TrimPrefix(r.URL.Path, "/elements/api-v2")
	s.mu.Lock()
	s.reqs = append(s.reqs, r.Method+" "+p)
	hook := s.hook
	s.mu.Unlock()
	if !strings.HasPrefix(r.URL.Path, "/elements/api-v2/") {
		http.Error(w, "<html>not here</html>", http.StatusNotFound)
		return
	}
	if hook != nil && hook(w, r, body) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(p, "/instances/"), "/enabled"), 10, 64)
	switch {
	case r.Method == http.MethodPost && p == "/instances":
		hostileJSON(w, 200, s.createLocked(body))
	case r.Method == http.MethodGet && p == "/instances":
		list := []any{}
		for _, inst := range s.items {
			list = append(list, inst)
		}
		hostileJSON(w, 200, list)
	case s.items[id] == nil:
		hostileJSON(w, 404, map[string]any{"requestId": "r-404", "message": "No instance found"})
	case strings.HasSuffix(p, "/enabled"):
		hostileJSON(w, 200, map[string]any{})
	case r.Method == http.MethodGet:
		hostileJSON(w, 200, s.items[id])
	case r.Method == http.MethodDelete:
		delete(s.items, id)
		w.WriteHeader(200)
	default:
		hostileJSON(w, 400, map[string]any{"message": "unsupported"})
	}
}

// create keeps the instance a create request asks for, as the default
// does, and returns it (for a hook to answer it changed).
func (s *hostileServer) create(body []byte) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.createLocked(body)
}

func (s *hostileServer) createLocked(body []byte) map[string]any {
	var req struct {
		Name          string            `json:"name"`
		Tags          []string          `json:"tags"`
		Configuration map[string]string `json:"configuration"`
	}
	_ = json.Unmarshal(body, &req)
	id := hostID + int64(len(s.items))
	inst := map[string]any{
		"id": id, "name": req.Name, "createdDate": time.Now().UTC().Format(time.RFC3339),
		"token": hTok, "element": map[string]any{"id": 491, "key": "freshdeskv2"}, "elementId": 491,
		"tags": req.Tags, "valid": true, "disabled": false, "eventsEnabled": false,
		"configuration": map[string]any{"subdomain": req.Configuration["subdomain"], "filter.response.nulls": "true"},
	}
	s.items[id] = inst
	return inst
}

func hostileJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// rawJSON answers a body written by hand (for encodings an encoder would
// not produce).
func rawJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// recordingServer keeps the text of every diagnostic the provider returns:
// what Terraform shows in the terminal.
type recordingServer struct {
	tfprotov6.ProviderServer
	// The list RPCs are an interface of their own: without it Terraform
	// would be told that list resources are not implemented.
	tfprotov6.ListResourceServer
	mu   sync.Mutex
	text strings.Builder
}

func (r *recordingServer) record(diags []*tfprotov6.Diagnostic) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, d := range diags {
		if d != nil {
			r.text.WriteString(d.Summary + "\n" + d.Detail + "\n")
		}
	}
}

func (r *recordingServer) terminal() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.text.String()
}

// ListResource records what terraform query shows: each result's display
// name and diagnostics.
func (r *recordingServer) ListResource(ctx context.Context, req *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error) {
	stream, err := r.ListResourceServer.ListResource(ctx, req)
	if stream == nil || stream.Results == nil {
		return stream, err
	}
	results := stream.Results
	stream.Results = func(yield func(tfprotov6.ListResourceResult) bool) {
		for res := range results {
			r.record(res.Diagnostics)
			r.record([]*tfprotov6.Diagnostic{{Summary: res.DisplayName}})
			if !yield(res) {
				return
			}
		}
	}
	return stream, err
}

func (r *recordingServer) ConfigureProvider(ctx context.Context, req *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	resp, err := r.ProviderServer.ConfigureProvider(ctx, req)
	if resp != nil {
		r.record(resp.Diagnostics)
	}
	return resp, err
}

func (r *recordingServer) ValidateProviderConfig(ctx context.Context, req *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	resp, err := r.ProviderServer.ValidateProviderConfig(ctx, req)
	if resp != nil {
		r.record(resp.Diagnostics)
	}
	return resp, err
}

func (r *recordingServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	resp, err := r.ProviderServer.ReadResource(ctx, req)
	if resp != nil {
		r.record(resp.Diagnostics)
	}
	return resp, err
}

func (r *recordingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	resp, err := r.ProviderServer.PlanResourceChange(ctx, req)
	if resp != nil {
		r.record(resp.Diagnostics)
	}
	return resp, err
}

func (r *recordingServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	resp, err := r.ProviderServer.ApplyResourceChange(ctx, req)
	if resp != nil {
		r.record(resp.Diagnostics)
	}
	return resp, err
}

func (r *recordingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	resp, err := r.ProviderServer.ReadDataSource(ctx, req)
	if resp != nil {
		r.record(resp.Diagnostics)
	}
	return resp, err
}

// hostileLog points the TRACE log of Terraform and of the in-process
// provider (terraform-plugin-log's test sink) at a file of the test's own,
// and returns its path.
func hostileLog(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "trace.log")
	t.Setenv("TF_ACC_LOG_PATH", path)                  // Terraform CLI and the provider's sink, at TRACE
	t.Setenv("TF_LOG_PROVIDER_CLOUDELEMENTS", "TRACE") // the client logs only when asked
	t.Setenv("TF_LOG_PATH_MASK", "")
	return path
}

func readLog(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Errorf("no TRACE log: %v", err)
	}
	return string(b)
}
