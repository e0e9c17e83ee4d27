package provider

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// Hostile cases for trust in what the platform answers on the create path,
// in ids, element identity and waits (issue 19 items 8-11 and "also seen";
// the memory of item 7 is the flood figure, hostile_flood_test.go).

// passThrough answers r as the hostile server would by default (the hook
// calling it must be a once hook, which lets the second call through) and
// returns the recorded answer, so that a hook can do the work and then
// answer otherwise.
func passThrough(s *hostileServer, r *http.Request, body []byte) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(r.Method, r.URL.String(), bytes.NewReader(body)))
	return rec
}

func isPost(path string) func(*http.Request) bool {
	return func(r *http.Request) bool { return r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, path) }
}

// touched reports whether any request but a GET went to instance id: the
// provider acted on an answer about it.
func touched(id string) func(s *hostileServer) bool {
	return func(s *hostileServer) bool {
		for _, r := range s.requests() {
			if strings.Contains(r, "/instances/"+id) && !strings.HasPrefix(r, "GET ") {
				return true
			}
		}
		return false
	}
}

// createdAnswering creates the instance as the platform would, then
// answers the POST with answer; reads answers GET /instances/{id} for the
// ids it names. The state must end with the instance made.
func createdAnswering(answer func(w http.ResponseWriter), reads map[string]string) func(*hostileServer, string) []resource.TestStep {
	return func(s *hostileServer, p string) []resource.TestStep {
		post := once(isPost("/instances"), func(w http.ResponseWriter, r *http.Request, body []byte) {
			passThrough(s, r, body)
			answer(w)
		})
		s.setHook(func(w http.ResponseWriter, r *http.Request, body []byte) bool {
			if post(w, r, body) {
				return true
			}
			for id, inst := range reads {
				if isGet("/instances/" + id)(r) {
					rawJSON(w, 200, inst)
					return true
				}
			}
			return false
		})
		return []resource.TestStep{{
			Config: p + hostileResource(""),
			Check:  resource.TestCheckResourceAttr(hostileAddr, "id", fmt.Sprint(hostID)),
		}}
	}
}

// someoneElses is a well-formed instance of another name, made long ago.
const someoneElses = `{"id":1001,"name":"someone else's","createdDate":"2020-01-01T00:00:00Z","token":"` + hTok2 +
	`","element":{"id":491,"key":"freshdeskv2"},"tags":[],"configuration":{"subdomain":"acme"}}`

// maxID is what an overflowing id was clamped to; lookAlikeAtMax is an
// instance there that reads as the one requested, so that using the
// clamped id would adopt it.
const maxID = "9223372036854775807"

var lookAlikeAtMax = `{"id":` + maxID + `,"name":"hostile","createdDate":"` + time.Now().UTC().Format(time.RFC3339) +
	`","token":"` + hTok2 + `","element":{"id":491,"key":"freshdeskv2"},"tags":[],"configuration":{"subdomain":"acme"}}`

// stallLimit is how long a case that must not wait may take: less than the
// 20s create timeout it would otherwise wait out.
const stallLimit = 19 * time.Second

func hostileTrustCases() []hostileCase {
	var started time.Time
	return []hostileCase{
		{name: "Retry-After of a year", steps: func(s *hostileServer, p string) []resource.TestStep {
			// Two creates: the first POST is told to wait a year, the
			// second to wait a second. When that second has passed, the
			// second create must fail at once behind the year's pause
			// rather than stall until its 20s timeout.
			var posts atomic.Int32
			s.setHook(always(isPost("/instances"), func(w http.ResponseWriter, _ *http.Request, _ []byte) {
				wait := "1"
				if posts.Add(1) == 1 {
					wait = "31536000"
				}
				w.Header().Set("Retry-After", wait)
				hostileJSON(w, http.StatusTooManyRequests, map[string]any{"message": "slow down"})
			}))
			config := strings.Replace(hostileResource(""), "name      = \"hostile\"", "count     = 2\n  name      = \"hostile-${count.index}\"", 1)
			return []resource.TestStep{{
				PreConfig: func() { started = time.Now() },
				Config:    strings.Replace(p, "max_retries = 0", "max_retries = 3", 1) + config,
				// One word: Terraform wraps the message.
				ExpectError: regexp.MustCompile(`rate-limit`),
			}}
		}, clean: func(string) error {
			if d := time.Since(started); d > stallLimit {
				return fmt.Errorf("stalled: the apply took %s behind a year's Retry-After", d.Round(time.Second))
			}
			return nil
		}},
		{name: "look-alike dated in the future", steps: func(s *hostileServer, p string) []resource.TestStep {
			s.setHook(func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
				switch {
				case isPost("/instances")(r): // made nothing, said nothing useful
					hostileJSON(w, http.StatusBadGateway, map[string]any{"message": "proxy error"})
				case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/instances"):
					rawJSON(w, 200, `[{"id":1001,"name":"hostile","createdDate":"2099-01-01T00:00:00Z","token":"`+hTok2+
						`","element":{"id":491,"key":"freshdeskv2"},"tags":[],"configuration":{"subdomain":"acme"}}]`)
				default:
					return false
				}
				return true
			})
			return []resource.TestStep{{Config: p + hostileResource(""), ExpectError: regexp.MustCompile(`HTTP 502`)}}
		}, idsTrusted: touched("1001")},
		{name: "salvaged foreign id", steps: createdAnswering(func(w http.ResponseWriter) {
			rawJSON(w, 200, `{"id":1001,"valid":"perhaps"}`)
		}, map[string]string{"1001": someoneElses}), idsTrusted: touched("1001")},
		{name: "well-formed answer about another instance", steps: createdAnswering(func(w http.ResponseWriter) {
			rawJSON(w, 200, someoneElses)
		}, map[string]string{"1001": someoneElses}), idsTrusted: touched("1001")},
		{name: "overflowing id", steps: createdAnswering(func(w http.ResponseWriter) {
			rawJSON(w, 200, `{"id":9223372036854775808,"name":"hostile"}`)
		}, map[string]string{maxID: lookAlikeAtMax}), idsTrusted: touched("92233720368547758")},
		{name: "malformed answer after the create", steps: createdAnswering(func(w http.ResponseWriter) {
			if hj, ok := w.(http.Hijacker); ok {
				if conn, buf, err := hj.Hijack(); err == nil {
					_, _ = buf.WriteString("HTTP/1.1 2x0 Garbled\r\n\r\n")
					_ = buf.Flush()
					_ = conn.Close()
				}
			}
		}, nil)},
		{name: "listing item of another element by id", steps: func(s *hostileServer, p string) []resource.TestStep {
			s.setHook(func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
				switch strings.TrimPrefix(r.URL.Path, "/elements/api-v2") {
				case "/elements/freshdeskv2/instances":
					rawJSON(w, 200, `[{"id":1001,"name":"zd","elementId":41,"configuration":{"subdomain":"zd"}},`+
						`{"id":1017,"name":"fd","elementId":491,"configuration":{"subdomain":"acme"}}]`)
				case "/elements/freshdeskv2", "/elements/491":
					rawJSON(w, 200, `{"id":491,"key":"freshdeskv2"}`)
				case "/elements/41":
					rawJSON(w, 200, `{"id":41,"key":"zendesk"}`)
				default:
					return false
				}
				return true
			})
			return []resource.TestStep{{
				Config: p + `data "cloudelements_instances" "fd" {
  element_key = "freshdeskv2"
}
`,
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr("data.cloudelements_instances.fd", "instances.#", "1"),
					resource.TestCheckResourceAttr("data.cloudelements_instances.fd", "instances.0.id", "1017"),
				),
			}}
		}},
	}
}
