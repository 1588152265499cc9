package contract

import (
	"encoding/json"
	"io"
)

// jsonDecode decodes one JSON value of at most 1 MiB from r.
func jsonDecode(r io.Reader, v any) error {
	return json.NewDecoder(io.LimitReader(r, 1<<20)).Decode(v)
}
