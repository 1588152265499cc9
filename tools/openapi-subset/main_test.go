package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// description is a small stand-in for Ping's: the three operations, one
// other path, and components used and unused.
const description = `openapi: 3.1.1
info: {title: T, version: "1", description: long prose, license: {name: Apache 2.0}}
paths:
  /environments:
    get:
      operationId: getEnvironments
      summary: prose
      x-permission: orgmgt:read:environment
      parameters:
        - {in: query, name: limit, schema: {type: integer, minimum: 1, maximum: 5000}, x-description-go-sdk: prose}
      responses:
        "200": {description: prose, content: {application/json: {schema: {$ref: "#/components/schemas/List"}}}}
    post:
      operationId: createEnvironment
      responses: {"201": {$ref: "#/components/responses/Created"}}
  /environments/{environmentID}:
    get:
      parameters: [{$ref: "#/components/parameters/EnvID"}]
      responses: {"404": {$ref: "#/components/responses/NotFound"}}
  /environments/{environmentID}/billOfMaterials:
    get: {responses: {"200": {description: ok}}}
  /flows:
    get: {responses: {"200": {$ref: "#/components/responses/Unused"}}}
components:
  parameters:
    EnvID: {in: path, name: environmentID, required: true, schema: {type: string, format: uuid}}
  responses:
    NotFound: {description: prose, content: {"*/*": {schema: {$ref: "#/components/schemas/Error"}}}}
    Created: {description: prose}
    Unused: {description: prose}
  schemas:
    List: {type: object, title: List, properties: {items: {type: array, items: {$ref: "#/components/schemas/Item"}}}}
    Item: {type: object, example: {description: x}, properties: {description: {type: string, description: prose}}}
    Error: {type: object, required: [code]}
    Flow: {type: object}
`

func TestDerive(t *testing.T) {
	out, err := derive([]byte(description))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("output is not YAML: %v", err)
	}
	text := string(out)
	for _, gone := range []string{"prose", "x-permission", "x-description", "createEnvironment", "/flows", "Unused", "Created", "Flow:", "title: List", "example"} {
		if strings.Contains(text, gone) {
			t.Errorf("subset keeps %q:\n%s", gone, out)
		}
	}
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	for _, kept := range []string{"List", "Item", "Error"} {
		if schemas[kept] == nil {
			t.Errorf("schema %s (referenced, directly or through another) is missing", kept)
		}
	}
	// A property called description is a name, not prose.
	props := schemas["Item"].(map[string]any)["properties"].(map[string]any)
	if _, ok := props["description"]; !ok {
		t.Error("the property named description was dropped")
	}
	limit := doc["paths"].(map[string]any)["/environments"].(map[string]any)["get"].(map[string]any)["parameters"].([]any)[0].(map[string]any)
	if limit["schema"].(map[string]any)["maximum"] != 5000 {
		t.Errorf("limit parameter = %v, want its range kept", limit)
	}
}

func TestDeriveErrors(t *testing.T) {
	for name, src := range map[string]string{
		"not 3.1":          strings.Replace(description, "3.1.1", "3.0.3", 1),
		"missing path":     strings.Replace(description, "/environments/{environmentID}/billOfMaterials:", "/other:", 1),
		"dangling ref":     strings.Replace(description, "    Error: {type: object, required: [code]}\n", "", 1),
		"not a mapping":    "- a\n- b\n",
		"unparsable input": "paths: [",
	} {
		if _, err := derive([]byte(src)); err == nil {
			t.Errorf("%s: derive succeeded", name)
		}
	}
}

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	in, out := filepath.Join(dir, "openapi.yaml"), filepath.Join(dir, "subset.yaml")
	if err := os.WriteFile(in, []byte(description), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-in", in, "-out", out, "-check"}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), out) {
		t.Fatalf("-check without the subset: exit %d, stderr %q; want 1 naming the file", code, stderr.String())
	}
	if code := run([]string{"-in", in, "-out", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("generate: exit %d: %s", code, stderr.String())
	}
	if code := run([]string{"-in", in, "-out", out, "-check"}, &stdout, &stderr); code != 0 {
		t.Fatalf("-check after generating: exit %d: %s", code, stderr.String())
	}
	stale := strings.Replace(description, "maximum: 5000", "maximum: 500", 1)
	if err := os.WriteFile(in, []byte(stale), 0o600); err != nil {
		t.Fatal(err)
	}
	stderr.Reset()
	if code := run([]string{"-in", in, "-out", out, "-check"}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "stale") {
		t.Errorf("-check after the description changed: exit %d, stderr %q; want 1, stale", code, stderr.String())
	}
}
