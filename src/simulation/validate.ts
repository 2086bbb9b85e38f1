/**
 * Checks a generated dataset as it streams past: every foreign key resolves (declared once
 * in FOREIGN_KEYS), money adds up, and no key repeats. Each day is checked against the
 * dimension tables and its own records, since a day's facts only reference those.
 */
import type { EntityName } from '../domain/entities.js';
import { DIMENSION_ENTITIES, FOREIGN_KEYS, PRIMARY_KEYS } from '../domain/entities.js';
import { orderIndexOf } from '../domain/ids.js';
import type { FactRecords } from './render.js';
import type { Dimensions } from './dimensions.js';
import { toCents } from './time.js';

export interface ValidationReport {
  foreignKeys: number;
  moneyChecks: number;
  violations: string[];
  /** Violations beyond the ones listed. */
  more: number;
}

export const emptyReport = (): ValidationReport => ({ foreignKeys: 0, moneyChecks: 0, violations: [], more: 0 });

const MAX_LISTED = 20;

export function mergeReports(into: ValidationReport, add: ValidationReport): void {
  into.foreignKeys += add.foreignKeys;
  into.moneyChecks += add.moneyChecks;
  for (const v of add.violations) {
    if (into.violations.length < MAX_LISTED) into.violations.push(v);
    else into.more++;
  }
  into.more += add.more;
}

type Row = Record<string, unknown>;
type Table = ReadonlyArray<Row>;
type Tables = Partial<Record<EntityName, Table>>;

/**
 * One getter per column: `row[column]` over fifteen record shapes is a megamorphic lookup,
 * and these loops touch every key of millions of records (validation was a third of a
 * worker's time before this).
 */
const getters = new Map<string, (row: Row) => unknown>();
function getter(column: string): (row: Row) => unknown {
  let get = getters.get(column);
  if (!get) {
    if (!/^[a-z_]+$/.test(column)) throw new Error(`not a column name: ${column}`);
    // eslint-disable-next-line no-new-func -- column names come from our own schema declarations
    getters.set(column, (get = new Function('row', `return row.${column};`) as (row: Row) => unknown));
  }
  return get;
}

/** Entities some foreign key points at: only these need a set of their keys. */
const PARENTS = new Set(FOREIGN_KEYS.map((fk) => fk.to));

function keySets(tables: Tables): Map<EntityName, Set<unknown>> {
  const sets = new Map<EntityName, Set<unknown>>();
  for (const [name, rows] of Object.entries(tables) as Array<[EntityName, Table]>) {
    const get = getter(PRIMARY_KEYS[name]);
    const keys = new Set<unknown>();
    for (let i = 0; i < rows.length; i++) keys.add(get(rows[i]));
    sets.set(name, keys);
  }
  return sets;
}

/** A parent key outside the sets: a row of an earlier day (inventory movements of earlier days' orders). */
type Elsewhere = (fk: (typeof FOREIGN_KEYS)[number], value: unknown) => boolean;

function checkKeys(report: ValidationReport, tables: Tables, parents: Map<EntityName, Set<unknown>>, own: Map<EntityName, Set<unknown>>, elsewhere: Elsewhere = () => false): void {
  const fail = (msg: string) => (report.violations.length < MAX_LISTED ? report.violations.push(msg) : report.more++);
  for (const [name, rows] of Object.entries(tables) as Array<[EntityName, Table]>) {
    const keys = own.get(name);
    if (keys && keys.size !== rows.length) fail(`${name}: duplicate ${PRIMARY_KEYS[name]}`);
  }
  for (const fk of FOREIGN_KEYS) {
    const rows = tables[fk.from];
    const parent = parents.get(fk.to);
    if (!rows || !parent) continue;
    const get = getter(fk.column);
    for (let i = 0; i < rows.length; i++) {
      const value = get(rows[i]);
      if (value === null ? !fk.nullable : !parent.has(value) && !elsewhere(fk, value)) fail(`${fk.from}.${fk.column} = ${String(value)} has no ${fk.to} row`);
    }
    report.foreignKeys += rows.length;
  }
}

const dimensionTables = (dims: Dimensions): Tables =>
  Object.fromEntries(DIMENSION_ENTITIES.map((name) => [name, dims[name] as unknown as Table])) as Tables;

export function validateDimensions(dims: Dimensions): ValidationReport {
  const report = emptyReport();
  const tables = dimensionTables(dims);
  const keys = keySets(tables);
  checkKeys(report, tables, keys, keys);
  return report;
}

/** Parent key sets of the dimension tables, built once per worker. */
export function dimensionKeys(dims: Dimensions): Map<EntityName, Set<unknown>> {
  return keySets(dimensionTables(dims));
}

/**
 * A day's rows against the dimension tables and each other. Its inventory movements may
 * belong to orders of earlier days: their numbers must decode to one of the
 * `ordersBefore` orders placed up to the end of the day.
 */
export function validateDay(records: FactRecords, dimKeys: Map<EntityName, Set<unknown>>, ordersBefore: number): ValidationReport {
  const report = emptyReport();
  const fail = (msg: string) => (report.violations.length < MAX_LISTED ? report.violations.push(msg) : report.more++);
  const tables = records as unknown as Tables;
  // Keys of the day's referenced tables (orders, items, payments, visits); the others'
  // keys are built from their order's id or the day's sequence and are checked for
  // uniqueness by the file-level test suite.
  const own = keySets(Object.fromEntries(Object.entries(tables).filter(([name]) => PARENTS.has(name as EntityName))) as Tables);
  checkKeys(report, tables, new Map([...dimKeys, ...own]), own, (fk, value) => {
    if (fk.from !== 'inventory_movements' || fk.to !== 'orders') return false;
    const index = orderIndexOf(String(value));
    return index >= 0 && index < ordersBefore;
  });

  // Money: items sum to the order, discounts to the order's discounts, payments match, refunds stay within payments.
  const itemCents = new Map<string, number>();
  const itemDiscountCents = new Map<string, number>();
  for (const it of records.order_items) {
    report.moneyChecks++;
    if (toCents(it.line_total) !== it.quantity * toCents(it.unit_price)) fail(`${it.order_item_id}: line_total ≠ quantity × unit_price`);
    if (toCents(it.net_total) !== toCents(it.line_total) - toCents(it.discount_amount)) fail(`${it.order_item_id}: net_total ≠ line_total − discount`);
    itemCents.set(it.order_id, (itemCents.get(it.order_id) ?? 0) + toCents(it.net_total));
    itemDiscountCents.set(it.order_id, (itemDiscountCents.get(it.order_id) ?? 0) + toCents(it.discount_amount));
  }
  const discountCents = new Map<string, number>();
  for (const d of records.discounts) discountCents.set(d.order_id, (discountCents.get(d.order_id) ?? 0) + toCents(d.amount));
  const orderTotal = new Map<string, number>();
  for (const o of records.orders) {
    report.moneyChecks += 4;
    const sub = toCents(o.subtotal);
    if (itemCents.get(o.order_id) !== sub) fail(`${o.order_id}: items sum to ${(itemCents.get(o.order_id) ?? 0) / 100}, subtotal is ${o.subtotal}`);
    if (toCents(o.total_amount) !== sub - toCents(o.discount_amount)) fail(`${o.order_id}: total_amount ≠ subtotal − discount_amount`);
    if (toCents(o.total) !== Math.round(o.quantity * o.price * 100)) fail(`${o.order_id}: total ≠ quantity × price`);
    if ((discountCents.get(o.order_id) ?? 0) !== (itemDiscountCents.get(o.order_id) ?? 0) + toCents(o.discount_amount)) {
      fail(`${o.order_id}: discount records do not add up to the order's discounts`);
    }
    orderTotal.set(o.order_id, toCents(o.total_amount));
  }
  const paid = new Map<string, number>();
  for (const p of records.payments) {
    report.moneyChecks++;
    if (toCents(p.amount) !== orderTotal.get(p.order_id)) fail(`${p.payment_id}: amount ≠ order total_amount`);
    paid.set(p.payment_id, toCents(p.amount));
  }
  const refunded = new Map<string, number>();
  for (const r of records.refunds) {
    report.moneyChecks++;
    const sum = (refunded.get(r.payment_id) ?? 0) + (r.status === 'rejected' ? 0 : toCents(r.amount));
    refunded.set(r.payment_id, sum);
    if (sum > (paid.get(r.payment_id) ?? 0)) fail(`${r.refund_id}: refunds exceed payment ${r.payment_id}`);
  }
  return report;
}
