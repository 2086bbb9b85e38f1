/**
 * The rows of the forecasts, alerts and daily_summaries tables: each one the event the engine
 * emitted, as a record. One mapping for the batch writer and the live writer, so a table
 * holds exactly what the stream said.
 */
import type { AlertRecord, DailySummaryRecord, EngineEntity, ForecastRecord } from '../domain/entities.js';
import type { EventData, EventType } from '../domain/events.js';
import type { TimedEvent } from './order-events.js';
import { iso } from './time.js';

type AlertType = Extract<EventType, 'alert.low_stock' | 'alert.reorder_needed' | 'alert.stockout_risk' | 'alert.dead_stock'>;

// One formatter for every message: toLocaleString with options builds a new Intl.NumberFormat per call.
// Made on first use: building it loads ICU's locale data (about 20 ms), which a command that writes no alert never needs.
let UNITS: Intl.NumberFormat | null = null;
const units = (n: number) => (UNITS ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 })).format(n);

function forecastRecord(t: number, type: 'forecast.generated' | 'forecast.updated', d: EventData<'forecast.generated'> | EventData<'forecast.updated'>): ForecastRecord {
  const generated = type === 'forecast.generated' ? (d as EventData<'forecast.generated'>) : null;
  const updated = type === 'forecast.updated' ? (d as EventData<'forecast.updated'>) : null;
  return {
    forecast_id: d.forecast_id,
    kind: generated ? 'generated' : 'updated',
    scope: d.scope,
    category: d.category,
    product_id: generated?.product_id ?? null,
    method: generated?.method ?? 'holt_winters',
    made_at: iso(t),
    start_date: d.start_date,
    horizon_days: d.daily.length,
    predicted_demand: generated ? generated.predicted_demand : updated!.new_forecast,
    previous_demand: updated ? updated.old_forecast : null,
    daily: d.daily,
  };
}

/** An alert's row, its fields in the schema's order (the order JSON files and exports show). */
function alertRecord(t: number, type: AlertType, d: EventData<AlertType>): AlertRecord {
  const what = describeAlert(type, d);
  return {
    alert_id: d.alert_id,
    alert_type: what.alert_type,
    alert_level: what.alert_level,
    raised_at: iso(t),
    product_id: what.product_id,
    product_ids: what.product_ids,
    message: what.message,
    details: d as Record<string, unknown>,
  };
}

function describeAlert(type: AlertType, d: EventData<AlertType>): Pick<AlertRecord, 'alert_type' | 'alert_level' | 'product_id' | 'product_ids' | 'message'> {
  switch (type) {
    case 'alert.low_stock': {
      const a = d as EventData<'alert.low_stock'>;
      const list = a.affected_products.map((p) => `${p.product_name} (${units(p.current_stock)} left, safety stock ${units(p.threshold)})`).join(', ');
      const n = a.affected_products.length;
      return {
        alert_type: 'low_stock',
        alert_level: a.alert_level,
        product_id: n === 1 ? a.affected_products[0].product_id : null,
        product_ids: a.affected_products.map((p) => p.product_id),
        message: `${n === 1 ? '1 product' : `${n} products`} below safety stock: ${list}`,
      };
    }
    case 'alert.reorder_needed': {
      const a = d as EventData<'alert.reorder_needed'>;
      return {
        alert_type: 'reorder_needed',
        alert_level: 'info',
        product_id: a.product_id,
        product_ids: [a.product_id],
        message: `Reorder ${units(a.recommended_quantity)} × ${a.product_name} from ${a.supplier_id} (${a.purchase_order_id}): stock position ${units(a.stock_position)} (${units(a.current_stock)} on hand) at reorder point ${units(a.reorder_point)}; arrives ${a.expected_arrival.slice(0, 10)}`,
      };
    }
    case 'alert.stockout_risk': {
      const a = d as EventData<'alert.stockout_risk'>;
      return {
        alert_type: 'stockout_risk',
        alert_level: a.current_stock === 0 ? 'critical' : 'warning',
        product_id: a.product_id,
        product_ids: [a.product_id],
        message:
          a.current_stock === 0
            ? `${a.product_name} is out of stock${a.next_delivery ? `; next delivery ${a.next_delivery.slice(0, 10)}` : ''}`
            : `${a.product_name} runs out in ${units(a.days_until_stockout)} days at ${units(a.daily_demand)} a day, before its next delivery (${a.next_delivery?.slice(0, 10) ?? 'none'})`,
      };
    }
    case 'alert.dead_stock': {
      const a = d as EventData<'alert.dead_stock'>;
      return {
        alert_type: 'dead_stock',
        alert_level: 'info',
        product_id: a.product_id,
        product_ids: [a.product_id],
        message: `${a.product_name}: no sale for ${a.days_since_sale} days, ${units(a.current_stock)} units (${a.value.toFixed(2)} ${a.currency}) on the shelf`,
      };
    }
  }
}

function dailySummaryRecord(d: EventData<'analytics.daily_summary'>): DailySummaryRecord {
  const { by_status: s, ...rest } = d;
  return {
    date: rest.date,
    orders: rest.orders,
    revenue: rest.revenue,
    currency: rest.currency,
    average_order_value: rest.average_order_value,
    delayed: rest.delayed,
    pending: s.pending,
    shipped: s.shipped,
    delivered: s.delivered,
    failed: s.failed,
    cancelled: s.cancelled,
    by_region: rest.by_region,
    by_pattern: rest.by_pattern,
    top_products: rest.top_products,
  };
}

export type EngineRecords = { forecasts: ForecastRecord[]; alerts: AlertRecord[]; daily_summaries: DailySummaryRecord[] };

export const emptyEngineRecords = (): EngineRecords => ({ forecasts: [], alerts: [], daily_summaries: [] });

/** The table and row an engine event is, or null for the events that are not rows of these tables. */
export function engineRecordOf(e: TimedEvent): { entity: EngineEntity; row: ForecastRecord | AlertRecord | DailySummaryRecord } | null {
  switch (e.type) {
    case 'forecast.generated':
    case 'forecast.updated':
      return { entity: 'forecasts', row: forecastRecord(e.t, e.type, e.data as EventData<'forecast.generated'>) };
    case 'alert.low_stock':
    case 'alert.reorder_needed':
    case 'alert.stockout_risk':
    case 'alert.dead_stock':
      return { entity: 'alerts', row: alertRecord(e.t, e.type, e.data as EventData<AlertType>) };
    case 'analytics.daily_summary':
      return { entity: 'daily_summaries', row: dailySummaryRecord(e.data as EventData<'analytics.daily_summary'>) };
    default:
      return null;
  }
}

/** The rows a list of engine events makes, per table, in event order. */
export function engineRecords(events: readonly TimedEvent[], into: EngineRecords = emptyEngineRecords()): EngineRecords {
  for (const e of events) {
    const r = engineRecordOf(e);
    if (r) (into[r.entity] as unknown[]).push(r.row);
  }
  return into;
}
