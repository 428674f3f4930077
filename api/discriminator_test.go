package api_test

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/mfakit/mfakit/api"
)

const schemaRefPrefix = "#/components/schemas/"

// expectedUnions are the discriminated unions the Okta document must define,
// with every discriminator value Okta uses (issue 2), and the named enum
// schema that lists the discriminator property's values elsewhere in the
// document (for request fields, constants and path parameters), which must
// hold exactly the union's mapping keys.
var expectedUnions = []struct {
	provider, schema, property string
	enum                       string
	values                     []string
}{
	{api.ProviderOkta, "Authenticator", "key", "AuthenticatorKeyEnum", []string{
		"custom_app", "custom_otp", "duo", "external_idp", "google_otp", "okta_email", "okta_password",
		"okta_verify", "onprem_mfa", "phone_number", "security_key", "security_question", "smart_card_idp",
		"symantec_vip", "tac", "webauthn", "yubikey_token",
	}},
	{api.ProviderOkta, "AuthenticatorMethod", "type", "AuthenticatorMethodType", []string{
		"cert", "duo", "email", "idp", "otp", "password", "push", "security_question", "signed_nonce",
		"sms", "tac", "totp", "voice", "webauthn",
	}},
	{api.ProviderOkta, "UserFactor", "factorType", "UserFactorType", []string{
		"call", "email", "push", "question", "signed_nonce", "sms", "token", "token:hardware", "token:hotp",
		"token:software:totp", "u2f", "web", "webauthn",
	}},
}

func TestExpectedUnions(t *testing.T) {
	counts := map[string]int{"Authenticator": 17, "AuthenticatorMethod": 14, "UserFactor": 13}
	for _, u := range expectedUnions {
		t.Run(u.schema, func(t *testing.T) {
			if len(u.values) != counts[u.schema] {
				t.Fatalf("test table: %s lists %d values, want %d", u.schema, len(u.values), counts[u.schema])
			}
			doc, c := loadCurated(t, u.provider)
			ref := doc.Components.Schemas[u.schema]
			if ref == nil || ref.Value == nil {
				t.Fatalf("%s: components.schemas.%s is missing", c.file, u.schema)
			}
			s := ref.Value
			if s.Discriminator == nil {
				t.Fatalf("%s: %s has no discriminator", c.file, u.schema)
			}
			if s.Discriminator.PropertyName != u.property {
				t.Errorf("%s: %s discriminates on %q, want %q", c.file, u.schema, s.Discriminator.PropertyName, u.property)
			}
			if len(s.OneOf) != len(u.values) {
				t.Errorf("%s: %s has %d oneOf members, want %d (one per %s)", c.file, u.schema, len(s.OneOf), len(u.values), u.property)
			}
			got := mappingKeys(s.Discriminator)
			missing, unexpected := setDiff(u.values, got), setDiff(got, u.values)
			for _, v := range missing {
				t.Errorf("%s: %s mapping lacks %s %q", c.file, u.schema, u.property, v)
			}
			for _, v := range unexpected {
				t.Errorf("%s: %s mapping has unexpected %s %q (update expectedUnions if Okta added it)", c.file, u.schema, u.property, v)
			}
		})
	}
}

// TestUnionMappingMatchesEnum checks each expected union's mapping against
// the enum schema of its discriminator property: every mapping key is a
// value of the enum and every enum value is a mapping key, so a value
// deleted from (or added to) only one of them fails.
func TestUnionMappingMatchesEnum(t *testing.T) {
	for _, u := range expectedUnions {
		t.Run(u.schema, func(t *testing.T) {
			doc, c := loadCurated(t, u.provider)
			for _, msg := range checkUnionEnum(doc, c.file, u.schema, u.enum) {
				t.Error(msg)
			}
		})
	}
}

// checkUnionEnum returns one message per difference between the mapping keys
// of the discriminated union components.schemas[union] and the values of the
// enum schema components.schemas[enum].
func checkUnionEnum(doc *openapi3.T, file, union, enum string) []string {
	var msgs []string
	add := func(format string, args ...any) { msgs = append(msgs, fmt.Sprintf(file+": "+format, args...)) }
	u, e := doc.Components.Schemas[union], doc.Components.Schemas[enum]
	switch {
	case u == nil || u.Value == nil || u.Value.Discriminator == nil:
		add("components.schemas.%s is missing or has no discriminator", union)
		return msgs
	case e == nil || e.Value == nil:
		add("components.schemas.%s, the enum of %s's %q, is missing", enum, union, u.Value.Discriminator.PropertyName)
		return msgs
	case len(e.Value.Enum) == 0:
		add("components.schemas.%s, the enum of %s's %q, has no enum values", enum, union, u.Value.Discriminator.PropertyName)
		return msgs
	}
	prop := u.Value.Discriminator.PropertyName
	keys, values := mappingKeys(u.Value.Discriminator), stringsOf(e.Value.Enum)
	for _, v := range setDiff(keys, values) {
		add("%s maps %s %q, but %q is not a value of %s", union, prop, v, v, enum)
	}
	for _, v := range setDiff(values, keys) {
		add("%s lists %q, but %s's discriminator mapping has no %s %q", enum, v, union, prop, v)
	}
	return msgs
}

// TestDiscriminators checks every discriminator of both documents, which
// neither kin-openapi nor oapi-codegen do.
func TestDiscriminators(t *testing.T) {
	for _, c := range curatedDocs {
		t.Run(c.provider, func(t *testing.T) {
			doc, _ := loadCurated(t, c.provider)
			for _, msg := range checkDiscriminators(doc, c.file) {
				t.Error(msg)
			}
		})
	}
}

// checkDiscriminators returns one message per fault in the discriminators of
// doc: every schema with a discriminator must be a oneOf union with an
// explicit mapping; every mapping target must exist and constrain the
// discriminator property (found through allOf) to exactly its mapping value
// and require it; every oneOf member must be mapped and every mapping target
// be a member; every enum value of the discriminator property on the union
// or on a member's base must be mapped.
func checkDiscriminators(doc *openapi3.T, file string) []string {
	var msgs []string
	add := func(format string, args ...any) { msgs = append(msgs, fmt.Sprintf(file+": "+format, args...)) }
	for _, n := range discriminatedSchemas(doc) {
		s, d := n.schema, n.schema.Discriminator
		where := n.where
		prop := d.PropertyName
		if prop == "" {
			add("%s: discriminator has no propertyName", where)
			continue
		}
		if len(s.OneOf) == 0 {
			add("%s: discriminator on %q outside a oneOf: the discriminator belongs on the union (oapi-codegen ignores one on an allOf base)", where, prop)
			continue
		}
		if len(d.Mapping) == 0 {
			add("%s: discriminator on %q has no explicit mapping", where, prop)
			continue
		}
		members := map[string]bool{}
		for i, m := range s.OneOf {
			if m.Ref == "" {
				add("%s: oneOf member %d is an inline schema; each member must be a named schema", where, i)
				continue
			}
			members[m.Ref] = true
		}
		targets := map[string]bool{}
		allowed := map[string]bool{}
		for _, value := range mappingKeys(d) {
			allowed[value] = true
			ref := d.Mapping[value].Ref
			targets[ref] = true
			name, ok := strings.CutPrefix(ref, schemaRefPrefix)
			target := doc.Components.Schemas[name]
			if !ok || target == nil || target.Value == nil {
				add("%s: mapping %s %q points at %q, which is not a schema in components.schemas", where, prop, value, ref)
				continue
			}
			if !members[ref] {
				add("%s: mapping %s %q points at %s, which is not a oneOf member", where, prop, value, name)
			}
			props := propertySchemas(target.Value, prop)
			if len(props) == 0 {
				add("%s: mapping %s %q points at %s, which has no property %q (looked up through allOf)", where, prop, value, name, prop)
				continue
			}
			if !isRequired(target.Value, prop) {
				add("%s: mapping %s %q points at %s, which does not require %q", where, prop, value, name, prop)
			}
			enum, constrained := effectiveEnum(props)
			switch {
			case !constrained:
				add("%s: mapping %s %q points at %s, whose %q is not constrained by enum (want enum [%s])", where, prop, value, name, prop, value)
			case len(enum) != 1 || enum[0] != value:
				add("%s: mapping %s %q points at %s, whose %q is constrained to %q, want exactly [%s]", where, prop, value, name, prop, enum, value)
			}
		}
		for _, m := range s.OneOf {
			if m.Ref != "" && !targets[m.Ref] {
				add("%s: oneOf member %s has no entry in the discriminator mapping", where, strings.TrimPrefix(m.Ref, schemaRefPrefix))
			}
		}
		// Enum values declared for the discriminator property on the union
		// itself or on any member (a shared base) must all be mapped.
		declared := enumStrings(propertySchemas(s, prop))
		for _, m := range s.OneOf {
			if m.Value != nil {
				declared = append(declared, enumStrings(propertySchemas(m.Value, prop))...)
			}
		}
		slices.Sort(declared)
		for _, v := range slices.Compact(declared) {
			if !allowed[v] {
				add("%s: %q is an enum value of the discriminator property %q but has no mapping entry", where, v, prop)
			}
		}
	}
	return msgs
}

type namedSchema struct {
	where  string
	schema *openapi3.Schema
}

// discriminatedSchemas returns every schema with a discriminator in doc:
// components and the inline schemas of operations, parameters, request bodies
// and responses, with a location for messages.
func discriminatedSchemas(doc *openapi3.T) []namedSchema {
	var out []namedSchema
	seen := map[*openapi3.Schema]bool{}
	var visit func(where string, ref *openapi3.SchemaRef)
	visit = func(where string, ref *openapi3.SchemaRef) {
		if ref == nil || ref.Value == nil {
			return
		}
		if ref.Ref != "" {
			if name, ok := strings.CutPrefix(ref.Ref, schemaRefPrefix); ok {
				where = "components.schemas." + name
			}
		}
		s := ref.Value
		if seen[s] {
			return
		}
		seen[s] = true
		if s.Discriminator != nil {
			out = append(out, namedSchema{where, s})
		}
		for _, name := range sortedKeys(s.Properties) {
			visit(where+".properties."+name, s.Properties[name])
		}
		visit(where+".items", s.Items)
		if s.AdditionalProperties.Schema != nil {
			visit(where+".additionalProperties", s.AdditionalProperties.Schema)
		}
		visit(where+".not", s.Not)
		for _, group := range []struct {
			name string
			refs openapi3.SchemaRefs
		}{{"allOf", s.AllOf}, {"oneOf", s.OneOf}, {"anyOf", s.AnyOf}} {
			for i, r := range group.refs {
				visit(fmt.Sprintf("%s.%s[%d]", where, group.name, i), r)
			}
		}
	}
	if doc.Components != nil {
		for _, name := range sortedKeys(doc.Components.Schemas) {
			visit("components.schemas."+name, doc.Components.Schemas[name])
		}
	}
	for _, d := range operationsOf(doc) {
		where := d.op.OperationID
		for _, p := range append(d.item.Parameters, d.op.Parameters...) {
			if p.Value != nil {
				visit(where+".parameters."+p.Value.Name, p.Value.Schema)
			}
		}
		if d.op.RequestBody != nil && d.op.RequestBody.Value != nil {
			for _, ct := range sortedKeys(d.op.RequestBody.Value.Content) {
				visit(where+".requestBody", d.op.RequestBody.Value.Content[ct].Schema)
			}
		}
		if d.op.Responses != nil {
			for code, r := range d.op.Responses.Map() {
				if r.Value == nil {
					continue
				}
				for _, ct := range sortedKeys(r.Value.Content) {
					visit(where+".responses."+code, r.Value.Content[ct].Schema)
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].where < out[j].where })
	return out
}

// propertySchemas returns the schemas of property name in s and, through
// allOf, in every schema s is composed of.
func propertySchemas(s *openapi3.Schema, name string) []*openapi3.Schema {
	var out []*openapi3.Schema
	var visit func(s *openapi3.Schema, depth int)
	visit = func(s *openapi3.Schema, depth int) {
		if s == nil || depth > 32 {
			return
		}
		if p := s.Properties[name]; p != nil && p.Value != nil {
			out = append(out, p.Value)
		}
		for _, part := range s.AllOf {
			visit(part.Value, depth+1)
		}
	}
	visit(s, 0)
	return out
}

// isRequired reports whether s, or a schema it is composed of through allOf,
// requires property name.
func isRequired(s *openapi3.Schema, name string) bool {
	if s == nil {
		return false
	}
	if slices.Contains(s.Required, name) {
		return true
	}
	for _, part := range s.AllOf {
		if isRequired(part.Value, name) {
			return true
		}
	}
	return false
}

// effectiveEnum intersects the enums of the given schemas (and of the schemas
// they are composed of through allOf): the values a property declared in all
// of them may take. constrained is false when none of them has an enum.
func effectiveEnum(schemas []*openapi3.Schema) (enum []string, constrained bool) {
	var sets [][]string
	var collect func(s *openapi3.Schema, depth int)
	collect = func(s *openapi3.Schema, depth int) {
		if s == nil || depth > 32 {
			return
		}
		if len(s.Enum) > 0 {
			sets = append(sets, stringsOf(s.Enum))
		}
		for _, part := range s.AllOf {
			collect(part.Value, depth+1)
		}
	}
	for _, s := range schemas {
		collect(s, 0)
	}
	if len(sets) == 0 {
		return nil, false
	}
	enum = sets[0]
	for _, set := range sets[1:] {
		enum = slices.DeleteFunc(slices.Clone(enum), func(v string) bool { return !slices.Contains(set, v) })
	}
	return enum, true
}

// enumStrings lists every enum value of the given schemas and of the schemas
// they are composed of through allOf.
func enumStrings(schemas []*openapi3.Schema) []string {
	var out []string
	var collect func(s *openapi3.Schema, depth int)
	collect = func(s *openapi3.Schema, depth int) {
		if s == nil || depth > 32 {
			return
		}
		out = append(out, stringsOf(s.Enum)...)
		for _, part := range s.AllOf {
			collect(part.Value, depth+1)
		}
	}
	for _, s := range schemas {
		collect(s, 0)
	}
	return out
}

func stringsOf(values []any) []string {
	out := make([]string, 0, len(values))
	for _, v := range values {
		out = append(out, fmt.Sprint(v))
	}
	return out
}

func mappingKeys(d *openapi3.Discriminator) []string {
	return sortedKeys(d.Mapping)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// setDiff returns the values of a that are not in b, sorted.
func setDiff(a, b []string) []string {
	var out []string
	for _, v := range a {
		if !slices.Contains(b, v) {
			out = append(out, v)
		}
	}
	sort.Strings(out)
	return out
}

// petsDoc is a small document with a correct union, for
// TestCheckDiscriminatorsReportsFaults to break in one place at a time.
const petsDoc = `
openapi: 3.0.3
info: {title: pets, version: '1'}
paths: {}
components:
  schemas:
    Pet:
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Dog'
      discriminator:
        propertyName: kind
        mapping:
          cat: '#/components/schemas/Cat'
          dog: '#/components/schemas/Dog'
    PetBase:
      type: object
      properties:
        name: {type: string}
        kind: {type: string, enum: [cat, dog]}
    Cat:
      allOf:
        - $ref: '#/components/schemas/PetBase'
        - type: object
          required: [kind]
          properties:
            kind: {type: string, enum: [cat]}
    Dog:
      allOf:
        - $ref: '#/components/schemas/PetBase'
        - type: object
          required: [kind]
          properties:
            kind: {type: string, enum: [dog]}
`

func TestCheckUnionEnumReportsFaults(t *testing.T) {
	const kinds = `
    PetKind:
      type: string
      enum: [cat, dog]
`
	for _, tc := range []struct {
		name, old, new string
		want           []string
	}{
		{"correct", "", "", nil},
		{"enum value deleted", "enum: [cat, dog]\n", "enum: [cat]\n",
			[]string{`pets.yaml: Pet maps kind "dog", but "dog" is not a value of PetKind`}},
		{"enum value added", "enum: [cat, dog]\n", "enum: [cat, dog, bird]\n",
			[]string{`pets.yaml: PetKind lists "bird", but Pet's discriminator mapping has no kind "bird"`}},
		{"enum without values", "      enum: [cat, dog]\n", "",
			[]string{"pets.yaml: components.schemas.PetKind, the enum of Pet's \"kind\", has no enum values"}},
		{"enum schema missing", "    PetKind:", "    PetKinds:",
			[]string{"pets.yaml: components.schemas.PetKind, the enum of Pet's \"kind\", is missing"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			extra := kinds
			if tc.old != "" {
				if !strings.Contains(extra, tc.old) {
					t.Fatalf("test case: %q not in the PetKind schema", tc.old)
				}
				extra = strings.Replace(extra, tc.old, tc.new, 1)
			}
			doc, err := openapi3.NewLoader().LoadFromData([]byte(strings.TrimRight(petsDoc, "\n") + extra))
			if err != nil {
				t.Fatal(err)
			}
			if msgs := checkUnionEnum(doc, "pets.yaml", "Pet", "PetKind"); !slices.Equal(msgs, tc.want) {
				t.Errorf("checkUnionEnum =\n%s\nwant\n%s", strings.Join(msgs, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestCheckDiscriminatorsReportsFaults(t *testing.T) {
	for _, tc := range []struct {
		name, old, new string
		want           []string // message prefixes, in order
	}{
		{"correct", "", "", nil},
		{"mapping entry deleted", "          dog: '#/components/schemas/Dog'\n", "",
			[]string{
				"pets.yaml: components.schemas.Pet: oneOf member Dog has no entry in the discriminator mapping",
				`pets.yaml: components.schemas.Pet: "dog" is an enum value of the discriminator property "kind" but has no mapping entry`,
			}},
		{"mapping to a missing schema", "dog: '#/components/schemas/Dog'", "dog: '#/components/schemas/Doggo'",
			[]string{
				`pets.yaml: components.schemas.Pet: mapping kind "dog" points at "#/components/schemas/Doggo", which is not a schema in components.schemas`,
				"pets.yaml: components.schemas.Pet: oneOf member Dog has no entry in the discriminator mapping",
			}},
		{"member constrained to another value", "kind: {type: string, enum: [dog]}", "kind: {type: string, enum: [cat]}",
			[]string{`pets.yaml: components.schemas.Pet: mapping kind "dog" points at Dog, whose "kind" is constrained to ["cat"], want exactly [dog]`}},
		{"member not constrained", "kind: {type: string, enum: [dog]}", "kind: {type: string}",
			[]string{`pets.yaml: components.schemas.Pet: mapping kind "dog" points at Dog, whose "kind" is constrained to ["cat" "dog"], want exactly [dog]`}},
		{"discriminator not required", "required: [kind]\n          properties:\n            kind: {type: string, enum: [dog]}", "properties:\n            kind: {type: string, enum: [dog]}",
			[]string{`pets.yaml: components.schemas.Pet: mapping kind "dog" points at Dog, which does not require "kind"`}},
		{"enum value without mapping", "enum: [cat, dog]", "enum: [cat, dog, bird]",
			[]string{`pets.yaml: components.schemas.Pet: "bird" is an enum value of the discriminator property "kind" but has no mapping entry`}},
		{"discriminator on an allOf base", "    PetBase:\n      type: object\n", "    PetBase:\n      type: object\n      discriminator: {propertyName: kind}\n",
			[]string{`pets.yaml: components.schemas.PetBase: discriminator on "kind" outside a oneOf`}},
		{"inline member", "        - $ref: '#/components/schemas/Dog'\n", "        - $ref: '#/components/schemas/Dog'\n        - {type: object}\n",
			[]string{"pets.yaml: components.schemas.Pet: oneOf member 2 is an inline schema"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := petsDoc
			if tc.old != "" {
				if !strings.Contains(src, tc.old) {
					t.Fatalf("test case: %q not in petsDoc", tc.old)
				}
				src = strings.Replace(src, tc.old, tc.new, 1)
			}
			doc, err := openapi3.NewLoader().LoadFromData([]byte(src))
			if err != nil {
				t.Fatal(err)
			}
			msgs := checkDiscriminators(doc, "pets.yaml")
			ok := len(msgs) == len(tc.want)
			for i := 0; ok && i < len(msgs); i++ {
				ok = strings.HasPrefix(msgs[i], tc.want[i])
			}
			if !ok {
				t.Errorf("checkDiscriminators =\n%s\nwant messages starting\n%s", strings.Join(msgs, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}
