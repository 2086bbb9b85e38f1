/**
 * What one simulated day collects: its records, its anomaly labels and (optionally) its
 * events. Anything stamped at or after the dataset's as-of instant has not happened yet
 * and is dropped here, in one place.
 */
import type { AnomalyKind, AnomalyLabel } from '../domain/anomalies.js';
import type { Entities, FactEntity } from '../domain/entities.js';
import type { EventType } from '../domain/events.js';
import { Rng } from '../random/rng.js';
import { iso } from './time.js';
import type { DayPlan, World } from './world.js';

export type FactRecords = { [K in FactEntity]: Entities[K][] };

export interface TimedEvent {
  t: number;
  type: EventType;
  data: Record<string, unknown>;
}

/** IP addresses from the documentation ranges (RFC 5737): never a real host. */
const IP_PREFIXES = ['192.0.2.', '198.51.100.', '203.0.113.'];

export class DayContext {
  readonly records: FactRecords = {
    orders: [],
    order_items: [],
    inventory_movements: [],
    shipments: [],
    payments: [],
    discounts: [],
    refunds: [],
    maintenance_visits: [],
    audit_logs: [],
  };
  readonly anomalies: AnomalyLabel[] = [];
  readonly events: TimedEvent[] | null;
  readonly ymd: string;
  private auditSeq = 0;
  private movementSeq = 0;
  private readonly eventRng: Rng;

  constructor(
    readonly world: World,
    readonly plan: DayPlan,
    withEvents: boolean,
  ) {
    this.events = withEvents ? [] : null;
    this.ymd = plan.date.replaceAll('-', '');
    this.eventRng = Rng.derive(world.config.seed, 'events', plan.index);
  }

  stream(name: string): Rng {
    return Rng.derive(this.world.config.seed, name, this.plan.index);
  }

  happened(t: number): boolean {
    return t < this.world.asOfMs;
  }

  nextMovementId(): string {
    return `MOV-${this.ymd}-${String(++this.movementSeq).padStart(6, '0')}`;
  }

  audit(
    t: number,
    actor: { type: 'user' | 'customer' | 'system'; userId: string | null; ip?: string | null },
    action: string,
    entityType: string,
    entityId: string,
    details: Record<string, string | number | boolean | null>,
  ): void {
    const seq = ++this.auditSeq; // numbered even when cut off, so ids do not depend on --to
    if (!this.happened(t)) return;
    this.records.audit_logs.push({
      audit_id: `AUD-${this.ymd}-${String(seq).padStart(6, '0')}`,
      actor_type: actor.type,
      user_id: actor.userId,
      action,
      entity_type: entityType,
      entity_id: entityId,
      occurred_at: iso(t),
      ip_address: actor.ip ?? null,
      details,
    });
  }

  ip(rng: Rng): string {
    return `${rng.pick(IP_PREFIXES)}${rng.int(1, 254)}`;
  }

  label(kind: AnomalyKind, entity: string, id: string, t: number, cause: 'injected' | 'emergent', orderId: string | null, detail: string): void {
    if (!this.happened(t)) return;
    this.anomalies.push({ kind, entity, id, time: iso(t), cause, order_id: orderId, detail });
  }

  emit(t: number, type: EventType, data: Record<string, unknown>): void {
    if (this.events && this.happened(t)) this.events.push({ t, type, data });
  }

  /** Events in time order with their envelope ids (ids drawn after sorting, so they follow the log). */
  envelopes(): Array<{ t: number; line: string }> {
    if (!this.events) return [];
    const sorted = this.events.map((e, i) => ({ e, i })).sort((a, b) => a.e.t - b.e.t || a.i - b.i);
    return sorted.map(({ e }) => ({
      t: e.t,
      line: JSON.stringify({ type: 'event', event_id: this.eventRng.uuid(), event_type: e.type, timestamp: iso(e.t), data: e.data }),
    }));
  }
}
