package harness

import (
	"errors"
	"net"
	"net/http"
	"strconv"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// Emulator is the emulator served in-process on a loopback port.
type Emulator struct {
	*emulator.Server
	// BaseURL is what the provider's base_url must be.
	BaseURL string
	opts    emulator.Options
	srv     *http.Server
}

// StartEmulator serves a new emulator on 127.0.0.1 at a free port.
func StartEmulator(opts emulator.Options) (*Emulator, error) {
	if opts.UserSecret == "" {
		opts.UserSecret = "test-user-secret"
	}
	if opts.OrganizationSecret == "" {
		opts.OrganizationSecret = "test-organization-secret"
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	e := &Emulator{
		Server:  emulator.New(opts),
		BaseURL: "http://" + ln.Addr().String() + emulator.BasePath,
		opts:    opts,
	}
	e.srv = &http.Server{Handler: e.Server}
	go func() {
		if err := e.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			panic(err)
		}
	}()
	return e, nil
}

// Env configures the provider for this emulator. maxRetries 0 leaves the
// provider's default.
func (e *Emulator) Env(maxRetries int) []string {
	env := []string{
		"CLOUDELEMENTS_BASE_URL=" + e.BaseURL,
		"CLOUDELEMENTS_USER_SECRET=" + e.opts.UserSecret,
		"CLOUDELEMENTS_ORGANIZATION_SECRET=" + e.opts.OrganizationSecret,
	}
	if maxRetries > 0 {
		env = append(env, "CLOUDELEMENTS_MAX_RETRIES="+strconv.Itoa(maxRetries))
	}
	return env
}

// Close stops serving.
func (e *Emulator) Close() error { return e.srv.Close() }
