/**
 * What a management request can break, besides the database itself: each violation names
 * its rule and carries the facts a client needs to fix the request. The store layer knows
 * nothing of HTTP; the routes map each code to a status.
 */
export type RuleCode =
  /** A query names something the data does not have (an unknown category or product in a filter). */
  | 'bad_request'
  /** The id in the path names nothing. */
  | 'not_found'
  /** The body names a customer or product that does not exist. */
  | 'unknown_reference'
  | 'insufficient_stock'
  | 'illegal_transition'
  /** A stock change would take the level below zero or past MAX_STOCK. */
  | 'stock_out_of_range'
  | 'mixed_currency'
  /** A simulate endpoint found nothing to act on (no customers, no stock, no open orders). */
  | 'nothing_to_simulate';

export class RuleViolation extends Error {
  override readonly name = 'RuleViolation';
  constructor(
    readonly code: RuleCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}
