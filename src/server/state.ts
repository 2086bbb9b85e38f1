/** Everything the routes read: the hub, the simulation clock and the outbound links, with their reports. */
import type { z } from 'zod';
import type { Channel } from '../domain/events.js';
import type { ServerConfig } from '../domain/server-config.js';
import type { EventHub } from '../hub/hub.js';
import type { RedisFanout } from '../hub/redis-fanout.js';
import type { LiveClock } from '../simulation/live-clock.js';
import { iso } from '../simulation/time.js';
import type { KafkaSink } from '../sinks/kafka.js';
import type { ChangeFeed } from '../store/change-feed.js';
import type { Store } from '../store/store.js';
import { guardSettings, type GuardSettings } from '../store/guard.js';
import type { JobManager } from '../jobs/job-manager.js';
import { BusinessEvents } from './business-events.js';
import { Confirmations } from './hardening/confirmations.js';
import { sameToken, type AccessPolicy } from './hardening/security.js';
import type { Readiness } from './hardening/readiness.js';
import type { DemoLoading } from './demo-loading.js';
import { PaceMemory } from './hardening/pace.js';

export interface Transport {
  clients: () => number;
  /** Clients per subscribed channel on this transport. */
  channelStats: () => Record<string, number>;
  closeAll: () => void;
}

export interface LiveStoreReport {
  state: 'writing' | 'not_writing' | 'none';
  reason: string | null;
}

export const guardSettingsOf = (config: ServerConfig): GuardSettings => guardSettings(config.store);

export class ServerState {
  ws: Transport | null = null;
  /** Generation jobs; null without a store. */
  jobs: JobManager | null = null;
  sse: Transport | null = null;
  /** Row changes from the database into the hub; null without a store. */
  changeFeed: ChangeFeed | null = null;
  readonly startedAt = Date.now();
  /** The market the server's own data is in (the simulation's, or the configured one). */
  marketId = 'egypt-coffee';
  /** The management API's changes, told as business events. */
  readonly business: BusinessEvents;
  /**
   * Whether the live simulation writes to the store, and why not ('none': no simulation, or no
   * store): it started without the store (writes were refused then), the store holds another
   * world's dataset, or a replacing job detached it.
   */
  liveStore: () => LiveStoreReport = () => ({ state: 'none', reason: null });
  /** Who may do what (the API token, hosts, origins); set when the server starts. */
  access: AccessPolicy = { token: null, generated: false, allowedHosts: [], corsOrigins: [] };
  /** Single-use confirmations of cleanup. */
  readonly confirmations = new Confirmations();
  /** Readiness checks and the database's re-migration; set when the server starts. */
  readiness: Readiness | null = null;
  /** The demo dataset of a first start while it loads behind a serving server (and how that went); null when none was loaded so. */
  demo: DemoLoading | null = null;
  /** The embedded database is busy with one long transaction (the demo dataset's load, or a generation job's): any query would wait until it commits. */
  databaseBusy(): boolean {
    return this.databaseBusyWith() !== null;
  }
  /** What the embedded database is busy with ("loading the demo dataset"), or null. */
  databaseBusyWith(): string | null {
    if (this.store?.backend !== 'pglite') return null;
    if (this.demo?.loading === true) return 'loading the demo dataset';
    const job = this.jobs?.loadingId;
    return job ? `loading generation job ${job}` : null;
  }
  /** Set once SIGTERM (or close) has begun: new work is refused. */
  draining = false;
  /** The speed last asked for while the cap on new orders per second held it lower (hardening/pace.ts). */
  pace = new PaceMemory();

  /** A destructive request's confirmation: a single-use token from the preceding GET, or the API token. */
  confirmed(confirm: string | undefined): boolean {
    if (confirm !== undefined && this.access.token !== null && sameToken(confirm, this.access.token)) return true;
    return this.confirmations.spend(confirm);
  }

  constructor(
    readonly config: ServerConfig,
    readonly hub: EventHub,
    readonly clock: LiveClock | null,
    readonly kafka: KafkaSink | null,
    readonly redis: RedisFanout | null,
    /** The database; null when STORE_ENABLED=false. */
    readonly store: Store | null,
  ) {
    this.business = new BusinessEvents(hub, clock);
  }

  guardSettings(): GuardSettings {
    return guardSettingsOf(this.config);
  }

  badRequest(error: z.ZodError): { error: string; message: string; issues: Array<{ field: string; message: string }> } {
    const issues = error.issues.map((i) => ({ field: i.path.map(String).join('.') || '(body)', message: i.message }));
    return { error: 'bad_request', message: issues.map((i) => `${i.field}: ${i.message}`).join('; '), issues };
  }

  recipients(channel: Exclude<Channel, 'all'>): number {
    return this.hub.recipients(channel);
  }

  status() {
    const kafka = this.kafka;
    const redis = this.redis;
    return {
      server_id: this.config.serverId,
      websocket: { connected_clients: this.ws?.clients() ?? 0, channel_stats: this.ws?.channelStats() ?? {} },
      sse: { connected_clients: this.sse?.clients() ?? 0, channel_stats: this.sse?.channelStats() ?? {} },
      kafka: {
        enabled: this.config.kafka.enabled,
        state: kafka?.state ?? 'disabled',
        bootstrap_servers: this.config.kafka.enabled ? this.config.kafka.bootstrapServers : null,
        topics: this.config.kafka.topics,
        consumer_group: this.config.kafka.consumerGroup,
        fallback_queue_size: kafka?.queued ?? 0,
        fallback_queue_capacity: this.config.stream.fallbackQueueSize,
        delivered: kafka?.delivered ?? 0,
        dropped: kafka?.dropped ?? 0,
        last_error: kafka?.lastError ?? null,
      },
      redis: {
        enabled: this.config.redis.enabled,
        state: redis?.state ?? 'disabled',
        published: redis?.published ?? 0,
        received: redis?.received ?? 0,
        failed: redis?.failed ?? 0,
        last_error: redis?.lastError ?? null,
      },
      events: {
        last_seq: this.hub.lastSeq,
        history_size: this.hub.history.size,
        history_capacity: this.hub.history.capacity,
        oldest_seq: this.hub.history.oldestSeq,
        by_channel: this.hub.published,
      },
      change_feed: this.changeFeed?.report() ?? { state: 'disabled' },
      timestamp: new Date().toISOString(),
    };
  }

  fallbackQueue(limit: number) {
    return {
      enabled: this.config.kafka.enabled,
      state: this.kafka?.state ?? 'disabled',
      size: this.kafka?.queued ?? 0,
      capacity: this.config.stream.fallbackQueueSize,
      dropped: this.kafka?.dropped ?? 0,
      oldest: (this.kafka?.peek(limit) ?? []).map((m) => ({ topic: m.topic, key: m.key, event: JSON.parse(m.value) as unknown })),
    };
  }

  simulationView() {
    if (!this.clock) return null;
    const sim = this.clock.sim;
    const settings = sim.current();
    return {
      ...settings,
      ordersPerMinute: sim.ordersPerMinute(),
      scenario: sim.world.scenario.name,
      market: sim.world.market.id,
      seed: sim.world.config.seed,
      simulatedTime: iso(Math.floor(this.clock.simNow())),
      stats: sim.stats,
    };
  }

  health() {
    const kafkaOk = !this.kafka || this.kafka.state === 'connected';
    const redisOk = !this.redis || this.redis.state === 'connected';
    const held = [...(this.clock?.held ?? []), ...(this.clock?.sim.capped ? ['at its cap on orders in flight: new arrivals are skipped'] : [])];
    return {
      status: kafkaOk && redisOk && !held.length ? 'ok' : 'degraded',
      uptime_seconds: Math.round((Date.now() - this.startedAt) / 1000),
      components: {
        event_hub: { status: 'ok', last_seq: this.hub.lastSeq },
        simulation: {
          ...(held.length ? { status: 'held', reasons: held } : { status: this.clock ? (this.clock.sim.pacing.paused ? 'paused' : 'running') : 'disabled' }),
          // Whether its orders go into the store, and why not.
          store: this.liveStore(),
        },
        kafka: { status: this.kafka ? this.kafka.state : 'disabled', fallback_queue_size: this.kafka?.queued ?? 0 },
        redis: { status: this.redis ? this.redis.state : 'disabled' },
      },
      timestamp: new Date().toISOString(),
    };
  }
}
