package emulator

// Writing replies, faults included.

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"
)

// faultReply is the error answer of an injected status fault.
func faultReply(status int, retryAfter string) reply {
	rep := reply{status: status, message: http.StatusText(status)}
	switch status {
	case http.StatusTooManyRequests:
		rep.message = "Rate limit exceeded: too many requests, retry later"
	case http.StatusInternalServerError:
		rep.message = "Internal server error"
	case http.StatusBadGateway:
		rep.message = "Provider server error"
		rep.vendor = "The provider's server returned an unexpected error"
	case http.StatusServiceUnavailable:
		rep.message = "Service temporarily unavailable"
	case http.StatusGatewayTimeout:
		rep.message = "Gateway timeout"
	}
	if retryAfter != "" {
		rep.header = http.Header{"Retry-After": {retryAfter}}
	}
	return rep
}

// answer writes rep and records its status.
func (s *Server) answer(w http.ResponseWriter, rec *Request, reqID string, rep reply) {
	s.finish(rec, rep.status)
	writeReply(w, reqID, rep)
}

func (s *Server) finish(rec *Request, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec.Status = status
	if status != 0 {
		s.stats.ByStatus[status]++
	}
}

func writeReply(w http.ResponseWriter, reqID string, rep reply) {
	h := w.Header()
	for k, v := range rep.header {
		h[k] = v
	}
	if rep.raw != nil {
		// Not the platform: no request id, and the body as it is.
		if rep.raw.contentType != "" {
			h.Set("Content-Type", rep.raw.contentType)
		}
		h.Set("Content-Length", strconv.Itoa(len(rep.raw.body)))
		w.WriteHeader(rep.status)
		_, _ = io.WriteString(w, rep.raw.body)
		return
	}
	h.Set("Elements-Request-Id", reqID)
	h.Set("Content-Type", "application/json;charset=UTF-8")
	body := rep.body
	if rep.status >= 400 {
		body = errorJSON{RequestID: reqID, Message: rep.message, ProviderMessage: rep.vendor}
	}
	b, err := json.Marshal(body)
	if err != nil {
		rep.status = http.StatusInternalServerError
		b, _ = json.Marshal(errorJSON{RequestID: reqID, Message: "Internal server error"})
	}
	w.WriteHeader(rep.status)
	_, _ = w.Write(append(b, '\n'))
}

// dropConn closes the connection without an answer. With SO_LINGER 0 the
// client sees a reset rather than a clean EOF.
func dropConn(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if ok {
		if conn, _, err := hj.Hijack(); err == nil {
			if tc, ok := conn.(*net.TCPConn); ok {
				_ = tc.SetLinger(0)
			}
			_ = conn.Close()
			return
		}
	}
	// Not hijackable (e.g. HTTP/2): abort the response instead.
	panic(http.ErrAbortHandler)
}

// writeMalformed answers with a status line no HTTP client can parse, then
// closes the connection: the client sees a protocol error after its request
// was sent (as from a broken proxy or an HTTP/2 stream reset).
func writeMalformed(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		return
	}
	_, _ = buf.WriteString("HTTP/1.1 2x0 Garbled\r\nContent-Length: 2\r\n\r\n{}")
	_ = buf.Flush()
	_ = conn.Close()
}

// sleepCtx waits d unless ctx ends first; it reports whether d elapsed.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
