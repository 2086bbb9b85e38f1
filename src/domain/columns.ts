/**
 * The flat column view of an entity schema: nested objects become `parent_child` columns,
 * arrays and maps stay whole (JSON). CSV files and the database tables are both built from
 * this one view, so a CSV day buffer loads into its table with COPY unchanged.
 */
import type { z } from 'zod';
import { ENTITY_SCHEMAS, type EntityName } from './entities.js';

/** What a column holds, as far as storage cares. */
export type ColumnKind = 'text' | 'integer' | 'money' | 'number' | 'boolean' | 'timestamp' | 'json';

export interface Column {
  name: string;
  /** The record field, and for a flattened nested field, the key inside it. */
  field: string;
  sub: string | null;
  kind: ColumnKind;
  nullable: boolean;
}

interface Def {
  type: string;
  innerType?: z.ZodType;
  format?: string;
  check?: string;
}
interface ZodInternals {
  _zod: { def: Def & { checks?: Array<{ _zod: { def: Def & { value?: number } } }> } };
}
const defOf = (s: z.ZodType): ZodInternals['_zod']['def'] => (s as unknown as ZodInternals)._zod.def;

function unwrap(schema: z.ZodType): { schema: z.ZodType; nullable: boolean } {
  let s = schema;
  let nullable = false;
  while (['nullable', 'optional', 'default'].includes(defOf(s).type)) {
    nullable ||= defOf(s).type !== 'default';
    s = defOf(s).innerType!;
  }
  return { schema: s, nullable };
}

function kindOf(schema: z.ZodType): ColumnKind {
  const def = defOf(schema);
  switch (def.type) {
    case 'boolean':
      return 'boolean';
    case 'number': {
      const checks = def.checks ?? [];
      if (checks.some((c) => c._zod.def.check === 'number_format' && String(c._zod.def.format).includes('int'))) return 'integer';
      if (checks.some((c) => c._zod.def.check === 'multiple_of' && c._zod.def.value === 0.01)) return 'money';
      return 'number';
    }
    case 'string':
      return def.format === 'datetime' ? 'timestamp' : 'text';
    case 'enum':
      return 'text';
    case 'array':
    case 'record':
    case 'object':
      return 'json';
    default:
      throw new Error(`no column kind for zod type ${def.type}`);
  }
}

const shapeOf = (schema: z.ZodType): Record<string, z.ZodType> => (schema as unknown as { shape: Record<string, z.ZodType> }).shape;

export function columnsOf(schema: z.ZodType): Column[] {
  return Object.entries(shapeOf(schema)).flatMap(([field, raw]): Column[] => {
    const { schema: s, nullable } = unwrap(raw);
    if (defOf(s).type !== 'object') return [{ name: field, field, sub: null, kind: kindOf(s), nullable }];
    return Object.entries(shapeOf(s)).map(([sub, inner]) => {
      const u = unwrap(inner);
      return { name: `${field}_${sub}`, field, sub, kind: kindOf(u.schema), nullable: nullable || u.nullable };
    });
  });
}

const cache = new Map<EntityName, Column[]>();
export function entityColumns(entity: EntityName): Column[] {
  let cols = cache.get(entity);
  if (!cols) cache.set(entity, (cols = columnsOf(ENTITY_SCHEMAS[entity])));
  return cols;
}
