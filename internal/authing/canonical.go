package authing

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

// CanonicalJSON re-encodes a JSON document in a canonical form: object keys sorted, no
// insignificant white space, no HTML escaping, numbers written exactly as received. Two
// documents that differ only in formatting or key order give the same bytes.
func CanonicalJSON(doc []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("invalid JSON: more than one value")
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(out.Bytes(), []byte("\n")), nil
}
