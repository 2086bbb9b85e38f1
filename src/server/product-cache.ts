/**
 * Product reads for GET /api/products/:id, kept in an LRU. Every write path of this server
 * invalidates the products it changed once its transaction has committed; the TTL bounds
 * how long a change made elsewhere (psql, another server, a generation job) can go
 * unseen. A cached product is also served while the database is unreachable.
 */
import { LRUCache } from 'lru-cache';
import type { ProductRecord } from '../domain/entities.js';
import type { ServerState } from './state.js';

export interface ProductCacheStats {
  hits: number;
  misses: number;
  hit_ratio: number | null;
  size: number;
  capacity: number;
}

export class ProductCache {
  private readonly lru: LRUCache<string, ProductRecord>;
  private hits = 0;
  private misses = 0;
  /**
   * Bumped by every invalidation. A read that started before one must not store what it
   * read: it may be the value the write just replaced.
   */
  private generation = 0;

  constructor(
    readonly capacity = 10_000,
    ttlMs = 30_000,
  ) {
    this.lru = new LRUCache({ max: capacity, ttl: ttlMs });
  }

  /** The cached product, or `load()`'s answer (cached when found and nothing was invalidated meanwhile). */
  async read(id: string, load: () => Promise<ProductRecord | null>): Promise<ProductRecord | null> {
    const cached = this.lru.get(id);
    if (cached) {
      this.hits++;
      return cached;
    }
    this.misses++;
    const generation = this.generation;
    const product = await load();
    if (product && generation === this.generation) this.lru.set(id, product);
    return product;
  }

  invalidate(ids: Iterable<string>): void {
    this.generation++;
    for (const id of ids) this.lru.delete(id);
  }

  /** After a cleanup or a replacing job: nothing cached is true any more. */
  clear(): void {
    this.generation++;
    this.lru.clear();
  }

  stats(): ProductCacheStats {
    const lookups = this.hits + this.misses;
    return { hits: this.hits, misses: this.misses, hit_ratio: lookups ? Math.round((this.hits / lookups) * 1000) / 1000 : null, size: this.lru.size, capacity: this.capacity };
  }
}

const caches = new WeakMap<ServerState, ProductCache>();

/** The server's one product cache, shared by every route that reads or changes products. */
export function productCache(state: ServerState): ProductCache {
  let cache = caches.get(state);
  if (!cache) caches.set(state, (cache = new ProductCache()));
  return cache;
}
