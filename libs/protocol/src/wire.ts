import { z } from 'zod';

/**
 * The fields of an object schema that parsing fills in when left out, with the value it fills
 * (primitives and null only: they compare with ===). What goes out to many clients (snapshots,
 * events) leaves these out when they hold that value.
 */
export function fieldDefaults(shape: Record<string, z.ZodType>): Map<string, unknown> {
  return new Map(
    Object.entries(shape).flatMap(([field, schema]) =>
      schema instanceof z.ZodDefault &&
      (schema.def.defaultValue === null || typeof schema.def.defaultValue !== 'object')
        ? [[field, schema.def.defaultValue as unknown] as const]
        : [],
    ),
  );
}

/** A copy of `value` without the fields at their default, nor those named in `skip`. */
export function withoutDefaults<T extends object>(value: T, defaults: Map<string, unknown>, skip?: string): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const field in value) {
    const v = (value as Record<string, unknown>)[field];
    if (field !== skip && !(defaults.has(field) && defaults.get(field) === v)) out[field] = v;
  }
  return out as Partial<T>;
}
