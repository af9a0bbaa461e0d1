// Request schemas (TypeBox, so handlers are typed from them) and response models for the OpenAPI document.
import { Type } from 'typebox';
import { USERNAME_PATTERN } from '../core/accounts.js';

export const Id = Type.String({ pattern: '^[0-9a-z]{1,32}$', description: 'An id this server gave out' });
export const IdParams = Type.Object({ id: Id });

export const ErrorResponse = {
  $id: 'Error',
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' } },
      required: ['code', 'message'],
    },
  },
  required: ['error'],
} as const;

export const UserModel = {
  $id: 'User',
  type: 'object',
  properties: {
    id: { type: 'string' },
    username: { type: 'string' },
    email: { type: ['string', 'null'] },
    role: { type: 'string', enum: ['commenter', 'moderator', 'admin'] },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const;

export const ReasonModel = {
  $id: 'Reason',
  type: 'object',
  properties: {
    code: { type: 'string' },
    message: { type: 'string' },
    label: { type: 'string' },
    score: { type: 'number' },
    word: { type: 'string' },
  },
} as const;

export const CommentModel = {
  $id: 'Comment',
  type: 'object',
  properties: {
    id: { type: 'string' },
    parentId: { type: ['string', 'null'] },
    author: {
      type: ['object', 'null'],
      properties: { id: { type: 'string' }, username: { type: 'string' } },
    },
    bodyHtml: { type: 'string', description: 'Sanitized HTML rendered from the Markdown body' },
    status: { type: 'string', enum: ['published', 'pending', 'rejected'] },
    deleted: { type: 'boolean' },
    featured: { type: 'boolean' },
    score: { type: 'integer' },
    createdAt: { type: 'string', format: 'date-time' },
    editedAt: { type: ['string', 'null'], format: 'date-time' },
    source: { type: 'string', description: "The Markdown source; only on the viewer's own comments" },
    reasons: { type: 'array', items: { $ref: 'Reason#' }, description: "Only on the viewer's own held or rejected comments" },
    myVote: { type: 'integer', enum: [-1, 0, 1] },
    moreReplies: { type: 'boolean' },
    replies: { type: 'array', items: { $ref: 'Comment#' } },
  },
} as const;

export const StoryModel = {
  $id: 'Story',
  type: 'object',
  properties: {
    id: { type: 'string' },
    siteId: { type: 'string' },
    url: { type: 'string' },
    title: { type: 'string' },
    byline: { type: ['string', 'null'] },
    source: { type: ['string', 'null'] },
    imageUrl: { type: ['string', 'null'] },
    imageCaption: { type: ['string', 'null'] },
    body: { type: ['string', 'null'] },
    publishedAt: { type: 'string', format: 'date-time' },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const;

export const SHARED_SCHEMAS = [ErrorResponse, UserModel, ReasonModel, CommentModel, StoryModel];

export const ref = (id: string) => ({ $ref: `${id}#` });

/** The error responses a route documents, beside its success response. */
export function errors(...statuses: number[]) {
  return Object.fromEntries(statuses.map((s) => [s, ref('Error')]));
}

export const Username = Type.String({ minLength: 2, maxLength: 30, pattern: USERNAME_PATTERN });
export const Password = Type.String({ minLength: 1, maxLength: 200 });
export const CommentBody = Type.String({ minLength: 1, maxLength: 20_000 });

/** A moderator's or admin's reason for an action, in their own words (the author or the log shows it). */
export const ReasonText = Type.String({ minLength: 1, maxLength: 1000 });
/** An opaque page cursor, as the previous page gave it. */
export const Cursor = Type.String({ minLength: 1, maxLength: 200 });

export const nullableString = { type: ['string', 'null'] } as const;
export const Scores = { anyOf: [{ type: 'object', additionalProperties: { type: 'number' } }, { type: 'null' }] } as const;
export const Span = {
  type: 'object',
  properties: { start: { type: 'integer' }, end: { type: 'integer' }, label: { type: 'string' }, weight: { type: 'number' } },
} as const;
