/**
 * Single-use confirmations for destructive requests (cleanup): a GET hands one out, the
 * DELETE spends it. A page on another site cannot read the GET's answer (no CORS), so it
 * cannot confirm; a constant could be written into any attacker's page. At most `capacity`
 * are outstanding (the oldest is forgotten first), each for `ttlMs`.
 */
import { randomBytes } from 'node:crypto';

export class Confirmations {
  private readonly issued = new Map<string, number>();

  constructor(
    private readonly ttlMs = 5 * 60_000,
    private readonly capacity = 100,
  ) {}

  issue(): { confirm: string; expires_in_seconds: number } {
    const token = randomBytes(18).toString('base64url');
    this.issued.set(token, Date.now() + this.ttlMs);
    while (this.issued.size > this.capacity) this.issued.delete(this.issued.keys().next().value!);
    return { confirm: token, expires_in_seconds: Math.round(this.ttlMs / 1000) };
  }

  /** True once per issued, unexpired token. */
  spend(token: string | undefined): boolean {
    if (token === undefined) return false;
    const expires = this.issued.get(token);
    if (expires === undefined) return false;
    this.issued.delete(token);
    return expires >= Date.now();
  }
}
