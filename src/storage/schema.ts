// Table shapes as Kysely sees them. Times are epoch milliseconds in BIGINT columns on both databases.
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export type Role = 'commenter' | 'moderator' | 'admin';
export type CommentStatus = 'published' | 'pending' | 'rejected';

export interface SitesTable {
  id: string;
  name: string;
  /** JSON of the site's moderation settings; see src/moderation/policy.ts. */
  policy_json: string;
  created_at: number;
}

export interface UsersTable {
  id: string;
  username: string;
  /** Lower-cased username: the unique key, so "Alice" and "alice" are one account. */
  username_key: string;
  email: string | null;
  password_hash: string;
  role: Role;
  created_at: number;
}

export interface SessionsTable {
  /** SHA-256 of the cookie value: a stolen database does not yield live sessions. */
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
}

export interface ApiTokensTable {
  /** SHA-256 of the bearer token. */
  id: string;
  user_id: string;
  name: string;
  created_at: number;
}

export interface StoriesTable {
  id: string;
  site_id: string;
  url: string;
  title: string;
  byline: string | null;
  source: string | null;
  image_url: string | null;
  image_caption: string | null;
  body: string | null;
  published_at: number;
  created_at: number;
}

export interface CommentsTable {
  id: string;
  story_id: string;
  parent_id: string | null;
  /** The top-level comment of this thread; equals id for a top-level comment. */
  root_id: string;
  depth: number;
  author_id: string;
  body_markdown: string;
  body_html: string;
  status: CommentStatus;
  /** JSON array of the moderation step's reasons for the status. */
  reasons_json: string;
  /** JSON of the classifier's label scores, or null when no classifier ran. */
  scores_json: string | null;
  score: Generated<number>;
  created_at: number;
  edited_at: number | null;
  deleted_at: number | null;
}

export interface VotesTable {
  comment_id: string;
  user_id: string;
  value: number;
  created_at: number;
}

export interface Database {
  sites: SitesTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  stories: StoriesTable;
  comments: CommentsTable;
  votes: VotesTable;
}

export type SiteRow = Selectable<SitesTable>;
export type UserRow = Selectable<UsersTable>;
export type StoryRow = Selectable<StoriesTable>;
export type CommentRow = Selectable<CommentsTable>;
export type NewComment = Insertable<CommentsTable>;
export type CommentUpdate = Updateable<CommentsTable>;
