package provider

import "testing"

// A request body fires again only when its meaning changes: formatting, key order and
// number notation are not changes, and numbers are compared exactly.
func TestSameJSONComparesMeaning(t *testing.T) {
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{`{"a":1,"b":[true,null,"x"]}`, "{\n  \"b\": [true, null, \"x\"],\n  \"a\": 1\n}", true},
		{`{"n":1}`, `{"n":1.0}`, true},
		{`{"n":100}`, `{"n":1e2}`, true},
		{`{"n":100}`, `{"n":1E+2}`, true},
		{`{"n":0.1}`, `{"n":1e-1}`, true},
		{`{"n":0}`, `{"n":-0.0}`, true},
		{`{"n":-5}`, `{"n":-5.00}`, true},
		{`{"n":-5}`, `{"n":5}`, false},
		{`{"id":1234567890123456789}`, `{"id":1234567890123456788}`, false},
		{`{"n":0.30000000000000004}`, `{"n":0.3}`, false},
		{`{"n":1}`, `{"n":"1"}`, false},
		{`{"n":10}`, `{"n":1}`, false},
		{`{"a":1}`, `{"a":1,"b":1}`, false},
		{`{"a":1,"c":1}`, `{"a":1,"b":1}`, false},
		{`[1,2]`, `[2,1]`, false},
		{`[1,2]`, `[1,2,3]`, false},
		{`{"a":{}}`, `{"a":[]}`, false},
		{`{"a":1}`, `{"a":1} {}`, false},
		{`not json`, `not json`, true},
		{`not json`, `not  json`, false},
	} {
		if got := sameJSON(c.a, c.b); got != c.same {
			t.Errorf("sameJSON(%s, %s) = %t, want %t", c.a, c.b, got, c.same)
		}
		if got := sameJSON(c.b, c.a); got != c.same {
			t.Errorf("sameJSON(%s, %s) = %t, want %t", c.b, c.a, got, c.same)
		}
	}
}

// Exponents too large to compare by value are compared as text: never a wrong "same".
func TestSameJSONHugeExponents(t *testing.T) {
	if sameJSON(`{"a":0.1e-9223372036854775808}`, `{"a":1e9223372036854775807}`) {
		t.Error("two numbers at opposite ends of the exponent range compared the same")
	}
	if !sameJSON(`{"a":1e1073741824}`, `{"a":1e1073741824}`) {
		t.Error("one text compared different from itself")
	}
	// Exponents of 2^30 and -2^30 are still compared by value.
	if !sameJSON(`{"a":1e1073741824}`, `{"a":10e1073741823}`) || !sameJSON(`{"a":1e-1073741824}`, `{"a":0.1e-1073741823}`) {
		t.Error("exponents at the bound were not compared by value")
	}
	if !sameJSON(`{"a":10e5,"b":1}`, `{"b":1,"a":1e6}`) {
		t.Error("ordinary exponents are still compared by value")
	}
}
