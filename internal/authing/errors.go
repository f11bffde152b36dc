package authing

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
)

// Outcome says whether a failed call that is not idempotent (TriggerWebhook,
// CreateWebhook) may have taken effect.
type Outcome int

const (
	// NotApplicable is the outcome of idempotent calls, which are simply retried.
	NotApplicable Outcome = iota
	// NotProcessed means the API surely did not process the request.
	NotProcessed
	// MayHaveTakenEffect means the request may have reached Authing and taken effect (a
	// timeout, a cut connection, a 5xx answer): the outcome is unknown.
	MayHaveTakenEffect
	// EndpointFailed means the request took effect and failed further on: Authing called
	// the webhook's endpoint and reports that the endpoint failed (statusCode 601-603,
	// Authing's error codes for a call to a third-party endpoint). The webhook fired; the
	// outcome is known.
	EndpointFailed
)

// IsEndpointFailure reports whether a business statusCode is one of Authing's codes for a
// third-party endpoint that failed: 601 EndpointRequestError (no answer), 602
// EndpointResponseError (an error answer), and 603.
func IsEndpointFailure(statusCode int) bool {
	return statusCode >= 601 && statusCode <= 603
}

// Error is a failed API call with every fact known about it.
type Error struct {
	// Operation names the call, such as "trigger webhook".
	Operation string
	// HTTPStatus is the HTTP status code, or 0 when no answer arrived.
	HTTPStatus int
	// StatusCode, APICode, Message and RequestID come from the response body, when it had them.
	StatusCode int
	APICode    int
	Message    string
	RequestID  string
	// Attempts is how many requests were sent for this call.
	Attempts int
	// Outcome says whether a call that is not idempotent may have taken effect.
	Outcome Outcome
	// NotFound is set only on positive evidence that the object does not exist: an HTTP
	// 200 answer with statusCode 404, or a read whose data is null or absent.
	NotFound bool
	// CredentialsRefused is set when Authing refused the access key (a 4xx answer to the
	// token request, throttling aside).
	CredentialsRefused bool
	// Err is the underlying transport or decoding error, if any.
	Err error
}

// Error renders every known fact on one line.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Operation)
	b.WriteString(" failed")
	var facts []string
	if e.HTTPStatus != 0 {
		facts = append(facts, fmt.Sprintf("HTTP status %d", e.HTTPStatus))
	}
	if e.StatusCode != 0 {
		facts = append(facts, fmt.Sprintf("statusCode %d", e.StatusCode))
	}
	if e.APICode != 0 {
		facts = append(facts, fmt.Sprintf("apiCode %d", e.APICode))
	}
	if e.RequestID != "" {
		facts = append(facts, "requestId "+e.RequestID)
	}
	if e.Attempts > 1 {
		facts = append(facts, fmt.Sprintf("after %d attempts", e.Attempts))
	}
	if len(facts) > 0 {
		b.WriteString(" (" + strings.Join(facts, ", ") + ")")
	}
	switch {
	case e.Message != "" && e.Err != nil:
		b.WriteString(": " + e.Message + ": " + e.Err.Error())
	case e.Message != "":
		b.WriteString(": " + e.Message)
	case e.Err != nil:
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// OutcomeOf returns the Outcome of a failed call, NotApplicable when err carries none.
func OutcomeOf(err error) Outcome {
	var e *Error
	if errors.As(err, &e) {
		return e.Outcome
	}
	return NotApplicable
}

// IsNotFound reports whether err is the API's answer that an object does not exist. An
// HTTP 404 is not: it is what a server or proxy without the route answers.
func IsNotFound(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.NotFound
}

// IsUnreachable reports a call that found nothing to talk to at the configured host: a
// name that DNS does not know, or a connection refused or without a route. Such a failure
// says the host is wrong far more often than that the API is down.
func IsUnreachable(err error) bool {
	var dns *net.DNSError
	return errors.As(err, &dns) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH)
}

// IsCredentialsRefused reports a call that failed because Authing refused the access key
// when the client asked for a management token.
func IsCredentialsRefused(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.CredentialsRefused
}

// unknownHost reports a name that DNS answered does not exist: asking again gets the
// same answer, unlike a DNS server that did not answer.
func unknownHost(err error) bool {
	var dns *net.DNSError
	return errors.As(err, &dns) && dns.IsNotFound
}

// connectionRefused reports a connection the host refused: nothing listens at that port.
func connectionRefused(err error) bool {
	return errors.Is(err, syscall.ECONNREFUSED)
}
