/** Routes the hub's local events to spec 003's topics, keyed by the entity they are about. */
import type { Channel } from '../domain/events.js';
import { entityKey, type DomainEvent } from '../domain/events.js';
import type { ServerConfig } from '../domain/server-config.js';
import type { EventHub } from '../hub/hub.js';
import { KafkaSink } from '../sinks/kafka.js';

export function topicFor(topics: ServerConfig['kafka']['topics'], channel: Exclude<Channel, 'all'>): string {
  switch (channel) {
    case 'orders':
      return topics.orders;
    case 'stock':
      return topics.stock;
    case 'alerts':
      return topics.alerts;
    case 'forecasts':
      return topics.forecasts;
    default:
      return topics.events;
  }
}

export function bridgeHubToKafka(hub: EventHub, config: ServerConfig, log: (msg: string) => void): KafkaSink {
  const sink = new KafkaSink({
    bootstrapServers: config.kafka.bootstrapServers,
    clientId: `orderstream-${config.serverId}`,
    capacity: config.stream.fallbackQueueSize,
    batchSize: config.kafka.batchSize,
    flushIntervalMs: config.kafka.flushIntervalMs,
    onStateChange: (state, detail) => log(`kafka ${state}${detail ? `: ${detail}` : ''}`),
  });
  hub.addLocalSink((event) => {
    sink.send({ topic: topicFor(config.kafka.topics, event.channel), key: entityKey({ type: event.envelope.event_type, data: event.envelope.data } as DomainEvent), value: event.frame });
  });
  return sink;
}
