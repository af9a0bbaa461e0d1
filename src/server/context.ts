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
import { LearningService } from '../core/learning.js';
import { ModerationStep } from '../moderation/step.js';
import type { Scorer } from '../moderation/types.js';
import { SiteModels } from './site-models.js';

export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

export interface AppContext {
  storage: Storage;
  config: ServerConfig;
  accounts: AccountService;
  stories: StoryService;
  comments: CommentService;
  moderation: ModerationService;
  learning: LearningService;
  siteModels: SiteModels;
}

/** @param scorer the classifier; null moderates by word lists and limits alone */
export function createContext(storage: Storage, config: ServerConfig, scorer: Scorer | null): AppContext {
  const step = new ModerationStep(scorer);
  const siteModels = new SiteModels(config.siteModelsDir, scorer);
  return {
    storage,
    config,
    accounts: new AccountService(storage),
    stories: new StoryService(storage),
    comments: new CommentService(storage, step, config.core, (siteId, version) => siteModels.stepFor(siteId, version)),
    moderation: new ModerationService(storage, step),
    learning: new LearningService(storage),
    siteModels,
  };
}
