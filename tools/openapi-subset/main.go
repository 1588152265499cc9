// Command openapi-subset derives, from Ping's OpenAPI description of the
// PingOne management API, the subset p1emu is checked against: the
// operations p1emu serves, with their parameters, responses and the
// components they reference, and no description text (descriptions,
// summaries, titles, examples, x- extensions). With -check it writes
// nothing and fails, naming the file, when the checked-in subset differs
// from what it would write.
//
//	go run ./tools/openapi-subset [-in ../shared/pingone-openapi/openapi.yaml] [-out test/contract/openapi/pingone-subset.yaml] [-check]
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// operations are the (path, method) pairs p1emu serves from Ping's
// description, paths as the description spells them.
var operations = map[string][]string{
	"/environments":                                 {"get"},
	"/environments/{environmentID}":                 {"get"},
	"/environments/{environmentID}/billOfMaterials": {"get"},
}

// dropped are the keys that carry prose or tooling hints, not contract.
var dropped = map[string]bool{"description": true, "summary": true, "title": true, "example": true, "examples": true}

// nameMaps are keys whose value maps names to objects: their keys are
// names (a property may be called "description"), never dropped.
var nameMaps = map[string]bool{
	"properties": true, "patternProperties": true, "$defs": true, "dependentSchemas": true,
	"headers": true, "content": true, "schemas": true, "responses": true, "parameters": true,
	"variables": true, "mapping": true, "encoding": true, "paths": true,
}

// maxInput bounds the description read: Ping's is under 1 MiB.
const maxInput = 32 << 20

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("openapi-subset", flag.ContinueOnError)
	fs.SetOutput(stderr)
	in := fs.String("in", "../shared/pingone-openapi/openapi.yaml", "Ping's OpenAPI description")
	out := fs.String("out", "test/contract/openapi/pingone-subset.yaml", "the subset to write")
	check := fs.Bool("check", false, "write nothing; fail if -out is not what would be written")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	src, err := readBounded(*in)
	if err != nil {
		fmt.Fprintf(stderr, "openapi-subset: %v\n", err)
		return 1
	}
	subset, err := derive(src)
	if err != nil {
		fmt.Fprintf(stderr, "openapi-subset: %s: %v\n", *in, err)
		return 1
	}
	if *check {
		have, err := os.ReadFile(*out)
		if err != nil || !bytes.Equal(have, subset) {
			fmt.Fprintf(stderr, "openapi-subset: %s is stale: regenerate it with go run ./tools/openapi-subset and commit it\n", *out)
			return 1
		}
		fmt.Fprintf(stdout, "openapi-subset: %s is up to date\n", *out)
		return 0
	}
	if err := os.WriteFile(*out, subset, 0o644); err != nil {
		fmt.Fprintf(stderr, "openapi-subset: %v\n", err)
		return 1
	}
	return 0
}

// readBounded reads a file of at most maxInput bytes.
func readBounded(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxInput+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxInput {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, maxInput)
	}
	return data, nil
}

// derive builds the subset document from the full description.
func derive(src []byte) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, fmt.Errorf("parse: %w", err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("not an OpenAPI document (no top-level mapping)")
	}
	root := doc.Content[0]
	version := scalar(get(root, "openapi"))
	if !strings.HasPrefix(version, "3.1") {
		return nil, fmt.Errorf("openapi %q: want a 3.1 description", version)
	}
	info := get(root, "info")
	paths := get(root, "paths")
	components := get(root, "components")
	if info == nil || paths == nil || components == nil {
		return nil, errors.New("info, paths or components is missing")
	}

	outPaths := mapping()
	for _, p := range sortedKeys(operations) {
		item := get(paths, p)
		if item == nil {
			return nil, fmt.Errorf("path %s is not in the description", p)
		}
		outItem := mapping()
		for _, m := range operations[p] {
			op := get(item, m)
			if op == nil {
				return nil, fmt.Errorf("%s %s is not in the description", strings.ToUpper(m), p)
			}
			kept := mapping()
			for _, k := range []string{"operationId", "parameters", "responses"} {
				if v := get(op, k); v != nil {
					set(kept, k, strip(v, k))
				}
			}
			set(outItem, m, kept)
		}
		set(outPaths, p, outItem)
	}

	// Keep the components the operations reference, transitively, in the
	// description's order.
	needed := map[string]bool{}
	queue := refs(outPaths)
	for len(queue) > 0 {
		ref := queue[0]
		queue = queue[1:]
		if needed[ref] {
			continue
		}
		kind, name, ok := strings.Cut(strings.TrimPrefix(ref, "#/components/"), "/")
		if !ok || !strings.HasPrefix(ref, "#/components/") {
			return nil, fmt.Errorf("reference %q is not to a component", ref)
		}
		node := get(get(components, kind), name)
		if node == nil {
			return nil, fmt.Errorf("reference %q names no component", ref)
		}
		needed[ref] = true
		queue = append(queue, refs(strip(node, ""))...)
	}
	outComponents := mapping()
	for i := 0; i < len(components.Content); i += 2 {
		kind := components.Content[i].Value
		section := mapping()
		entries := components.Content[i+1]
		for j := 0; j < len(entries.Content); j += 2 {
			name := entries.Content[j].Value
			if needed["#/components/"+kind+"/"+name] {
				set(section, name, strip(entries.Content[j+1], ""))
			}
		}
		if len(section.Content) > 0 {
			set(outComponents, kind, section)
		}
	}

	outInfo := mapping()
	for _, k := range []string{"title", "version", "license"} {
		if v := get(info, k); v != nil {
			set(outInfo, k, v)
		}
	}
	out := mapping()
	set(out, "openapi", get(root, "openapi"))
	set(out, "info", outInfo)
	if s := get(root, "servers"); s != nil {
		set(out, "servers", strip(s, ""))
	}
	set(out, "paths", outPaths)
	set(out, "components", outComponents)

	var buf bytes.Buffer
	fmt.Fprintf(&buf, "# GENERATED by go run ./tools/openapi-subset; do not edit. Derived from\n"+
		"# Ping Identity's OpenAPI description of the PingOne management API:\n"+
		"# %s, version %s.\n"+
		"# Licensed under the Apache License 2.0: see LICENSE and NOTICE beside this file.\n",
		scalar(get(info, "title")), scalar(get(info, "version")))
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(out); err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	return buf.Bytes(), nil
}

// strip returns a deep copy of n without description text, extensions and
// comments. parentKey is the key n is the value of: the keys of name maps
// are names and are all kept.
func strip(n *yaml.Node, parentKey string) *yaml.Node {
	c := &yaml.Node{Kind: n.Kind, Tag: n.Tag, Value: n.Value, Style: n.Style &^ yaml.FlowStyle}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i < len(n.Content); i += 2 {
			k := n.Content[i].Value
			if !nameMaps[parentKey] && (dropped[k] || strings.HasPrefix(k, "x-")) {
				continue
			}
			key := n.Content[i]
			if nameMaps[parentKey] {
				k = "" // a name: what is under it is an ordinary object
			}
			c.Content = append(c.Content, &yaml.Node{Kind: key.Kind, Tag: key.Tag, Value: key.Value, Style: key.Style}, strip(n.Content[i+1], k))
		}
	case yaml.SequenceNode:
		for _, item := range n.Content {
			c.Content = append(c.Content, strip(item, ""))
		}
	case yaml.AliasNode:
		return strip(n.Alias, parentKey)
	}
	return c
}

// refs lists the $ref values under n.
func refs(n *yaml.Node) []string {
	var out []string
	var walk func(*yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.MappingNode {
			for i := 0; i < len(n.Content); i += 2 {
				if n.Content[i].Value == "$ref" && n.Content[i+1].Kind == yaml.ScalarNode {
					out = append(out, n.Content[i+1].Value)
				}
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
	return out
}

func mapping() *yaml.Node { return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"} }

// get returns the value of key in mapping n, or nil.
func get(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// set appends key: v to mapping n.
func set(n *yaml.Node, key string, v *yaml.Node) {
	n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, v)
}

func scalar(n *yaml.Node) string {
	if n == nil {
		return ""
	}
	return n.Value
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
