/**
 * Publishes the database's change feed through the hub, so row changes made by anyone
 * (psql, another service, the API) reach WebSocket, SSE, Kafka and Redis like any event.
 */
import { changeEventType } from '../domain/events.js';
import type { EventHub } from '../hub/hub.js';
import { ChangeFeed, type ChangeFeedOptions } from '../store/change-feed.js';
import type { Store } from '../store/store.js';

/** What a caller may tune (tests shorten or lengthen the timings); the hub decides the rest. */
export type ChangeFeedTuning = Omit<ChangeFeedOptions, 'onChange' | 'onError'>;

export async function startChangeFeed(store: Store, hub: EventHub, log: (message: string) => void, tuning: ChangeFeedTuning = {}): Promise<ChangeFeed> {
  const feed = new ChangeFeed(store, {
    ...tuning,
    onChange: (change) => {
      // The envelope's time is when the row changed, as simulation events carry their own time.
      hub.publish({ event_type: changeEventType(change.table, change.op), data: change, timestamp: change.changed_at, changeId: change.change_id });
    },
    onError: (message) => log(message),
  });
  await feed.start();
  return feed;
}
