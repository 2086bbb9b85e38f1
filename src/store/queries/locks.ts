/** Transaction-scoped advisory locks the management writers take (migrate.ts holds 7243000). */
import type { Queryable } from '../store.js';

/**
 * Migration 003's commit-order lock. Its BEFORE STATEMENT triggers take it at a writer's
 * first write; a writer that has already locked rows by then (SELECT … FOR UPDATE) can
 * deadlock with one that holds this lock and wants those rows. Taking it first thing
 * avoids that, at the price of serialising writers of orders and products, which the
 * change feed does from their first write anyway.
 */
const CHANGE_FEED_LOCK = 7243001;

export const lockChangeFeed = async (tx: Queryable): Promise<void> => void (await tx.query('SELECT pg_advisory_xact_lock($1)', [CHANGE_FEED_LOCK]));
