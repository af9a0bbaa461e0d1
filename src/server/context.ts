// What every route is given: the database, the configuration and the core services built over them.
// Its own module, so that route files and the app that registers them never import each other.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Storage } from '../storage/db.js';
import type { ServerConfig } from '../config.js';
import { AccountService } from '../core/accounts.js';
import { IdentityService } from '../core/identity.js';
import { OidcService } from '../core/oidc.js';
import { PersonalDataService } from '../core/personal-data.js';
import { GuestService } from '../core/guests.js';
import { BanEvasionService } from '../core/ban-evasion.js';
import { GuestClaimService } from '../core/guest-claims.js';
import { StoryService } from '../core/stories.js';
import { CommentService } from '../core/comments.js';
import { ModerationService } from '../core/moderation.js';
import { PeopleService } from '../core/people.js';
import { DeskService } from '../core/desk.js';
import { Metrics } from './metrics.js';
import { SiteService } from '../core/sites.js';
import { LearningService } from '../core/learning.js';
import type { Scorer } from '../moderation/types.js';
import type { ThreadEventSink } from '../core/events.js';
import { busFor } from '../live/bus.js';
import { ThreadEventHub } from '../live/hub.js';
import { SiteModels } from './site-models.js';
import { ImportJobs } from '../interop/jobs.js';
import { Deliveries } from '../core/deliveries.js';
import { MailService } from '../core/mail.js';
import { WebhookService } from '../core/webhooks.js';
import { Dispatcher, type Sender } from '../delivery/dispatcher.js';
import { MailSender } from '../delivery/mail.js';
import { WebhookSender } from '../delivery/webhooks.js';
import { EventStreams } from './event-streams.js';
import { PageCache } from './page-cache.js';

export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

export interface AppContext {
  storage: Storage;
  config: ServerConfig;
  accounts: AccountService;
  /** Accounts other systems vouch for: the host site's sign-on, OpenID Connect. */
  identity: IdentityService;
  /** Sign-in with the OpenID Connect providers each site offers. */
  oidc: OidcService;
  /** A reader's own data: the download and deleting the account. */
  personalData: PersonalDataService;
  /** Guests' comments where a site takes them. */
  guests: GuestService;
  /** Bans by e-mail domain and network address, and the signal that holds a banned reader back under a new account. */
  banEvasion: BanEvasionService;
  /** A reader taking the comments they posted as a guest into their account. */
  guestClaims: GuestClaimService;
  stories: StoryService;
  comments: CommentService;
  moderation: ModerationService;
  people: PeopleService;
  /** Moderators at scale: claims, saved filters, the weekly summary. */
  desk: DeskService;
  metrics: Metrics;
  /** What /readyz reports: whether the classifier is loaded, and whether the process is shutting down. */
  lifecycle: { classifier: 'loaded' | 'off'; draining: boolean };
  sites: SiteService;
  /** Live updates: the thread events of every process, handed to the readers connected to this one. */
  live: ThreadEventHub;
  learning: LearningService;
  siteModels: SiteModels;
  /** Imports and exports from the console. */
  transfers: ImportJobs;
  mail: MailService;
  webhooks: WebhookService;
  /** Sends what the outbox holds; started with the app when config.delivery.dispatcher is on. */
  dispatcher: Dispatcher;
  /** This process's open server-sent event streams (closed with a retry hint when it drains). */
  streams: EventStreams;
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
  const live = new ThreadEventHub(storage, busFor(storage, { url: config.redisUrl, prefix: config.redisPrefix }, warn), warn);
  const pageCache = new PageCache(config.pageCache, metrics, live, warning('page cache'));
  // The core raises each thread event after its transaction commits; the bus wakes every process.
  const events: ThreadEventSink = {
    raised: (id) => {
      pageCache.raised(id);
      live.bus.publish(id);
    },
  };
  const identity = new IdentityService(storage);
  const { delivery } = config;
  const senders: { webhook: Sender; mail?: Sender } = { webhook: new WebhookSender(storage.db, delivery.webhookTimeoutMs, delivery.allowInternalWebhooks) };
  if (delivery.smtpUrl) senders.mail = new MailSender({ smtpUrl: delivery.smtpUrl, mailFrom: delivery.mailFrom, publicUrl: delivery.publicUrl });
  const dispatcher = new Dispatcher(storage, senders, delivery, warning('delivery'));
  const deliveries = new Deliveries(senders.mail !== undefined, () => dispatcher.wake());
  const moderation = new ModerationService(storage, step, events, deliveries, config.core.undoWindowMs);
  const banEvasion = new BanEvasionService(storage, config.core.addressRetentionMs);
  const comments = new CommentService(storage, step, config.core, events, (siteId, version) => siteModels.stepFor(siteId, version), deliveries);
  return {
    metrics,
    storage,
    config,
    accounts: new AccountService(storage, deliveries),
    identity,
    oidc: new OidcService(storage, identity),
    personalData: new PersonalDataService(storage, config.core, events),
    stories: new StoryService(storage, events),
    comments,
    guests: new GuestService(storage, comments, identity, config.core.guests, banEvasion),
    banEvasion,
    guestClaims: new GuestClaimService(storage, events, deliveries),
    moderation,
    people: new PeopleService(storage),
    desk: new DeskService(storage),
    lifecycle: { classifier: scorer ? 'loaded' : 'off', draining: false },
    sites: new SiteService(storage),
    live,
    learning: new LearningService(storage),
    siteModels,
    transfers: new ImportJobs(storage, step, config.imports),
    mail: new MailService(storage, deliveries, (staff) => moderation.counts(staff, null)),
    webhooks: new WebhookService(storage, deliveries, delivery.allowInternalWebhooks),
    dispatcher,
    streams: new EventStreams(metrics),
    pageCache,
  };
}
