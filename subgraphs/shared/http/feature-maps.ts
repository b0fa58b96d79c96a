/**
 * A subgraph's resolvers and permissions come from one map per feature (`wallet-resolvers.ts`,
 * `campaign-permissions.ts`, …), each covering the fields of its `schema/<kind>/<feature>.graphql`. They are
 * merged type by type; two features claiming the same field is a start-up error, never a silent override.
 */
export type TypeFieldMap = Record<string, unknown>;

function isFieldMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

export function mergeFeatureMaps<T extends TypeFieldMap>(maps: readonly T[], what: string): T {
  const merged: Record<string, unknown> = {};
  for (const map of maps) {
    for (const [typeName, fields] of Object.entries(map)) {
      const existing = merged[typeName];
      if (existing === undefined) {
        merged[typeName] = isFieldMap(fields) ? { ...fields } : fields;
        continue;
      }
      if (!isFieldMap(existing) || !isFieldMap(fields)) {
        throw new Error(`${what}: "${typeName}" is defined by two features and cannot be merged.`);
      }
      for (const [field, value] of Object.entries(fields)) {
        if (field in existing) throw new Error(`${what}: "${typeName}.${field}" is defined by two features.`);
        existing[field] = value;
      }
    }
  }
  return merged as T;
}
