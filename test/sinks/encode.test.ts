import { beforeAll, describe, expect, it } from 'vitest';
import { ENTITY_NAMES, ENTITY_SCHEMAS, type EntityName } from '../../src/domain/entities.js';
import { csvEncoder, csvHeader, fileFraming, jsonTexts } from '../../src/sinks/encode.js';
import { runEngine } from '../helpers/engine.js';

async function sampleRecords(): Promise<Record<EntityName, Array<Record<string, unknown>>>> {
  const out = Object.fromEntries(ENTITY_NAMES.map((e) => [e, [] as Array<Record<string, unknown>>])) as Record<EntityName, Array<Record<string, unknown>>>;
  const world = await runEngine(
    { scenario: 'anomaly-heavy', from: '2024-01-01', to: '2024-02-15' },
    (day) => {
      for (const [name, rows] of Object.entries(day.records)) out[name as EntityName].push(...(rows as Array<Record<string, unknown>>));
    },
    (engine) => {
      for (const [name, rows] of Object.entries(engine)) out[name as EntityName].push(...(rows as Array<Record<string, unknown>>));
    },
  );
  for (const name of ['users', 'companies', 'branches', 'customers', 'suppliers', 'products'] as const) out[name] = world.dims[name] as unknown as Array<Record<string, unknown>>;
  return out;
}

describe('record encoding', () => {
  let records: Record<EntityName, Array<Record<string, unknown>>>;
  beforeAll(async () => {
    records = await sampleRecords();
  });

  it('builds every record with its schema\'s keys in schema order, and valid against the schema', () => {
    for (const name of ENTITY_NAMES) {
      const keys = Object.keys((ENTITY_SCHEMAS[name] as unknown as { shape: object }).shape);
      expect(records[name].length, name).toBeGreaterThan(0);
      for (const r of records[name].slice(0, 500)) {
        expect(Object.keys(r), name).toEqual(keys);
        const parsed = ENTITY_SCHEMAS[name].safeParse(r);
        expect(parsed.success, `${name}: ${parsed.error?.message}`).toBe(true);
      }
    }
  });

  it('splits one JSON.stringify of many records into exactly JSON.stringify of each', () => {
    for (const name of ENTITY_NAMES) expect(jsonTexts(records[name]), name).toEqual(records[name].map((r) => JSON.stringify(r)));
    const awkward = [
      { s: 'quote " backslash \\ newline \n tab \t nul \u0000 bell \u0007', u: 'عربي – São Paulo 😀', lone: '\ud800x\udc00', n: [1.5, -0, 1e21, 5e-7, NaN, Infinity] },
      { nested: [{ a: '\u0000' }, ['\u0000x', 'x\u0000'], { '\u0000': '\u0000' }], gone: undefined, f: () => 1, d: new Date(0) },
      {},
      { e: [] },
    ];
    expect(jsonTexts(awkward)).toEqual(awkward.map((r) => JSON.stringify(r)));
    expect(jsonTexts([])).toEqual([]);
    expect(jsonTexts([{ a: 1 }])).toEqual(['{"a":1}']);
  });

  it('gives up on the one-call split when a record holds its mark as an array element', () => {
    expect(jsonTexts([{ a: 1 }, { list: ['x', '\u0000', 'y'] }, { a: 2 }])).toBeNull();
    expect(jsonTexts([{ list: [0, '\u0000', '\u0000', 0] }, { a: 2 }])).toBeNull();
    // Only a mark between two commas is one: these split, and exactly.
    const edges = [{ list: ['\u0000', '\u0000'] }, { a: '\u0000', b: ['\u0000'] }];
    expect(jsonTexts(edges)).toEqual(edges.map((r) => JSON.stringify(r)));
  });

  it('writes CSV with one column per field, nested objects flattened', () => {
    expect(csvHeader(ENTITY_SCHEMAS.orders)).toContain(',shipping_address_street,shipping_address_city,shipping_address_state,shipping_address_zip_code,shipping_address_country,');
    const encode = csvEncoder(ENTITY_SCHEMAS.orders);
    const columns = csvHeader(ENTITY_SCHEMAS.orders).trim().split(',').length;
    // Parse with a minimal RFC 4180 reader to prove every row has exactly the header's columns.
    for (const o of records.orders.slice(0, 300)) expect(parseCsvRow(encode(o as never))).toHaveLength(columns);
  });

  it('quotes CSV cells that hold commas, quotes or newlines, and writes nulls as empty cells', () => {
    const encode = csvEncoder(ENTITY_SCHEMAS.refunds);
    const row = encode({
      refund_id: 'RFD-1',
      order_id: 'ORD-1',
      payment_id: 'PAY-1',
      amount: 10.5,
      reason: 'said "broken", twice\nthen left',
      status: 'pending',
      requested_at: '2024-01-01T00:00:00.000Z',
      resolved_at: null,
      resolved_by: null,
      rejection_reason: null,
    } as never);
    expect(row).toBe('RFD-1,ORD-1,PAY-1,10.5,"said ""broken"", twice\nthen left",pending,2024-01-01T00:00:00.000Z,,,');
    expect(parseCsvRow(row)[4]).toBe('said "broken", twice\nthen left');
  });

  it('frames files so an empty or full file is valid in every format', () => {
    expect(fileFraming('json', 'orders')).toMatchObject({ head: '[\n', separator: ',\n', tail: '\n]\n' });
    expect(fileFraming('ndjson', 'orders')).toMatchObject({ head: '', separator: '\n', tail: '\n' });
    expect(fileFraming('csv', 'users').head).toBe(csvHeader(ENTITY_SCHEMAS.users));
  });
});

function parseCsvRow(row: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < row.length; i++) {
    const c = row[i];
    if (quoted) {
      if (c === '"' && row[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') cells.push(cell), (cell = '');
    else cell += c;
  }
  cells.push(cell);
  return cells;
}
