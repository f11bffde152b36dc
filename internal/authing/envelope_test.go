package authing

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestDecodeEnvelope(t *testing.T) {
	tests := []struct {
		name, body string
		want       envelope
		wantErr    string
	}{
		{name: "success", body: `{"statusCode":200,"message":"ok","data":{"a":1}}`, want: envelope{StatusCode: 200, Message: "ok", Data: json.RawMessage(`{"a":1}`)}},
		{name: "business error", body: `{"statusCode":404,"apiCode":2004,"message":"不存在","requestId":"abc"}`, want: envelope{StatusCode: 404, APICode: 2004, Message: "不存在", RequestID: "abc"}},
		{name: "numbers as strings", body: `{"statusCode":"429","apiCode":"12"}`, want: envelope{StatusCode: 429, APICode: 12}},
		{name: "number as a padded string", body: `{"statusCode":" 200 "}`, want: envelope{StatusCode: 200}},
		{name: "leading space", body: "  \n{\"statusCode\":200}", want: envelope{StatusCode: 200}},
		{name: "html", body: "<html><body>502 Bad Gateway</body></html>", wantErr: `starts with "<html><body>502 Bad Gateway</body></html>"`},
		{name: "empty", body: "", wantErr: "empty body"},
		{name: "truncated", body: `{"statusCode": 200, "data": {`, wantErr: "not an Authing API response"},
		{name: "no status", body: `{"message":"hi"}`, wantErr: "not an Authing API response"},
		{name: "array", body: `[1,2]`, wantErr: "not an Authing API response"},
		{name: "float status", body: `{"statusCode":200.5}`, wantErr: "not an Authing API response"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeEnvelope([]byte(tt.body))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got %+v, %v; want error with %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

// A snippet is cut at 120 bytes, and never inside a UTF-8 character.
func TestSnippet(t *testing.T) {
	for _, tt := range []struct{ body, want string }{
		{strings.Repeat("a", 120), strings.Repeat("a", 120)},
		{strings.Repeat("a", 121), strings.Repeat("a", 120)},
		{strings.Repeat("a", 119) + "é", strings.Repeat("a", 119)},
		{strings.Repeat("a", 118) + "é", strings.Repeat("a", 118) + "é"},
		{"  several   words\n", "several words"},
	} {
		if got := snippet([]byte(tt.body)); got != tt.want {
			t.Errorf("snippet(%q) = %q, want %q", tt.body, got, tt.want)
		}
	}
}

func FuzzDecodeEnvelope(f *testing.F) {
	for _, seed := range []string{`{"statusCode":200,"data":{"list":[]}}`, `{"statusCode":"500","apiCode":1,"message":"x","requestId":"y"}`, `<html>`, ``, `{"statusCode":null}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		env, err := decodeEnvelope(body)
		if err != nil {
			var ne errNotEnvelope
			if !errors.As(err, &ne) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			if strings.Contains(err.Error(), "invalid character") {
				t.Fatalf("decoder internals leaked: %v", err)
			}
			return
		}
		if len(env.Data) > 0 && !json.Valid(env.Data) {
			t.Fatalf("data is not valid JSON: %q", env.Data)
		}
	})
}

func TestCanonicalJSON(t *testing.T) {
	tests := map[string]string{
		`{"b":1,"a":[true,null,"x"]}`:         `{"a":[true,null,"x"],"b":1}`,
		" {\n \"a\" : { \"d\":1, \"c\":2 } }": `{"a":{"c":2,"d":1}}`,
		`12345678901234567890.5e3`:            `12345678901234567890.5e3`,
		`"<&>"`:                               `"<&>"`,
		`null`:                                `null`,
	}
	for in, want := range tests {
		got, err := CanonicalJSON([]byte(in))
		if err != nil || string(got) != want {
			t.Errorf("CanonicalJSON(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{``, `{`, `{} {}`, `[1,]`} {
		if _, err := CanonicalJSON([]byte(bad)); err == nil {
			t.Errorf("CanonicalJSON(%q) accepted invalid JSON", bad)
		}
	}
}

func FuzzCanonicalJSON(f *testing.F) {
	for _, seed := range []string{`{"b":1,"a":2}`, `[1,2.50,"x",{"z":null}]`, `"\u00e9"`, `1e400`, `{"a":{"a":{"a":[]}}}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		once, err := CanonicalJSON(doc)
		if err != nil {
			return
		}
		twice, err := CanonicalJSON(once)
		if err != nil || !bytes.Equal(once, twice) {
			t.Fatalf("not idempotent: %q -> %q -> %q (%v)", doc, once, twice, err)
		}
		var a, b any
		if json.Unmarshal(doc, &a) == nil && json.Unmarshal(once, &b) == nil && !reflect.DeepEqual(a, b) && bytes.Equal(doc, bytes.ToValidUTF8(doc, nil)) {
			t.Fatalf("meaning changed: %q -> %q", doc, once)
		}
	})
}
