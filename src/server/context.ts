// What every route is given: the database, the configuration and the core services built over them.
// Its own module, so that route files and the app that registers them never import each other.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Storage } from '../storage/db.js';
import type { ServerConfig } from '../config.js';
import { AccountService } from '../core/accounts.js';
import { StoryService } from '../core/stories.js';
import { CommentService } from '../core/comments.js';
import { ModerationService } from '../core/moderation.js';
import { Metrics } from './metrics.js';
import { SiteService } from '../core/sites.js';
import { LearningService } from '../core/learning.js';
import type { Scorer } from '../moderation/types.js';
import type { ThreadEventSink } from '../core/events.js';
import { busFor } from '../live/bus.js';
import { ThreadEventHub } from '../live/hub.js';
import { SiteModels } from './site-models.js';
import { PageCache } from './page-cache.js';

export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

export interface AppContext {
  storage: Storage;
  config: ServerConfig;
  accounts: AccountService;
  stories: StoryService;
  comments: CommentService;
  moderation: ModerationService;
  metrics: Metrics;
  /** What /readyz reports: whether the classifier is loaded, and whether the process is shutting down. */
  lifecycle: { classifier: 'loaded' | 'off'; draining: boolean };
  sites: SiteService;
  /** Live updates: the thread events of every process, handed to the readers connected to this one. */
  live: ThreadEventHub;
  learning: LearningService;
  siteModels: SiteModels;
  /** The anonymous view of threads, kept in memory and dropped by thread events. */
  pageCache: PageCache;
}

/**
 * @param scorer the classifier; null moderates by word lists and limits alone
 * @param metrics where to count; the database's statements are counted only when the same object was given
 *   to openStorage (its onQuery)
 */
export function createContext(storage: Storage, config: ServerConfig, scorer: Scorer | null, metrics = new Metrics()): AppContext {
  const step = metrics.observedStep(scorer);
  const siteModels = new SiteModels(config.siteModelsDir, scorer);
  const warning = (part: string) => (error: unknown) => process.emitWarning(`${part}: ${error instanceof Error ? error.message : String(error)}`);
  const warn = warning('live updates');
  const live = new ThreadEventHub(storage, busFor(storage, config.redisUrl, warn), warn);
  const pageCache = new PageCache(config.pageCache, metrics, live, warning('page cache'));
  // The core raises each thread event after its transaction commits; the bus wakes every process.
  const events: ThreadEventSink = {
    raised: (id) => {
      pageCache.raised(id);
      live.bus.publish(id);
    },
  };
  return {
    metrics,
    storage,
    config,
    accounts: new AccountService(storage),
    stories: new StoryService(storage),
    comments: new CommentService(storage, step, config.core, events, (siteId, version) => siteModels.stepFor(siteId, version)),
    moderation: new ModerationService(storage, step, events),
    lifecycle: { classifier: scorer ? 'loaded' : 'off', draining: false },
    sites: new SiteService(storage),
    live,
    learning: new LearningService(storage),
    siteModels,
    pageCache,
  };
}
