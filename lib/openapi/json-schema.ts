/** zod's JSON Schema output, made into OpenAPI components, and the helpers that post-process it. */
import * as z from 'zod/mini';

export type JsonSchema = z.core.JSONSchema.BaseSchema;

/** JSON Schemas of the named zod schemas, as components (no $schema/$id: the document is the context). */
export function componentSchemas(schemas: ReadonlyMap<string, z.ZodMiniType>, io: 'input' | 'output'): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of schemas) registry.add(schema, { id });
  const { schemas: generated } = z.toJSONSchema(registry, {
    io,
    target: 'draft-2020-12',
    uri: (id) => `#/components/schemas/${id}`,
  });
  return Object.fromEntries(
    Object.entries(generated).map(([id, { $schema: _schema, $id: _id, ...schema }]) => [id, schema]),
  );
}

export function inlineSchema(schema: z.ZodMiniType): JsonSchema {
  const { $schema: _schema, ...json } = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' });
  return json;
}

export function property(schema: JsonSchema, name: string): JsonSchema {
  const node = schema.properties?.[name];
  if (node === undefined || typeof node === 'boolean') throw new Error(`lib/openapi: no property ${name} in the schema`);
  return node;
}

/** Sets `description` (and `default`) on the property at `path`; throws when the path does not exist, so renames surface. */
export function annotate(schema: JsonSchema, path: string, description: string, defaultValue?: unknown): void {
  const node = path.split('.').reduce(property, schema);
  node.description = node.description ? `${description} ${node.description}` : description;
  if (defaultValue !== undefined) node.default = defaultValue;
}

/** The non-null option of a nullable field (zod states `nullable(X)` as `anyOf: [X, {type: 'null'}]`). */
export function nonNull(schema: JsonSchema | undefined, what: string): JsonSchema {
  const option = schema?.anyOf?.find((candidate) => candidate.type !== 'null');
  if (!option) throw new Error(`lib/openapi: ${what} is no longer a nullable field`);
  return option;
}

/** A field the schema takes only to name it in the 400 (z.unknown plus a refinement): absent or null only. */
export function onlyAbsentOrNull(schema: JsonSchema, name: string, description: string): void {
  property(schema, name);
  schema.properties![name] = { type: 'null', description };
}

/** A rule as the messages state it ("must be 1 to 64 letters ..."), as a description states it ("1 to 64 letters ..."). */
export const ruleText = (rule: string): string => rule.replace(/^must be /, '');
