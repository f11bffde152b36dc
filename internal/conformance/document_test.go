package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

func loadDocument(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromFile("testdata/authing-openapi-webhooks.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the document does not validate: %v", err)
	}
	return doc
}

// router routes requests to host by the document's paths.
func router(t *testing.T, doc *openapi3.T, host string) routers.Router {
	t.Helper()
	doc.Servers = openapi3.Servers{{URL: host}}
	r, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// example is a schema's example, built as the document's generator builds it: a schema's
// own example, else its properties' examples (allOf merged), an array being its item's.
func example(s *openapi3.SchemaRef) any {
	if s == nil || s.Value == nil {
		return nil
	}
	v := s.Value
	if v.Example != nil {
		return v.Example
	}
	if len(v.AllOf) > 0 {
		merged := map[string]any{}
		for _, part := range v.AllOf {
			if m, ok := example(part).(map[string]any); ok {
				for k, x := range m {
					merged[k] = x
				}
			}
		}
		return merged
	}
	if v.Type.Is(openapi3.TypeArray) {
		return quirks.listAsOneObject(example(v.Items))
	}
	if v.Type.Is(openapi3.TypeObject) || len(v.Properties) > 0 {
		m := map[string]any{}
		for name, p := range v.Properties {
			if x := example(p); x != nil {
				m[name] = x
			}
		}
		return m
	}
	return nil
}

func responseSchema(t *testing.T, doc *openapi3.T, path string) *openapi3.SchemaRef {
	t.Helper()
	item := doc.Paths.Find(path)
	if item == nil {
		t.Fatalf("the document has no %s", path)
	}
	for _, op := range item.Operations() {
		return op.Responses.Status(200).Value.Content.Get("application/json").Schema
	}
	t.Fatalf("%s has no operation", path)
	return nil
}

func requestExample(t *testing.T, doc *openapi3.T, path string) map[string]any {
	t.Helper()
	op := doc.Paths.Find(path).Post
	m, _ := example(op.RequestBody.Value.Content.Get("application/json").Schema).(map[string]any)
	return m
}

// validateRequest checks a request the client made against the document: path, method,
// query parameters, body schema, and the security the document asks (a bearer token or
// the user pool header).
func validateRequest(ctx context.Context, rt routers.Router, x exchange) (*openapi3filter.RequestValidationInput, error) {
	req, err := http.NewRequestWithContext(ctx, x.method, x.url, bytes.NewReader(x.body))
	if err != nil {
		return nil, err
	}
	req.Header = x.header.Clone()
	route, params, err := rt.FindRoute(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s is not in the document: %w", x.method, x.url, err)
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: &openapi3filter.Options{
		AuthenticationFunc: func(_ context.Context, a *openapi3filter.AuthenticationInput) error {
			if route.Path == quirks.tokenRouteUnauthenticated {
				return nil
			}
			switch a.SecuritySchemeName {
			case "bearer":
				if !strings.HasPrefix(a.RequestValidationInput.Request.Header.Get("Authorization"), "Bearer ") {
					return errors.New("no bearer token")
				}
			case "x-authing-userpool-id":
				if a.RequestValidationInput.Request.Header.Get("x-authing-userpool-id") == "" {
					return errors.New("no x-authing-userpool-id header")
				}
			}
			return nil
		},
	}}
	if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
		return nil, err
	}
	return in, nil
}

// validateResponse checks an answer against the document's response schema (types and
// required fields), and that its envelope has no field the document does not list. An
// answer with a business error (statusCode not 200) carries no data, which the schemas
// require: its envelope is checked alone.
func validateResponse(ctx context.Context, in *openapi3filter.RequestValidationInput, x exchange) error {
	var env map[string]any
	if err := json.Unmarshal(x.respBody, &env); err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	schema := in.Route.Operation.Responses.Status(200).Value.Content.Get("application/json").Schema.Value
	allowed := slices.Collect(func(yield func(string) bool) {
		for name := range schema.Properties {
			if !yield(name) {
				return
			}
		}
	})
	allowed = append(allowed, quirks.deleteAnswersData[in.Route.Path]...)
	for name := range env {
		if !slices.Contains(allowed, name) {
			return fmt.Errorf("field %q is not in %s", name, in.Route.Path)
		}
	}
	if code, _ := env["statusCode"].(float64); code != 200 {
		for _, name := range []string{"statusCode", "message"} {
			if _, ok := env[name]; !ok {
				return fmt.Errorf("an error answer without %s", name)
			}
		}
		return nil
	}
	return openapi3filter.ValidateResponse(ctx, &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: x.status, Header: x.respHeader, Body: io.NopCloser(bytes.NewReader(x.respBody)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true},
	})
}

// roundTrip is v through JSON, so that values decoded by the document's loader and by the
// client compare alike.
func roundTrip(t *testing.T, v any) any {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func expectSame(t *testing.T, what string, got, want any) {
	t.Helper()
	if g, w := roundTrip(t, got), roundTrip(t, want); !reflect.DeepEqual(g, w) {
		t.Errorf("%s:\n got %v\nwant %v", what, g, w)
	}
}

func object(t *testing.T, v any) map[string]any {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%v is not an object", v)
	}
	return m
}

// first is the first item of an example list.
func first(t *testing.T, v any) any {
	t.Helper()
	list, ok := v.([]any)
	if !ok || len(list) == 0 {
		t.Fatalf("%v is not a list with an item", v)
	}
	return list[0]
}
