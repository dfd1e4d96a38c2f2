// Zod schemas as JSON Schema (the subset OpenAPI 3.1 takes): enough for the
// command inputs and configuration kinds. Refinements and transforms are
// checked by the server only; recursive (lazy) schemas stop at one level.
import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;

export function toJsonSchema(schema: z.ZodTypeAny, seen = new Set<z.ZodTypeAny>()): JsonSchema {
  const out = convert(schema, seen);
  const desc = schema.description;
  return desc && out.description === undefined ? { ...out, description: desc } : out;
}

function convert(s: z.ZodTypeAny, seen: Set<z.ZodTypeAny>): JsonSchema {
  const def = s._def as { typeName: string } & Record<string, unknown>;
  switch (def.typeName) {
    case 'ZodString': {
      const o: JsonSchema = { type: 'string' };
      for (const c of (def.checks as { kind: string; value?: number; regex?: RegExp }[])) {
        if (c.kind === 'min') o.minLength = c.value;
        else if (c.kind === 'max') o.maxLength = c.value;
        else if (c.kind === 'length') { o.minLength = c.value; o.maxLength = c.value; }
        else if (c.kind === 'regex') o.pattern = c.regex!.source;
        else if (c.kind === 'email') o.format = 'email';
        else if (c.kind === 'url') o.format = 'uri';
        else if (c.kind === 'datetime') o.format = 'date-time';
        else if (c.kind === 'uuid') o.format = 'uuid';
      }
      return o;
    }
    case 'ZodNumber': {
      const o: JsonSchema = { type: 'number' };
      for (const c of (def.checks as { kind: string; value?: number; inclusive?: boolean }[])) {
        if (c.kind === 'int') o.type = 'integer';
        else if (c.kind === 'min') o[c.inclusive ? 'minimum' : 'exclusiveMinimum'] = c.value;
        else if (c.kind === 'max') o[c.inclusive ? 'maximum' : 'exclusiveMaximum'] = c.value;
      }
      return o;
    }
    case 'ZodBoolean': return { type: 'boolean' };
    case 'ZodNull': return { type: 'null' };
    case 'ZodDate': return { type: 'string', format: 'date-time' };
    case 'ZodLiteral': return { const: def.value };
    case 'ZodEnum': return { type: 'string', enum: def.values };
    case 'ZodNativeEnum': return { enum: Object.values(def.values as object) };
    case 'ZodArray': {
      const o: JsonSchema = { type: 'array', items: toJsonSchema(def.type as z.ZodTypeAny, seen) };
      if (def.minLength) o.minItems = (def.minLength as { value: number }).value;
      if (def.maxLength) o.maxItems = (def.maxLength as { value: number }).value;
      return o;
    }
    case 'ZodTuple': return { type: 'array', prefixItems: (def.items as z.ZodTypeAny[]).map((i) => toJsonSchema(i, seen)) };
    case 'ZodObject': {
      const shape = (s as z.AnyZodObject).shape as Record<string, z.ZodTypeAny>;
      const properties: Record<string, JsonSchema> = {};
      const required: string[] = [];
      for (const [k, v] of Object.entries(shape)) {
        properties[k] = toJsonSchema(v, seen);
        if (!v.isOptional()) required.push(k);
      }
      const o: JsonSchema = { type: 'object', properties };
      if (required.length) o.required = required;
      if (def.unknownKeys === 'strict') o.additionalProperties = false;
      return o;
    }
    case 'ZodRecord': return { type: 'object', additionalProperties: toJsonSchema(def.valueType as z.ZodTypeAny, seen) };
    case 'ZodUnion':
    case 'ZodDiscriminatedUnion': {
      const opts = (def.options as z.ZodTypeAny[] | Map<unknown, z.ZodTypeAny>);
      return { anyOf: [...(opts instanceof Map ? opts.values() : opts)].map((o) => toJsonSchema(o, seen)) };
    }
    case 'ZodIntersection': return { allOf: [toJsonSchema(def.left as z.ZodTypeAny, seen), toJsonSchema(def.right as z.ZodTypeAny, seen)] };
    case 'ZodOptional': return toJsonSchema(def.innerType as z.ZodTypeAny, seen);
    case 'ZodNullable': return { anyOf: [toJsonSchema(def.innerType as z.ZodTypeAny, seen), { type: 'null' }] };
    case 'ZodDefault': return { ...toJsonSchema(def.innerType as z.ZodTypeAny, seen), default: (def.defaultValue as () => unknown)() };
    case 'ZodCatch':
    case 'ZodReadonly':
    case 'ZodBranded': return toJsonSchema((def.innerType ?? def.type) as z.ZodTypeAny, seen);
    case 'ZodEffects': return toJsonSchema(def.schema as z.ZodTypeAny, seen);
    case 'ZodPipeline': return toJsonSchema(def.in as z.ZodTypeAny, seen);
    case 'ZodLazy': {
      if (seen.has(s)) return { description: 'recursive: same shape as its parent' };
      seen.add(s);
      const inner = toJsonSchema((def.getter as () => z.ZodTypeAny)(), seen);
      seen.delete(s);
      return inner;
    }
    default: return {};   // unknown / any
  }
}
