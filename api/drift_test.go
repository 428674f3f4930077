package api_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v3"

	"github.com/mfakit/mfakit/api"
)

// The upstream drift check compares each curated operation with the
// operation of the same operationId in the vendor's published document
// (../shared/reference, read only, never copied into the repository) and
// reports every place where the vendor has something ours lacks. Deliberate
// differences are listed, each with a reason, in api/drift-allowlist.yaml.
//
// A difference is identified by a locator (the grammar is documented at the
// top of api/drift-allowlist.yaml):
//
//	<provider>:<operationId>:<what>
//
// where <what> is one of
//
//	operation                 upstream has no operation with this operationId
//	method=<METHOD>           upstream uses METHOD, ours another
//	path=<path>               upstream serves the operation at path, ours elsewhere
//	parameter.<in>.<name>     upstream has this parameter, ours lacks it
//	added-parameter.<in>.<name>  ours has this parameter, upstream lacks it
//	request                   upstream takes a request body, ours none
//	<body>                    upstream documents this response status, ours does not
//	<body>:<media type>       upstream's body has this media type, ours lacks it
//	<site>.<property>         upstream has this property, ours lacks it
//	<site>=<value>            upstream's enum has this value, ours lacks it
//	<site>[<prop>=<value>]    upstream has this discriminator value, ours has no such variant
//	param.<in>.<name>.<attr>  a parameter both have differs in <attr> (required, style,
//	                          explode, type, format, default, enum, items.type,
//	                          items.format, items.default, items.enum); reported both ways
//
// <body> is "request", "response.<status>" or "parameter.<in>.<name>", and
// <site> is a <body> followed by ".<property>", ".items" (array elements) and
// "[<prop>=<value>]" (the variant of a discriminated union) steps.

// upstreamFiles are the vendors' published documents, relative to ../shared/reference.
var upstreamFiles = map[string]string{
	api.ProviderOkta:     "okta/management-oneOfInheritance.yaml",
	api.ProviderOneLogin: "onelogin/openapi.yaml",
}

const allowlistFile = "drift-allowlist.yaml"

// referenceDir returns ../shared/reference relative to the repository root,
// or "" when it is absent.
func referenceDir() string {
	dir := filepath.Join("..", "..", "shared", "reference")
	if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
		return dir
	}
	return ""
}

var upstreamLoaded = map[string]*loaded{
	api.ProviderOkta:     {},
	api.ProviderOneLogin: {},
}

// loadUpstream loads the vendor's published document once per test binary.
// It is loaded, not validated: Okta's does not pass kin-openapi validation.
func loadUpstream(t testing.TB, dir, provider string) *openapi3.T {
	t.Helper()
	l := upstreamLoaded[provider]
	file := filepath.Join(dir, upstreamFiles[provider])
	l.once.Do(func() {
		loader := openapi3.NewLoader()
		l.doc, l.err = loader.LoadFromFile(file)
	})
	if l.err != nil {
		t.Fatalf("loading %s: %v", file, l.err)
	}
	return l.doc
}

// allowEntry is one accepted difference in api/drift-allowlist.yaml.
type allowEntry struct {
	At     string `yaml:"at"`
	Reason string `yaml:"reason"`
}

// matches reports whether the entry's locator, in which * stands for any run
// of characters, matches locator.
func (e allowEntry) matches(locator string) bool {
	return globMatch(e.At, locator)
}

func globMatch(pattern, s string) bool {
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return pattern == s
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return len(s) >= len(last) && strings.HasSuffix(s, last)
}

// loadAllowlist reads and checks api/drift-allowlist.yaml.
func loadAllowlist(t testing.TB) []allowEntry {
	t.Helper()
	data, err := os.ReadFile(allowlistFile)
	if err != nil {
		t.Fatalf("reading api/%s: %v", allowlistFile, err)
	}
	entries, errs := parseAllowlist(data)
	for _, err := range errs {
		t.Errorf("api/%s: %v", allowlistFile, err)
	}
	if len(errs) > 0 {
		t.FailNow()
	}
	return entries
}

func parseAllowlist(data []byte) ([]allowEntry, []error) {
	var entries []allowEntry
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&entries); err != nil && !errors.Is(err, io.EOF) { // io.EOF: no entries
		return nil, []error{err}
	}
	var errs []error
	seen := map[string]bool{}
	for i, e := range entries {
		provider, _, _ := strings.Cut(e.At, ":")
		switch {
		case e.At == "":
			errs = append(errs, fmt.Errorf("entry %d has no locator (at)", i+1))
		case upstreamFiles[provider] == "" || strings.Count(e.At, ":") < 2:
			errs = append(errs, fmt.Errorf("entry %q: a locator is <provider>:<operationId>:<what> with provider okta or onelogin", e.At))
		case strings.TrimSpace(e.Reason) == "":
			errs = append(errs, fmt.Errorf("entry %q has no reason", e.At))
		case seen[e.At]:
			errs = append(errs, fmt.Errorf("entry %q is listed twice", e.At))
		}
		seen[e.At] = true
	}
	return entries, errs
}

// difference is one way in which a curated document lacks something of the
// vendor's published one.
type difference struct {
	At, Msg string
}

// TestUpstreamDrift compares every operation of api.Operations with the
// vendor's published document. Run `make drift` to see the full report.
func TestUpstreamDrift(t *testing.T) {
	dir := referenceDir()
	if dir == "" {
		t.Skip("../shared/reference not found: upstream drift check skipped")
	}
	entries := loadAllowlist(t)
	for _, c := range curatedDocs {
		t.Run(c.provider, func(t *testing.T) {
			if _, err := os.Stat(filepath.Join(dir, upstreamFiles[c.provider])); err != nil {
				t.Skipf("%s not found: upstream drift check for %s skipped", upstreamFiles[c.provider], c.provider)
			}
			ours, _ := loadCurated(t, c.provider)
			upstream := loadUpstream(t, dir, c.provider)
			diffs := compareWithUpstream(c.provider, ours, upstream)
			mine := providerEntries(entries, c.provider)
			unexplained, matches := explain(diffs, mine)
			for _, d := range unexplained {
				t.Errorf("%s\n\tlocator: %s", d.Msg, d.At)
			}
			if len(unexplained) > 0 {
				var b strings.Builder
				for _, d := range unexplained {
					fmt.Fprintf(&b, "- at: %s\n  reason: \n", yamlScalar(d.At))
				}
				t.Logf("%d differences from upstream are not in api/%s. Fix %s, or, if the difference is deliberate, add it with its reason:\n%s",
					len(unexplained), allowlistFile, c.file, b.String())
			}
			var report strings.Builder
			for i, e := range mine {
				fmt.Fprintf(&report, "\n%5d  %s", matches[i], e.At)
			}
			t.Logf("%d differences from %s, %d unexplained; each allow-list entry and the differences it explains:%s",
				len(diffs), upstreamFiles[c.provider], len(unexplained), report.String())
			for i, e := range mine {
				if matches[i] == 0 {
					t.Errorf("api/%s: stale entry %q matches no difference from upstream any more: remove it (its reason was: %s)", allowlistFile, e.At, strings.TrimSpace(e.Reason))
				}
			}
		})
	}
}

// providerEntries returns the allow-list entries for provider.
func providerEntries(entries []allowEntry, provider string) []allowEntry {
	var out []allowEntry
	for _, e := range entries {
		if strings.HasPrefix(e.At, provider+":") {
			out = append(out, e)
		}
	}
	return out
}

// explain matches differences with allow-list entries: the differences no
// entry matches, and how many differences each entry matches (0: stale).
func explain(diffs []difference, entries []allowEntry) (unexplained []difference, matches []int) {
	matches = make([]int, len(entries))
	for _, d := range diffs {
		matched := false
		for i, e := range entries {
			if e.matches(d.At) {
				matches[i]++
				matched = true
			}
		}
		if !matched {
			unexplained = append(unexplained, d)
		}
	}
	return unexplained, matches
}

func yamlScalar(s string) string {
	out, err := yaml.Marshal(s)
	if err != nil {
		return fmt.Sprintf("%q", s)
	}
	return strings.TrimSuffix(string(out), "\n")
}

// compareWithUpstream lists every difference between the operations of
// api.Operations for provider in ours and in upstream.
func compareWithUpstream(provider string, ours, upstream *openapi3.T) []difference {
	upByID := map[string]docOperation{}
	for _, d := range operationsOf(upstream) {
		upByID[d.op.OperationID] = d
	}
	var diffs []difference
	for _, op := range api.Operations {
		if op.Provider != provider {
			continue
		}
		prefix := provider + ":" + op.OperationID + ":"
		our := findOperation(ours, op.Method, op.Path)
		if our == nil {
			diffs = append(diffs, difference{prefix + "operation", fmt.Sprintf("%s: ours has no %s %s (see TestOperationsMatchDocuments)", op.OperationID, op.Method, op.Path)})
			continue
		}
		up, ok := upByID[op.OperationID]
		if !ok {
			diffs = append(diffs, difference{prefix + "operation", fmt.Sprintf("%s: upstream has no operation with operationId %q", op.OperationID, op.OperationID)})
			continue
		}
		c := &schemaComparer{opID: op.OperationID, prefix: prefix, up: upstream, ours: ours}
		c.compareOperation(up, docOperation{method: op.Method, path: op.Path, op: our, item: ours.Paths.Value(op.Path)})
		diffs = append(diffs, c.diffs...)
	}
	sort.Slice(diffs, func(i, j int) bool { return diffs[i].At < diffs[j].At })
	return slices.CompactFunc(diffs, func(a, b difference) bool { return a.At == b.At })
}

type schemaComparer struct {
	opID, prefix string
	up, ours     *openapi3.T
	diffs        []difference
	stack        map[string]bool
}

func (c *schemaComparer) add(what, format string, args ...any) {
	c.diffs = append(c.diffs, difference{At: c.prefix + what, Msg: c.opID + ": " + fmt.Sprintf(format, args...)})
}

func (c *schemaComparer) compareOperation(up, ours docOperation) {
	if up.method != ours.method {
		c.add("method="+up.method, "upstream uses method %s, ours %s", up.method, ours.method)
	}
	if up.path != ours.path {
		c.add("path="+up.path, "upstream serves it at %s, ours at %s", up.path, ours.path)
	}

	upParams, ourParams := parameters(up), parameters(ours)
	for _, key := range sortedKeys(upParams) {
		p := upParams[key]
		site := "parameter." + key
		o, ok := ourParams[key]
		if !ok {
			c.add(site, "upstream has %s parameter %q, ours lacks it", p.In, p.Name)
			continue
		}
		c.compareSchemas(site, refs(p.Schema), refs(o.Schema), "")
		c.compareParameter(key, p, o)
	}
	for _, key := range sortedKeys(ourParams) {
		if _, ok := upParams[key]; !ok {
			p := ourParams[key]
			c.add("added-parameter."+key, "ours has %s parameter %q, upstream does not", p.In, p.Name)
		}
	}

	if rb := up.op.RequestBody; rb != nil && rb.Value != nil {
		if ours.op.RequestBody == nil || ours.op.RequestBody.Value == nil {
			c.add("request", "upstream takes a request body, ours none")
		} else {
			c.compareContent("request", rb.Value.Content, ours.op.RequestBody.Value.Content)
		}
	}

	if up.op.Responses == nil {
		return
	}
	for _, code := range sortedKeys(up.op.Responses.Map()) {
		site := "response." + code
		u := up.op.Responses.Value(code)
		var o *openapi3.ResponseRef
		if ours.op.Responses != nil {
			o = ours.op.Responses.Value(code)
		}
		if o == nil || o.Value == nil {
			c.add(site, "upstream documents status %s, ours does not", code)
			continue
		}
		if u.Value != nil {
			c.compareContent(site, u.Value.Content, o.Value.Content)
		}
	}
}

// compareParameter compares what a parameter present in both documents
// means, besides its name and location: whether it is required, how it is
// serialized (style and explode, with the defaults of its location spelled
// out) and its schema's type, format, default and enum, also for an array's
// elements. Each attribute that differs is reported at
// param.<in>.<name>.<attribute> (items.<attribute> for the elements), both
// ways: a parameter ours types, defaults or constrains differently sends or
// accepts different values even when upstream has nothing ours lacks.
func (c *schemaComparer) compareParameter(key string, up, ours *openapi3.Parameter) {
	u, o := parameterAttributes(up), parameterAttributes(ours)
	for _, attr := range parameterAttributeNames {
		if u[attr] != o[attr] {
			c.add("param."+key+"."+attr, "%s parameter %q: upstream's %s is %s, ours %s",
				up.In, up.Name, attr, orNone(u[attr]), orNone(o[attr]))
		}
	}
}

// parameterAttributeNames are the attributes compareParameter compares, in
// the order it reports them.
var parameterAttributeNames = []string{
	"required", "style", "explode",
	"type", "format", "default", "enum",
	"items.type", "items.format", "items.default", "items.enum",
}

// parameterAttributes returns a parameter's attributes as canonical strings,
// "" where one is absent: a default as JSON, an enum as its sorted values.
func parameterAttributes(p *openapi3.Parameter) map[string]string {
	out := map[string]string{"required": fmt.Sprint(p.Required)}
	if sm, err := p.SerializationMethod(); err == nil {
		out["style"], out["explode"] = sm.Style, fmt.Sprint(sm.Explode)
	} else {
		out["style"], out["explode"] = "invalid: "+err.Error(), ""
	}
	schema := p.Schema
	if schema == nil {
		// A parameter may describe its value by content instead (one media type).
		for _, mt := range p.Content {
			if mt != nil {
				schema = mt.Schema
			}
		}
	}
	if schema == nil || schema.Value == nil {
		return out
	}
	schemaAttributes(out, "", schema.Value)
	if items := schema.Value.Items; items != nil && items.Value != nil {
		schemaAttributes(out, "items.", items.Value)
	}
	return out
}

func schemaAttributes(out map[string]string, prefix string, s *openapi3.Schema) {
	out[prefix+"type"] = strings.Join(s.Type.Slice(), ",")
	out[prefix+"format"] = s.Format
	if s.Default != nil {
		b, err := json.Marshal(s.Default)
		if err != nil {
			b = []byte(fmt.Sprintf("%#v", s.Default))
		}
		out[prefix+"default"] = string(b)
	}
	if len(s.Enum) > 0 {
		var values []string
		for _, v := range s.Enum {
			b, err := json.Marshal(v)
			if err != nil {
				b = []byte(fmt.Sprintf("%#v", v))
			}
			values = append(values, string(b))
		}
		sort.Strings(values)
		out[prefix+"enum"] = "[" + strings.Join(slices.Compact(values), " ") + "]"
	}
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// parameters returns the parameters of an operation, those of its path item
// included, keyed by "<in>.<name>".
func parameters(d docOperation) map[string]*openapi3.Parameter {
	out := map[string]*openapi3.Parameter{}
	var all openapi3.Parameters
	if d.item != nil {
		all = append(all, d.item.Parameters...)
	}
	all = append(all, d.op.Parameters...)
	for _, p := range all {
		if p.Value != nil {
			out[p.Value.In+"."+p.Value.Name] = p.Value
		}
	}
	return out
}

func (c *schemaComparer) compareContent(site string, up, ours openapi3.Content) {
	for _, mt := range sortedKeys(up) {
		u := up[mt]
		o := ours[mt]
		if o == nil {
			c.add(site+":"+mt, "upstream's %s has media type %s, ours does not", site, mt)
			// Still compare the schemas, with ours' JSON body or its only one.
			if o = ours["application/json"]; o == nil && len(ours) == 1 {
				for _, only := range ours {
					o = only
				}
			}
			if o == nil {
				continue
			}
		}
		if u == nil || u.Schema == nil || o.Schema == nil {
			continue
		}
		c.compareSchemas(site, refs(u.Schema), refs(o.Schema), "")
	}
}

func refs(r *openapi3.SchemaRef) []*openapi3.Schema {
	if r == nil || r.Value == nil {
		return nil
	}
	return []*openapi3.Schema{r.Value}
}

// compareSchemas compares the schemas found at one place of upstream's
// document with those at the same place of ours. A place may have several
// schemas when a property is declared in more than one allOf part. skipEnum
// names a property whose enum is not compared (the discriminator property of
// a variant, whose values are compared at the union).
func (c *schemaComparer) compareSchemas(site string, up, ours []*openapi3.Schema, skipEnum string) {
	if len(up) == 0 || len(ours) == 0 {
		return
	}
	key := fmt.Sprintf("%p/%p", up[0], ours[0])
	if c.stack == nil {
		c.stack = map[string]bool{}
	}
	if c.stack[key] || strings.Count(site, ".") > 40 {
		return // a recursive schema: already being compared further up
	}
	c.stack[key] = true
	defer delete(c.stack, key)

	upVariants, upNames, upProp := variants(c.up, up)
	ourVariants, _, ourProp := variants(c.ours, ours)
	switch {
	case upVariants != nil:
		prop := upProp
		for _, v := range sortedKeys(upVariants) {
			vsite := fmt.Sprintf("%s[%s=%s]", site, prop, v)
			target := ours
			switch {
			case ourVariants == nil:
				// Ours is no union here: upstream's discriminator values
				// must still be values of ours' property.
				if enum := flatten(flatten(ours).props[prop]).enum; len(enum) > 0 && !slices.Contains(enum, v) {
					c.add(vsite, "upstream has %s %q (%s) at %s, ours does not allow that value", prop, v, upNames[v], site)
					continue
				}
			case ourProp != prop:
				c.add(site, "upstream discriminates on %q, ours on %q", prop, ourProp)
				return
			default:
				var ok bool
				if target, ok = ourVariants[v]; !ok {
					c.add(vsite, "upstream has %s %q (%s) at %s, ours has no such variant", prop, v, upNames[v], site)
					continue
				}
			}
			c.compareFlat(vsite, upVariants[v], target, prop)
		}
	case ourVariants != nil:
		for _, v := range sortedKeys(ourVariants) {
			c.compareFlat(fmt.Sprintf("%s[%s=%s]", site, ourProp, v), up, ourVariants[v], ourProp)
		}
	default:
		c.compareFlat(site, up, ours, skipEnum)
	}
}

// compareFlat compares two places property by property, looking through allOf,
// oneOf and anyOf (but not through discriminators, which compareSchemas has
// expanded).
func (c *schemaComparer) compareFlat(site string, up, ours []*openapi3.Schema, skipEnum string) {
	u, o := flatten(up), flatten(ours)
	// Arrays: compare the elements. When one side is an array and the other
	// is not, compare the array's elements with the other side.
	switch {
	case len(u.items) > 0 && len(o.items) > 0:
		c.compareSchemas(site+".items", u.items, o.items, "")
	case len(u.items) > 0 && len(o.props) > 0:
		c.compareSchemas(site, u.items, ours, "")
	case len(o.items) > 0 && len(u.props) > 0:
		c.compareSchemas(site+".items", up, o.items, "")
		return
	}
	if len(o.enum) > 0 {
		for _, v := range u.enum {
			if !slices.Contains(o.enum, v) {
				c.add(site+"="+v, "upstream allows %q at %s, ours does not", v, site)
			}
		}
	}
	for _, name := range sortedKeys(u.props) {
		ps := site + "." + name
		op, ok := o.props[name]
		if !ok {
			c.add(ps, "upstream has property %q at %s, ours lacks it", name, site)
			continue
		}
		if name == skipEnum {
			// The variant's discriminator property: its values were
			// compared at the union.
			continue
		}
		c.compareSchemas(ps, u.props[name], op, "")
	}
}

type flatSchema struct {
	props map[string][]*openapi3.Schema
	enum  []string
	items []*openapi3.Schema
}

// flatten merges what schemas declare, directly or through allOf, oneOf and
// anyOf: the union of their properties, enum values and array items.
func flatten(schemas []*openapi3.Schema) flatSchema {
	f := flatSchema{props: map[string][]*openapi3.Schema{}}
	seen := map[*openapi3.Schema]bool{}
	var visit func(s *openapi3.Schema)
	visit = func(s *openapi3.Schema) {
		if s == nil || seen[s] {
			return
		}
		seen[s] = true
		for name, p := range s.Properties {
			if p != nil && p.Value != nil {
				f.props[name] = append(f.props[name], p.Value)
			}
		}
		for _, v := range stringsOf(s.Enum) {
			if !slices.Contains(f.enum, v) {
				f.enum = append(f.enum, v)
			}
		}
		if s.Items != nil && s.Items.Value != nil {
			f.items = append(f.items, s.Items.Value)
		}
		for _, group := range []openapi3.SchemaRefs{s.AllOf, s.OneOf, s.AnyOf} {
			for _, r := range group {
				if r != nil {
					visit(r.Value)
				}
			}
		}
	}
	for _, s := range schemas {
		visit(s)
	}
	if len(f.props) == 0 {
		f.props = nil
	}
	sort.Strings(f.enum)
	return f
}

// variants expands a discriminated union at a place: the schemas of each
// discriminator value, from the mapping of a discriminator on one of the
// schemas themselves (not on an allOf part), plus each value the
// discriminator property's enum declares without mapping it (described by
// the union's own schema), with the name of each value's schema for
// messages. It returns nil when no schema has a discriminator.
func variants(doc *openapi3.T, schemas []*openapi3.Schema) (map[string][]*openapi3.Schema, map[string]string, string) {
	for _, s := range schemas {
		d := s.Discriminator
		if d == nil || len(d.Mapping) == 0 {
			continue
		}
		out := map[string][]*openapi3.Schema{}
		names := map[string]string{}
		for value, m := range d.Mapping {
			name, _ := strings.CutPrefix(m.Ref, schemaRefPrefix)
			target := m.Value
			if target == nil && doc.Components.Schemas[name] != nil {
				target = doc.Components.Schemas[name].Value
			}
			if target != nil {
				out[value] = []*openapi3.Schema{target}
				names[value] = name
			}
		}
		for _, v := range enumStrings(propertySchemas(s, d.PropertyName)) {
			if _, ok := out[v]; !ok {
				out[v] = []*openapi3.Schema{s}
				names[v] = "an enum value without a mapping entry"
			}
		}
		return out, names, d.PropertyName
	}
	return nil, nil, ""
}
