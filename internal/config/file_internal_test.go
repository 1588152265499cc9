package config

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// checkShape leaves the decoder no shape to name a Go type for; should one
// get through, yamlError still puts it in words and drops the value.
func TestYAMLErrorPutsGoTypesInWords(t *testing.T) {
	err := yamlError(&yaml.TypeError{Errors: []string{
		"line 2: cannot unmarshal !!seq into map[string]config.Profile",
		"line 3: cannot unmarshal !!str `Sup3rS3...` into config.Profile",
		"line 4: cannot unmarshal !!map into string",
		"line 5: cannot unmarshal !!seq into map[string]string",
		"line 6: cannot unmarshal !!str into config.File",
	}})
	want := "invalid YAML: line 2: cannot unmarshal !!seq into the profiles; line 3: cannot unmarshal !!str into a profile; " +
		"line 4: cannot unmarshal !!map into a single value; line 5: cannot unmarshal !!seq into a profile; line 6: cannot unmarshal !!str into the file's top level"
	if err.Error() != want {
		t.Errorf("yamlError =\n%s\nwant\n%s", err, want)
	}
	if strings.Contains(err.Error(), "Sup3r") {
		t.Errorf("yamlError repeats the value: %v", err)
	}
}
