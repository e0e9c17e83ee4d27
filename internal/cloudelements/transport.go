package cloudelements

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sync/atomic"
	"syscall"
	"time"
)

// maxBody caps every answer we read, so a hostile or broken endpoint cannot
// exhaust memory.
const maxBody = 8 << 20

var errBodyTooLarge = errors.New("response body exceeds 8 MiB")

// call is one logical request; attempts share it.
type call struct {
	method string
	path   string
	query  string // encoded, without "?"
	body   []byte // nil means no body
	// secrets are values this request sends (API keys, signature keys);
	// the Client masks them from its first attempt on, for its whole life.
	secrets []string
	// wantID is the instance the call is about (0: none); an answer about
	// another instance is an error.
	wantID int64
	// elementToken is an instance token for the token-scoped calls, sent
	// as the Element part of the Authorization header.
	elementToken string
	// listing marks a page of a listing: its body is never logged (see
	// traceListed).
	listing bool
}

// response is a fully read answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

// failKind says how an attempt failed, which decides retry and reconcile.
type failKind int

const (
	failRefused failKind = iota + 1 // nothing reached the server
	failTimeout                     // attempt timeout: may have been processed
	failReset                       // reset or EOF after sending: may have been processed
	failCaller                      // the caller's context ended
	failFatal                       // not retryable (TLS, body cap, bad request build)
)

// transportError is an attempt that produced no usable answer.
type transportError struct {
	method, path string
	kind         failKind
	reason       string
	err          error
	// sent is true when the whole request was written: the server may have
	// acted on it, whatever went wrong after.
	sent bool
}

func (e *transportError) Error() string {
	return fmt.Sprintf("%s %s: %s: %v", e.method, e.path, e.reason, e.err)
}

func (e *transportError) Unwrap() error { return e.err }

// attempt sends cl once, bounded by AttemptTimeout, and reads the whole body.
func (c *Client) attempt(ctx context.Context, cl *call, n int) (*response, error) {
	c.mask.add(cl.secrets...)
	actx, cancel := context.WithTimeout(ctx, c.cfg.AttemptTimeout)
	defer cancel()

	target := c.baseURL + cl.path
	if cl.query != "" {
		target += "?" + cl.query
	}
	var body io.Reader
	if cl.body != nil {
		body = bytes.NewReader(cl.body)
	}
	var sent atomic.Bool
	actx = httptrace.WithClientTrace(actx, &httptrace.ClientTrace{
		WroteRequest: func(i httptrace.WroteRequestInfo) { sent.Store(i.Err == nil) },
	})
	req, err := http.NewRequestWithContext(actx, cl.method, target, body)
	if err != nil {
		return nil, &transportError{method: cl.method, path: cl.path, kind: failFatal, reason: "building request", err: err}
	}
	if cl.elementToken != "" {
		req.Header.Set("Authorization", c.authHeader+", Element "+cl.elementToken)
	} else {
		req.Header.Set("Authorization", c.authHeader)
	}
	req.Header.Set("Accept", "application/json")
	if cl.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.cfg.UserAgent != "" {
		req.Header.Set("User-Agent", c.cfg.UserAgent)
	} else {
		// An empty value stops net/http adding its own.
		req.Header["User-Agent"] = []string{""}
	}

	if err := c.holdForRateLimit(ctx); err != nil {
		kind := failRefused
		if errors.Is(err, errPausePastDeadline) {
			kind = failFatal // waiting again cannot help
		}
		return nil, &transportError{method: cl.method, path: cl.path, kind: kind, reason: "not sent", err: err}
	}
	start := time.Now()
	c.traceRequest(ctx, cl, req.Header, n)
	resp, err := c.http.Do(req)
	if err != nil {
		te := c.classify(ctx, actx, cl, err)
		te.sent = sent.Load()
		c.logFailure(ctx, cl, n, time.Since(start), te)
		return nil, te
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err == nil && len(data) > maxBody {
		err = errBodyTooLarge
	}
	if err != nil {
		var te *transportError
		if errors.Is(err, errBodyTooLarge) {
			te = &transportError{cl.method, cl.path, failFatal, fmt.Sprintf("HTTP %d", resp.StatusCode), err, true}
		} else {
			te = c.classify(ctx, actx, cl, err)
			// Headers arrived, so the server saw the request.
			if te.kind == failRefused {
				te.kind = failReset
			}
			te.sent = true
		}
		c.logFailure(ctx, cl, n, time.Since(start), te)
		return nil, te
	}
	r := &response{status: resp.StatusCode, header: resp.Header, body: data}
	if r.status == http.StatusTooManyRequests {
		if d, ok := retryAfter(r.header.Get("Retry-After"), time.Now()); ok {
			c.pauseFor(d)
		}
	}
	c.learnAnswer(cl, r.body) // before anything shows it
	c.logResponse(ctx, cl, r, n, time.Since(start))
	return r, nil
}

// classify sorts a transport error into a failKind and a short reason that
// also names the retry counter.
func (c *Client) classify(ctx, actx context.Context, cl *call, err error) *transportError {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // its text repeats the URL
	}
	te := &transportError{method: cl.method, path: cl.path, err: err}
	var opErr *net.OpError
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	switch {
	case ctx.Err() != nil:
		te.kind, te.reason = failCaller, "request abandoned"
		te.err = fmt.Errorf("%w (%v)", context.Cause(ctx), err)
	case errors.Is(actx.Err(), context.DeadlineExceeded):
		te.kind, te.reason = failTimeout, "timeout"
		te.err = fmt.Errorf("no answer within %s", c.cfg.AttemptTimeout)
	case errors.As(err, &certErr), errors.As(err, &unknownAuth), errors.As(err, &hostErr):
		te.kind, te.reason = failFatal, "TLS verification failed"
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		// The name does not exist (NXDOMAIN): asking again cannot help, and
		// it is most likely a typo in the base URL, so say so at once.
		te.kind, te.reason = failFatal, "DNS lookup failed"
		te.err = fmt.Errorf("%w: %q does not resolve (%s); nothing was sent", ErrHostNotFound,
			dnsErr.Name, dnsErr.Err)
	case errors.Is(err, syscall.ECONNREFUSED):
		te.kind, te.reason = failRefused, "connection refused"
	case errors.As(err, &opErr) && opErr.Op == "dial":
		te.kind, te.reason = failRefused, "dial failed"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		te.kind, te.reason = failReset, "connection reset"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		te.kind, te.reason = failReset, "connection closed"
	default:
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			te.kind, te.reason = failTimeout, "timeout"
		} else {
			// The text may quote what the server sent (a malformed status
			// line, say): clean it as any platform text.
			te.kind, te.reason = failFatal, "request failed"
			te.err = errors.New(c.platformText(err.Error(), 500))
		}
	}
	return te
}
