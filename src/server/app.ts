/**
 * `orderstream serve`: the live simulation, the event hub and its transports in one
 * Fastify server. Kafka and Redis are optional links around the hub; neither can stop
 * WebSocket and SSE clients from being served.
 */
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { getMarket } from '../catalog/index.js';
import { UsageError } from '../domain/errors.js';
import type { ServerConfig } from '../domain/server-config.js';
import { EventHub, type EventInput } from '../hub/hub.js';
import { RedisFanout } from '../hub/redis-fanout.js';
import type { ScenarioProfile } from '../domain/scenario.js';
import { resolveScenario } from '../scenarios/resolve.js';
import type { LiveClock } from '../simulation/live-clock.js';
import { createLiveSimulation } from '../simulation/live.js';
import { kafkaClient, type KafkaSink } from '../sinks/kafka.js';
import { openStore, storeIsNew } from '../store/open.js';
import type { Store } from '../store/store.js';
import { startChangeFeed, type ChangeFeedTuning } from './change-feed-bridge.js';
import { bridgeHubToKafka } from './kafka-bridge.js';
import { liveFeed } from './live-feed.js';
import { EventLog } from './event-log.js';
import { productCache } from './product-cache.js';
import { demoAhead, ensureDimensions, persistLive, planLive, type DemoStart, type LivePersistence } from './live-persistence.js';
import { foreignDataset } from './dataset-match.js';
import type { LiveWriter } from '../store/live-writer.js';
import type { Movement } from '../simulation/ledger.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import { ordersRoutes } from './routes/orders.js';
import { productsRoutes } from './routes/products.js';
import { simulateRoutes } from './routes/simulate.js';
import { mockDataRoutes } from './routes/mock-data.js';
import { analyticsRoutes } from './routes/analytics.js';
import { forecastsRoutes } from './routes/forecasts.js';
import { inventoryRoutes } from './routes/inventory.js';
import { JobManager } from '../jobs/job-manager.js';
import { simulationRoutes } from './routes/simulation.js';
import { streamRoutes } from './routes/stream.js';
import { contractRoutes } from './routes/contract.js';
import { VERSION } from '../domain/version.js';
import { registerSse } from './sse.js';
import { guardSettingsOf, ServerState } from './state.js';
import { registerWebSocket } from './ws.js';
import { limitPace, PaceMemory } from './hardening/pace.js';
import { registerInputChecks } from './hardening/input.js';
import { accessPolicy, registerSecurity } from './hardening/security.js';
import { isMissingRelation, Readiness, readinessRoutes } from './hardening/readiness.js';
import { prometheusRoutes } from './hardening/prometheus.js';
import { webApiRoutes } from './routes/web-api.js';
import { registerWebApp } from './web-app.js';
import { DemoLoading, demoWait } from './demo-loading.js';
import { listenFailure } from './port-check.js';
import { jobWait } from './job-wait.js';

/** The largest request body taken: every body the API reads is a small JSON object. */
const BODY_LIMIT_KB = 64;

export interface RunningServer {
  app: FastifyInstance;
  state: ServerState;
  url: string;
  /** The API token mutating requests need (null: none, loopback without ORDERSTREAM_API_TOKEN). */
  token: string | null;
  /** The web app's address, with the token when one is needed: ready to open. */
  openUrl: string;
  close: () => Promise<void>;
}

export interface BuildOptions {
  log?: (message: string) => void;
  /** Change feed timings (tests); the defaults suit a server. */
  changeFeed?: ChangeFeedTuning;
  /**
   * On a first start, serve at once and load the demo dataset behind (progress on the log and
   * `/health/ready`) rather than before listening. Off by default: a caller that starts a
   * server gets its data with it.
   */
  loadDemoInBackground?: boolean;
  /**
   * The database, already being opened: `serve` starts opening it (in the embedded database's own
   * thread, about two seconds on a first start) before it loads this module's code.
   */
  store?: Promise<Store | null>;
  /** With `store`: whether it was new (storeIsNew) when its opening began. */
  storeIsNew?: boolean;
}

/**
 * What a start has opened so far. A start that fails before it listens lets go of all of it (letGo),
 * wherever it failed: a database, a change feed or a Redis client left open would keep a library
 * caller's process alive (a pool's connections, timers, reconnects) and an embedded database locked.
 */
interface Opened {
  store?: Promise<Store | null>;
  demoAbort?: AbortController;
  ahead?: DemoStart | null;
  listening?: (ok: boolean) => void;
  eventLog?: EventLog | null;
  liveWriter?: LiveWriter<EventInput> | null;
  jobs?: JobManager | null;
  changeFeed?: { stop(): Promise<void> } | null;
  kafka?: KafkaSink | null;
  redis?: RedisFanout | null;
  app?: FastifyInstance;
}

/** In the order close() stops them: what makes work first, the database last. One that fails to close does not keep the rest open. */
async function letGo(o: Opened): Promise<void> {
  const quietly = (step: () => unknown) => Promise.resolve().then(step).catch(() => undefined);
  o.listening?.(false);
  o.demoAbort?.abort(new Error('the server did not start'));
  o.ahead?.cancel();
  await quietly(() => o.jobs?.close());
  // Nothing it gathered was published (the clock never started): dropped, not written.
  o.liveWriter?.abandon();
  await quietly(() => o.liveWriter?.close());
  await quietly(() => o.redis?.close());
  await quietly(() => o.kafka?.close(0));
  await quietly(() => o.app?.close());
  await quietly(() => o.changeFeed?.stop());
  await quietly(() => o.eventLog?.close());
  await quietly(async () => (await o.store)?.close());
}

/** Whether `work` finishes within `ms` (it goes on regardless); its failure is thrown on. */
async function finishesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const finished = await Promise.race([work.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)))]);
  clearTimeout(timer);
  return finished;
}

export async function startServer(config: ServerConfig, options: BuildOptions = {}): Promise<RunningServer> {
  const opened: Opened = {};
  try {
    return await start(config, options, opened);
  } catch (err) {
    // Bounded as a shutdown is: a dependency that stalls must not hold up the error.
    await finishesWithin(letGo(opened), config.limits.shutdownTimeoutMs);
    throw err;
  }
}

async function start(config: ServerConfig, options: BuildOptions, opened: Opened): Promise<RunningServer> {
  const log = options.log ?? (() => undefined);
  const storeConfig = { databaseUrl: config.store.databaseUrl, dataDir: config.store.dataDir };
  const fresh = config.store.enabled && (options.store ? options.storeIsNew === true : storeIsNew(storeConfig));
  const opening = (opened.store = options.store ?? (config.store.enabled ? openStore(storeConfig) : Promise.resolve(null)));
  opening.catch(() => undefined); // awaited below, where its failure is reported
  // A shutdown while it loads abandons the load (it commits whole or not at all: the next start loads it again).
  const demoAbort = (opened.demoAbort = new AbortController());
  let simulated: { scenario: ScenarioProfile; marketId: string } | null = null;
  // Kafka was asked for: without its client the server must not start as if all were well.
  if (config.kafka.enabled) await kafkaClient();
  if (config.simulation.enabled) {
    const scenario = resolveScenario({ scenario: config.simulation.scenario });
    simulated = { scenario, marketId: config.simulation.market ?? scenario.market };
    getMarket(simulated.marketId); // unknown market: a UsageError before anything starts
    // A new database gets the demo dataset: made while the database opens (planLive adopts it; a failed start stops it).
    if (fresh) opened.ahead = demoAhead(config, guardSettingsOf(config), scenario, simulated.marketId, demoAbort.signal);
  }
  const ahead = opened.ahead ?? null;
  const hub = new EventHub(config.stream.historySize, config.stream.coalesceMs);
  const store = await opening;
  // The hub remembers across restarts: its recent history back, and what was committed but not yet published goes out first.
  const eventLog = store ? new EventLog(store, hub, log) : null;
  const republished =
    (await eventLog?.restore().catch((err: unknown) => {
      eventLog.abandon();
      throw err;
    })) ?? 0;
  // Only once restored: closing it records how far its numbers went, which must not fall below what an earlier run reserved.
  opened.eventLog = eventLog;
  if (republished) log(`published ${republished} events committed before the last stop`);

  let clock: LiveClock | null = null;
  /** The speed asked for, while the cap on new orders a second holds it lower (hardening/pace.ts). */
  const pace = new PaceMemory();
  let liveWriter: LiveWriter<EventInput> | null = null;
  let persistence: LivePersistence | null = null;
  /** Why the simulation started without the store (its writes were refused then). */
  let refused: string | null = null;
  let clockResumes = false;
  let demo: DemoLoading | null = null;
  let demoLoaded: Promise<void> = Promise.resolve();
  // In the background the load starts once the server listens: on the embedded database it holds the
  // only connection for its whole transaction, and getting ready (the change feed) needs it too.
  let listening!: (ok: boolean) => void;
  const listened = new Promise<boolean>((resolve) => (listening = resolve));
  opened.listening = listening;
  if (simulated) {
    const { scenario, marketId } = simulated;
    const plan = store ? await planLive(store, guardSettingsOf(config), config, scenario, marketId, demoAbort.signal, ahead) : null;
    if (plan && 'refused' in plan) log(`the live simulation runs without the store: ${(refused = plan.refused)}`);
    const persisted = plan && !('refused' in plan) ? plan : null;
    // Onto a dataset already there, it is said once the simulation's world is known to be the one that made it (below).
    const ontoPresent = persisted !== null && persisted.fresh && !persisted.demo;
    if (persisted && !ontoPresent) log(persisted.note);
    if (persisted?.demo && store) {
      const loading = new DemoLoading(persisted.demo.estimatedRows, log);
      persisted.demo.onGenerated((share) => loading.generated(share));
      demo = loading;
      const load = () =>
        persisted.demo!.load((table, rows) => loading.loaded(table, rows), demoAbort.signal).then(
          (line) => {
            loading.done();
            log(line);
          },
          (err: Error) => {
            loading.failed(demoAbort.signal.aborted ? 'the server stopped before it was loaded' : err.message);
            throw err;
          },
        );
      demoLoaded = options.loadDemoInBackground ? listened.then((ok) => (ok ? load() : Promise.reject(new Error('the server did not start')))) : load();
      // Waited for unless the caller serves at once (`serve`): then the simulation's writes wait instead.
      if (!options.loadDemoInBackground) await demoLoaded;
    }
    const startMs = persisted?.startMs ?? config.simulation.startMs ?? Date.now();
    clockResumes = persisted?.fresh === false;
    // A seeded history follows the scenario's curves; the configured arrivals take over when the server starts.
    // A store-backed simulation starts in the scenario's mode even without a history (its epoch is now), and the
    // configured arrivals take over as a recorded change: a restart replays from the scenario's mode and the
    // recorded changes (below), so arrivals set at the start must be among them or the replay makes other orders.
    const historyArrivals = persisted?.fresh ? { mode: 'scenario' as const } : config.simulation.arrivals;
    const movements: { write: ((m: Movement) => void) | null } = { write: null };
    let capacitySince = 0;
    const sim = createLiveSimulation({
      scenario,
      marketId,
      seed: config.simulation.seed,
      startMs,
      epochMs: persisted?.epochMs,
      arrivals: persisted && !persisted.fresh ? { mode: 'scenario' } : historyArrivals,
      changes: persisted?.changes,
      speed: config.simulation.speed,
      firstOrderIndex: persisted?.firstOrderIndex,
      hooks: {
        onMovement: (m) => movements.write?.(m),
        onCapacity: (full, active) => {
          const since = new Date().toISOString();
          if (full) {
            const reason = `${active.toLocaleString('en-US')} orders in flight, the cap (SIMULATION_MAX_ACTIVE): new arrivals are skipped until some complete`;
            capacitySince = Date.now();
            log(`live simulation: ${reason}`);
            hub.publish({ event_type: 'stream.degraded', data: { component: 'simulation', reason, since } });
          } else {
            log('live simulation: below its cap on orders in flight again');
            hub.publish({ event_type: 'stream.recovered', data: { component: 'simulation', since, held_ms: Date.now() - capacitySince } });
          }
        },
      },
      attachPlans: persisted !== null,
      maxActive: config.simulation.maxActive,
    });
    const live =
      persisted && store
        ? persistLive(sim, store, hub, guardSettingsOf(config), { epochMs: sim.startMs, firstOrderIndex: persisted.firstOrderIndex, seed: config.simulation.seed, scenario: scenario.name, market: marketId }, log)
        : null;
    liveWriter = opened.liveWriter = live?.writer ?? null;
    persistence = live;
    movements.write = live?.onMovement ?? null;
    if (live && store && persisted && !persisted.demo) {
      // Its orders refer to its world's products and customers by id: not into a dataset where those ids are others.
      const foreign = await foreignDataset(store, sim.world);
      if (foreign) live.detach(foreign);
      else if (ontoPresent) log(persisted.note);
    }
    // The shelves as of now: every movement from here on reaches the store as a change of its row, so rows
    // inserted later (behind a demo load) start from this level, not the current one (that would count those
    // movements twice: the switch to the configured arrivals below restocks at once).
    const levelWhenWritten = Int32Array.from(sim.ledger.level);
    if (live && store) {
      // Not into a dataset a job has put in the demo's place meanwhile (the job detached the simulation).
      const dimensions = () => ensureDimensions(store, sim, () => live.detached === null, levelWhenWritten);
      if (options.loadDemoInBackground) {
        live.writer.waitFor(
          demoLoaded.then(
            () => dimensions().catch((err: Error) => live.detach(`the rows its orders refer to could not be written (${err.message}): the simulation streams on without the store`)),
            (err: Error) => {
              // Stopping: what waited for the dataset was never stored, so it is never told either (the next start simulates it again).
              if (demoAbort.signal.aborted) live.writer.abandon();
              live.detach(`the demo dataset could not be loaded (${demoAbort.signal.aborted ? 'the server stopped first' : err.message}): the simulation streams on without the store`);
            },
          ),
        );
      } else {
        await demoLoaded;
        await dimensions();
      }
    }
    // The configured arrivals take over from the seeded history now (the warehouse restocks for them: written like any movement).
    if (JSON.stringify(sim.current().arrivals) !== JSON.stringify(config.simulation.arrivals) && (!persisted || persisted.fresh)) {
      const a = config.simulation.arrivals;
      sim.update(a.mode === 'rate' ? { ratePerMinute: a.ratePerMinute } : a.mode === 'delay' ? { delaySeconds: a.delaySeconds } : { arrivals: 'scenario' });
    }
    clock = liveFeed(sim, hub, live?.onEvents);
    const paced = limitPace(sim, {}, config.limits.maxOrdersPerSecond, pace);
    if (paced.limited) {
      sim.update(paced.patch);
      paced.remember();
      log(`live simulation: ${paced.limited.message}`);
    }
    live?.attach(clock);
  }

  const kafka = (opened.kafka = config.kafka.enabled ? bridgeHubToKafka(hub, config, log) : null);
  const redis = (opened.redis = config.redis.enabled ? new RedisFanout(hub, { url: config.redis.url, channel: config.redis.channel, serverId: config.serverId }) : null);

  const state = new ServerState(config, hub, clock, kafka, redis, store);
  state.pace = pace;
  state.demo = demo;
  state.liveStore = () =>
    !clock || !store
      ? { state: 'none', reason: null }
      : persistence === null
        ? { state: 'not_writing', reason: `the live simulation runs without the store: ${refused ?? 'writes were refused when it started'}` }
        : persistence.detached !== null
          ? { state: 'not_writing', reason: persistence.detached }
          : { state: 'writing', reason: null };
  state.marketId = clock?.sim.world.market.id ?? config.simulation.market ?? (await resolveScenario({ scenario: config.simulation.scenario })).market;
  if (store) {
    const cache = productCache(state);
    state.jobs = opened.jobs = new JobManager(store, state.guardSettings(), (event) => {
      // A job that writes takes the store from the simulation from its first progress on (inside the
      // job's transaction: the writer re-checks after the job's locks, so none of its rows lands in the new data).
      if (event.type === 'job.progress' && event.data.dry_run === false)
        persistence?.detach('a generation job is replacing the dataset: the simulation streams on but no longer writes to the store (its orders would collide with the new rows); restart the server to simulate on top of the new data');
      if (event.type === 'job.completed' && event.data.dry_run === false) {
        cache.clear(); // a new dataset replaced the products
        persistence?.detach('a generation job replaced the dataset: the simulation streams on but no longer writes to the store (its orders would collide with the new rows); restart the server to simulate on top of the new data');
      }
      hub.publish({ event_type: event.type, data: event.data } as EventInput);
    }, undefined, { maxWorkers: config.limits.jobMaxWorkers, maxMemoryMb: config.limits.jobMaxMemoryMb });
    // Product rows changed by anyone (the simulation, psql, another server) leave the cache as the change feed reports them.
    hub.addLocalSink((event) => {
      const e = event.envelope;
      if (e.event_type === 'db.products.insert' || e.event_type === 'db.products.update' || e.event_type === 'db.products.delete') cache.invalidate([e.data.row_id]);
    });
  }
  state.changeFeed = opened.changeFeed = store ? await startChangeFeed(store, hub, log, options.changeFeed) : null;
  state.access = accessPolicy(config);
  const readiness = new Readiness(state, log);
  state.readiness = readiness;
  // Structured JSON logs (pino) on stdout at LOG_LEVEL; the `log` lines stay the operator's.
  const app = (opened.app = Fastify({ logger: config.logLevel === 'silent' ? false : { level: config.logLevel }, forceCloseConnections: true, bodyLimit: BODY_LIMIT_KB * 1024 }));
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler((err, _request, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = err.validation.map((v) => ({ field: [err.validationContext, ...v.instancePath.split('/').filter(Boolean)].join('.'), message: v.message ?? 'invalid' }));
      return reply.code(400).send({ error: 'bad_request', message: issues.map((i) => `${i.field}: ${i.message}`).join('; '), issues });
    }
    if (isMissingRelation(err) && state.store) {
      // The database lost its tables (dropped, or recreated empty): migrate it again rather than fail every request from now on.
      void readiness.remigrate();
      return reply.code(503).header('retry-after', '2').send({ error: 'database_recreated', message: 'the database has lost its tables (dropped or recreated?); they are being created again: retry in a moment' });
    }
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    // Fastify's own wording ("Unsupported Media Type") says neither what was sent nor what is taken.
    if (status === 415) {
      const sent = _request.headers['content-type'];
      return reply.code(415).send({ error: 'unsupported_media_type', message: `the body must be JSON, sent with content-type: application/json (${sent ? `got '${sent}'` : 'no content-type was sent'})` });
    }
    if (status === 413) return reply.code(413).send({ error: 'payload_too_large', message: `the body is larger than this server takes (${BODY_LIMIT_KB} kB)` });
    if (status >= 500) {
      log(`error: ${(err as Error).stack ?? String(err)}`);
      _request.log.error({ err }, 'request failed');
    }
    const code = (err as { error?: unknown }).error;
    return reply.code(status).send({ error: status >= 500 ? 'internal_error' : typeof code === 'string' ? code : 'bad_request', message: (err as Error).message });
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}; see /docs` }));

  registerInputChecks(app);
  await registerSecurity(app, config, state.access);
  app.addHook('onRequest', async (request, reply) => {
    // Shutting down: nothing new is taken on (reads and health still answer until the server closes).
    if (state.draining && request.method !== 'GET' && request.method !== 'HEAD' && request.method !== 'OPTIONS') {
      return reply.code(503).header('connection', 'close').send({ error: 'shutting_down', message: 'the server is shutting down; retry against another instance or after it restarts' });
    }
    // The demo dataset's load holds the data tables (and the embedded database's only connection)
    // until it commits: a quick 503 to retry, not a request that waits, times out and trips the breaker.
    const waiting = demoWait(state, request.url);
    if (waiting) return reply.code(503).header('retry-after', '1').send({ error: 'demo_loading', message: waiting });
    const busy = jobWait(state, request.url);
    if (busy) return reply.code(503).header('retry-after', '5').send({ error: 'database_busy', message: busy });
  });

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'orderstream',
        description: 'Live commerce events: WebSocket /stream/ws, SSE /stream/events, Kafka, and the simulation controls. The events themselves (channels, payloads, envelope) are described in the AsyncAPI document: [/asyncapi.json](/asyncapi.json).',
        version: VERSION,
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  await app.register(fastifyWebsocket, { options: { maxPayload: config.stream.maxFrameBytes } });

  // One cap for both transports: the next client is told why it is refused.
  const admit = (): string | null => {
    if (state.draining) return 'the server is shutting down';
    const total = (state.ws?.clients() ?? 0) + (state.sse?.clients() ?? 0);
    return total >= config.limits.maxClients ? `too many clients: ${total} connected, the limit (STREAM_MAX_CLIENTS) is ${config.limits.maxClients}; try again later` : null;
  };
  state.ws = registerWebSocket(app, hub, { maxBufferedBytes: config.stream.maxBufferedBytes, pingIntervalMs: config.stream.pingIntervalMs, replaySlice: config.limits.replaySlice, admit }, config.serverId);
  state.sse = registerSse(app, hub, config.stream.maxBufferedBytes, { replaySlice: config.limits.replaySlice, admit });
  streamRoutes(app, state);
  simulationRoutes(app, state);
  healthRoutes(app, state);
  readinessRoutes(app, readiness);
  ordersRoutes(app, state);
  productsRoutes(app, state);
  simulateRoutes(app, state);
  metricsRoutes(app, state);
  prometheusRoutes(app, state);
  mockDataRoutes(app, state);
  analyticsRoutes(app, state);
  forecastsRoutes(app, state);
  inventoryRoutes(app, state);
  contractRoutes(app);
  webApiRoutes(app, state);
  await registerWebApp(app);

  if (redis) {
    await redis.start().catch((err: Error) => {
      throw new UsageError(`cannot reach Redis at ${config.redis.url}: ${err.message} (set REDIS_ENABLED=false to run without fan-out)`);
    });
  }
  if (kafka) void kafka.start().catch((err: Error) => log(`kafka: ${err.message}`));
  await app.listen({ port: config.port, host: config.host }).catch((err: unknown) => {
    throw listenFailure(err, config.port) ?? err;
  });
  listening(true);
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  // Live from the clock (no --start, not resuming a stopped run): simulated now is now, however long getting here took.
  void clock?.start(config.simulation.startMs === undefined && !clockResumes ? Date.now() : undefined);

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      // Intake stops at once (new streams and changes are refused); the rest drains within SHUTDOWN_TIMEOUT.
      state.draining = true;
      const deadline = Date.now() + config.limits.shutdownTimeoutMs;
      const left = () => Math.max(0, deadline - Date.now());
      let step = 'stopping the simulation';
      const graceful = (async () => {
        clock?.stop();
        demoAbort.abort(new Error('the server is stopping'));
        step = 'stopping the running job';
        await state.jobs?.close();
        step = 'writing the live simulation\'s last changes';
        await liveWriter?.close(); // the simulation's last changes and position (and their events), so a restart resumes here
        hub.flush(); // the last coalesced events go out before the goodbye
        state.ws?.closeAll();
        state.sse?.closeAll();
        step = 'delivering to Kafka';
        const undelivered = (await kafka?.close(Math.max(0, left() - 500))) ?? 0;
        if (undelivered > 0) log(`kafka: ${undelivered} events could not be delivered before shutdown`);
        step = 'closing Redis';
        await redis?.close();
        step = 'closing the HTTP server';
        await app.close();
        step = 'closing the database';
        await state.changeFeed?.stop();
        await eventLog?.close();
        await store?.close();
      })();
      if (!(await finishesWithin(graceful, left()))) {
        // What committed is published after the next start (the outbox); what did not commit was never published.
        log(`shutdown: still ${step} after SHUTDOWN_TIMEOUT (${config.limits.shutdownTimeoutMs / 1000} s); stopping anyway (committed events not yet published go out on the next start)`);
        state.ws?.closeAll();
        state.sse?.closeAll();
        app.server.closeAllConnections();
      }
    })());
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  const token = state.access.token;
  return { app, state, url, token, openUrl: token ? `${url}/?token=${encodeURIComponent(token)}` : `${url}/`, close };
}
