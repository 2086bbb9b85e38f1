/** Ground-truth labels for every anomaly the simulation injects (DIR/anomalies.ndjson). */
import { z } from 'zod';

export const ANOMALY_KINDS = [
  'payment_delay',
  'overdue_payment',
  'delivery_delay',
  'delivery_failure',
  'cancellation',
  'stockout',
  'refund',
  'order_burst',
  'order_spread',
] as const;
export const AnomalyKind = z.enum(ANOMALY_KINDS);
export type AnomalyKind = z.infer<typeof AnomalyKind>;

/** Kinds drawn per order from a scenario's anomaly mix (bursts and spreads are per day). */
export const ORDER_ANOMALY_KINDS = ['payment_delay', 'delivery_delay', 'delivery_failure', 'cancellation', 'stockout', 'refund'] as const;
export type OrderAnomalyKind = (typeof ORDER_ANOMALY_KINDS)[number];

export const AnomalyLabel = z.object({
  kind: AnomalyKind,
  /** Table of the record that shows the anomaly (orders, payments, shipments, …; 'days' for bursts). */
  entity: z.string(),
  id: z.string(),
  /** When the anomaly becomes observable in the data. */
  time: z.iso.datetime(),
  /** 'injected': drawn from the scenario's anomaly rate; 'emergent': a consequence, e.g. a product run dry. */
  cause: z.enum(['injected', 'emergent']),
  order_id: z.string().nullable(),
  detail: z.string(),
});
export type AnomalyLabel = z.infer<typeof AnomalyLabel>;
