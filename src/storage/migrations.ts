// Schema migrations, applied in order at every start. Never edit a shipped migration: add the next one.
import { Migrator, PostgresAdapter, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { severityOf } from '../contracts/severity.js';
import { sealPlainSecrets } from './sealed.js';

const migrations: Record<string, Migration> = {
  '0001_foundation': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('sites')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('policy_json', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull())
        .addColumn('username_key', 'text', (c) => c.notNull().unique())
        .addColumn('email', 'text', (c) => c.unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

      await db.schema
        .createTable('api_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('stories')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('byline', 'text')
        .addColumn('source', 'text')
        .addColumn('image_url', 'text')
        .addColumn('image_caption', 'text')
        .addColumn('body', 'text')
        .addColumn('published_at', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('stories_site_url', ['site_id', 'url'])
        .execute();
      await db.schema.createIndex('stories_published').on('stories').columns(['published_at', 'id']).execute();

      await db.schema
        .createTable('comments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('story_id', 'text', (c) => c.notNull().references('stories.id'))
        .addColumn('parent_id', 'text', (c) => c.references('comments.id'))
        .addColumn('root_id', 'text', (c) => c.notNull())
        .addColumn('depth', 'integer', (c) => c.notNull())
        .addColumn('author_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('body_markdown', 'text', (c) => c.notNull())
        .addColumn('body_html', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('reasons_json', 'text', (c) => c.notNull())
        .addColumn('scores_json', 'text')
        .addColumn('score', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('edited_at', 'bigint')
        .addColumn('deleted_at', 'bigint')
        .execute();
      // One index per way a page of top-level comments is read, so a page costs the same on any thread size.
      await db.schema
        .createIndex('comments_story_time')
        .on('comments')
        .columns(['story_id', 'depth', 'created_at', 'id'])
        .execute();
      await db.schema
        .createIndex('comments_story_score')
        .on('comments')
        .columns(['story_id', 'depth', 'score', 'id'])
        .execute();
      await db.schema.createIndex('comments_root').on('comments').columns(['root_id', 'created_at', 'id']).execute();
      await db.schema.createIndex('comments_author').on('comments').columns(['author_id', 'created_at']).execute();

      await db.schema
        .createTable('votes')
        .addColumn('comment_id', 'text', (c) => c.notNull().references('comments.id'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('value', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('votes_pk', ['comment_id', 'user_id'])
        .execute();
      await db.schema.createIndex('votes_user').on('votes').column('user_id').execute();
    },
  },
  '0002_moderation_workflow': {
    async up(db: Kysely<any>) {
      // Staff belong to one site, or to every site when site_id is null (the first admin).
      await db.schema.alterTable('users').addColumn('site_id', 'text').execute();
      await db.schema.alterTable('users').addColumn('banned_at', 'bigint').execute();
      await db.schema.alterTable('users').addColumn('suspended_until', 'bigint').execute();
      await db.schema.alterTable('users').addColumn('sanction_reason', 'text').execute();

      // The site of a comment's story, kept on the comment so that queues read one table.
      await db.schema.alterTable('comments').addColumn('site_id', 'text').execute();
      await db
        .updateTable('comments')
        .set((eb: any) => ({ site_id: eb.selectFrom('stories').select('stories.site_id').whereRef('stories.id', '=', 'comments.story_id') }))
        .execute();
      // The highest label score, for sorting queues by score.
      await db.schema.alterTable('comments').addColumn('max_score', 'double precision').execute();
      // The classifier's spans and the labels over the hold threshold, as decided when the comment was written.
      await db.schema.alterTable('comments').addColumn('spans_json', 'text').execute();
      await db.schema.alterTable('comments').addColumn('flagged_labels', 'text').execute();
      await db.schema.alterTable('comments').addColumn('moderated_by', 'text').execute();
      await db.schema.alterTable('comments').addColumn('moderated_at', 'bigint').execute();
      /** The moderator's reason for a rejection, which the author sees. */
      await db.schema.alterTable('comments').addColumn('moderation_reason', 'text').execute();
      await db.schema.alterTable('comments').addColumn('featured_at', 'bigint').execute();
      /** Reports since a moderator last reviewed the comment. */
      await db.schema.alterTable('comments').addColumn('open_reports', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.createIndex('comments_queue_time').on('comments').columns(['site_id', 'status', 'created_at', 'id']).execute();
      await db.schema.createIndex('comments_queue_score').on('comments').columns(['site_id', 'status', 'max_score', 'id']).execute();
      await db.schema.createIndex('comments_site_time').on('comments').columns(['site_id', 'created_at', 'id']).execute();

      await db.schema
        .createTable('reports')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('comment_id', 'text', (c) => c.notNull().references('comments.id'))
        .addColumn('reporter_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('reports_once', ['comment_id', 'reporter_id'])
        .execute();

      await db.schema
        .createTable('audit_log')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('site_id', 'text')
        .addColumn('actor_id', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target_type', 'text', (c) => c.notNull())
        .addColumn('target_id', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('before_json', 'text')
        .addColumn('after_json', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_site_time').on('audit_log').columns(['site_id', 'created_at', 'id']).execute();
      // The audit log is append-only for everyone, the server included.
      if (db.getExecutor().adapter instanceof PostgresAdapter) {
        await sql`CREATE FUNCTION parley_audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN RAISE EXCEPTION 'the audit log cannot be changed'; END $$`.execute(db);
        await sql`CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
          FOR EACH ROW EXECUTE FUNCTION parley_audit_log_is_append_only()`.execute(db);
      } else {
        for (const event of ['UPDATE', 'DELETE']) {
          await sql
            .raw(`CREATE TRIGGER audit_log_no_${event.toLowerCase()} BEFORE ${event} ON audit_log
              BEGIN SELECT RAISE(ABORT, 'the audit log cannot be changed'); END`)
            .execute(db);
        }
      }
    },
  },
  '0003_automatic_decision': {
    async up(db: Kysely<any>) {
      // What the moderation step decided, kept apart from the status a moderator may change later,
      // so that hold and reject rates describe the policy.
      await db.schema.alterTable('comments').addColumn('auto_status', 'text').execute();
      await db.updateTable('comments').set((eb: any) => ({ auto_status: eb.ref('status') })).execute();
      await db.schema.createIndex('comments_site_auto').on('comments').columns(['site_id', 'created_at', 'auto_status']).execute();
    },
  },
  '0004_imports': {
    async up(db: Kysely<any>) {
      // Which Parley row each record of an imported file became: a second run of the same file adds
      // nothing, and a run cut short picks up where it stopped.
      await db.schema
        .createTable('import_keys')
        .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('external_id', 'text', (c) => c.notNull())
        .addColumn('parley_id', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('import_keys_pk', ['site_id', 'source', 'kind', 'external_id'])
        .execute();
      // Comments read from a file but not yet placed in their thread (their parent may come later in the file).
      await db.schema
        .createTable('import_staging')
        .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('external_id', 'text', (c) => c.notNull())
        .addColumn('thread_external_id', 'text', (c) => c.notNull())
        .addColumn('parent_external_id', 'text')
        .addColumn('author_key', 'text', (c) => c.notNull())
        .addColumn('author_name', 'text', (c) => c.notNull())
        .addColumn('author_email', 'text')
        .addColumn('body_markdown', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('likes', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('import_staging_pk', ['site_id', 'source', 'external_id'])
        .execute();
      // Placing reads the oldest waiting comments first.
      await db.schema.createIndex('import_staging_age').on('import_staging').columns(['site_id', 'source', 'created_at', 'external_id']).execute();
    },
  },
  '0005_site_origins': {
    async up(db: Kysely<any>) {
      // The origins allowed to embed a site's threads (scheme://host[:port], normalized by src/core/embed.ts).
      await db.schema
        .createTable('site_origins')
        .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
        .addColumn('origin', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('site_origins_pk', ['site_id', 'origin'])
        .execute();
      // Short-lived bearer tokens (the embed's sign-in hands one to its frame); null: a token that does not expire.
      await db.schema.alterTable('api_tokens').addColumn('expires_at', 'bigint').execute();
    },
  },
  '0006_thread_events': {
    async up(db: Kysely<any>) {
      // Every change to a thread, in commit order, for live updates and for resuming them (Last-Event-ID).
      const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
      await db.schema
        .createTable('thread_events')
        .addColumn('id', postgres ? 'bigserial' : 'integer', (c) => (postgres ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('story_id', 'text', (c) => c.notNull())
        .addColumn('site_id', 'text', (c) => c.notNull())
        .addColumn('comment_id', 'text', (c) => c.notNull())
        .addColumn('parent_id', 'text')
        .addColumn('author_id', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('was_public', 'integer', (c) => c.notNull())
        .addColumn('payload_json', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      // A reconnecting reader's catch-up: the events of its stories after an id.
      await db.schema.createIndex('thread_events_story').on('thread_events').columns(['story_id', 'id']).execute();
    },
  },
  '0007_queue_severity': {
    async up(db: Kysely<any>) {
      // The severity of the decision (src/contracts/severity.ts): the rank of the most severe flagged label, and the
      // pending queue's default sort key, 2 × rank + that label's score, so threats come before insults.
      await db.schema.alterTable('comments').addColumn('severity', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('comments').addColumn('queue_priority', 'double precision', (c) => c.notNull().defaultTo(0)).execute();
      const rows: Array<{ id: string; flagged_labels: string | null; scores_json: string | null }> = await db
        .selectFrom('comments')
        .select(['id', 'flagged_labels', 'scores_json'])
        .where('scores_json', 'is not', null)
        .execute();
      for (const row of rows) {
        let scores: Record<string, number> | null = null;
        try {
          scores = JSON.parse(row.scores_json!) as Record<string, number>;
        } catch {
          scores = null;
        }
        const { rank, priority } = severityOf((row.flagged_labels ?? '').split(',').filter(Boolean), scores);
        await db.updateTable('comments').set({ severity: rank, queue_priority: priority }).where('id', '=', row.id).execute();
      }
      await db.schema
        .createIndex('comments_queue_severity')
        .on('comments')
        .columns(['site_id', 'status', 'queue_priority', 'created_at', 'id'])
        .execute();
    },
  },
  '0008_label_decisions': {
    async up(db: Kysely<any>) {
      // Labels a moderator confirmed (1) or corrected (0 or 1) on a comment, the latest per comment and label: with
      // approvals and rejections, the site's own labelled data (`parley model export-decisions`).
      await db.schema
        .createTable('label_decisions')
        .addColumn('comment_id', 'text', (c) => c.notNull().references('comments.id'))
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('value', 'integer', (c) => c.notNull())
        .addColumn('site_id', 'text', (c) => c.notNull())
        .addColumn('decided_by', 'text', (c) => c.notNull())
        .addColumn('decided_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('label_decisions_pk', ['comment_id', 'label'])
        .execute();
      await db.schema.createIndex('label_decisions_site_time').on('label_decisions').columns(['site_id', 'decided_at']).execute();
      // Moderators' decisions of a site, newest first, for the export.
      await db.schema.createIndex('comments_site_moderated').on('comments').columns(['site_id', 'moderated_at']).execute();
    },
  },
  '0009_site_model': {
    async up(db: Kysely<any>) {
      // The version of the site model a site's comments are scored with; null: the shipped model.
      await db.schema.alterTable('sites').addColumn('model_version', 'text').execute();
    },
  },
  '0011_identity': {
    async up(db: Kysely<any>) {
      // A site's key for its host sign-on tokens: an HS256 secret or a public key (PEM), never shown back.
      await db.schema
        .createTable('site_sso_keys')
        .addColumn('site_id', 'text', (c) => c.primaryKey().references('sites.id'))
        .addColumn('algorithm', 'text', (c) => c.notNull())
        .addColumn('key_material', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      // Single-use ids already used (a sign-on token's jti, a guest's proof-of-work challenge), kept until they expire.
      await db.schema
        .createTable('used_nonces')
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('nonce', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('used_nonces_pk', ['scope', 'nonce'])
        .execute();
      await db.schema.createIndex('used_nonces_expiry').on('used_nonces').column('expires_at').execute();
      // Secrets of this install, made at first use (the key that signs guests' challenges and hashes addresses).
      await db.schema
        .createTable('install_secrets')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
      // Guests' comments, for their rate limits: by address (a keyed hash, never the address) and by browser.
      await db.schema
        .createTable('guest_posts')
        .addColumn('site_id', 'text', (c) => c.notNull())
        .addColumn('address_hash', 'text', (c) => c.notNull())
        .addColumn('browser_id', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('guest_posts_address').on('guest_posts').columns(['address_hash', 'created_at']).execute();
      await db.schema.createIndex('guest_posts_browser').on('guest_posts').columns(['browser_id', 'created_at']).execute();
      // Whether a site takes comments from guests: off, premoderate (all held) or stricter (scored more strictly).
      await db.schema.alterTable('sites').addColumn('guest_comments', 'text', (c) => c.notNull().defaultTo('off')).execute();
      // Who an account is elsewhere: a site's own user id (issuer "site:ID") or an OpenID provider's subject.
      await db.schema
        .createTable('user_identities')
        .addColumn('issuer', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('site_id', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
        // A guest's address as they gave it (unverified: never the account's e-mail).
        .addColumn('email', 'text')
        .addPrimaryKeyConstraint('user_identities_pk', ['issuer', 'subject'])
        .execute();
      await db.schema.createIndex('user_identities_user').on('user_identities').column('user_id').execute();
      // OpenID Connect providers a site lets its readers sign in with.
      await db.schema
        .createTable('site_oidc_providers')
        .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('issuer', 'text', (c) => c.notNull())
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('client_secret', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('site_oidc_providers_pk', ['site_id', 'name'])
        .execute();
      // A sign-in under way at a provider: its state (the key), PKCE verifier and nonce; used once.
      await db.schema
        .createTable('oidc_flows')
        .addColumn('state', 'text', (c) => c.primaryKey())
        .addColumn('site_id', 'text', (c) => c.notNull())
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('code_verifier', 'text', (c) => c.notNull())
        .addColumn('nonce', 'text', (c) => c.notNull())
        .addColumn('next_path', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
      // A deleted account keeps its row (its comments point at it) without anything that names the person.
      await db.schema.alterTable('users').addColumn('deleted_at', 'bigint').execute();
    },
  },
  '0012_delivery': {
    async up(db: Kysely<any>) {
      // The outbox: every mail and webhook call to make, written in the transaction of the change that causes it,
      // sent and retried by a dispatcher in each server process (src/delivery).
      await db.schema
        .createTable('outbox')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('site_id', 'text')
        .addColumn('topic', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('payload_json', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('last_status_code', 'integer')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('sent_at', 'bigint')
        .execute();
      await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute();
      await db.schema.createIndex('outbox_site_log').on('outbox').columns(['site_id', 'kind', 'created_at', 'id']).execute();

      await db.schema
        .createTable('webhooks')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('secret', 'text', (c) => c.notNull())
        .addColumn('events', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('webhooks_site').on('webhooks').column('site_id').execute();

      // Single-use links sent by mail (verify an address, reset a password), kept only as a SHA-256 digest.
      await db.schema
        .createTable('mail_tokens')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('used_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();

      // Readers who asked to be told of replies to their comments on a story; the token unsubscribes in one click.
      await db.schema
        .createTable('reply_subscriptions')
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('story_id', 'text', (c) => c.notNull().references('stories.id'))
        .addColumn('token', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('reply_subscriptions_pk', ['user_id', 'story_id'])
        .execute();

      await db.schema.alterTable('users').addColumn('email_verified_at', 'bigint').execute();
    },
  },
  '0013_desk': {
    async up(db: Kysely<any>) {
      // Threat reports since the last review: one is enough to put a comment in the reported queue.
      await db.schema.alterTable('comments').addColumn('threat_reports', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      // Per story: open, closed (read-only, with a message), premoderated, or hidden from readers.
      await db.schema.alterTable('stories').addColumn('state', 'text', (c) => c.notNull().defaultTo('open')).execute();
      await db.schema.alterTable('stories').addColumn('closed_message', 'text').execute();
      // Trusted by hand (when set): skips pre-moderation. Standing can also be earned (src/core/people.ts).
      await db.schema.alterTable('users').addColumn('trusted_at', 'bigint').execute();
      // Moderators' notes on a person, visible to staff only.
      await db.schema
        .createTable('user_notes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('author_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('site_id', 'text')
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('user_notes_user').on('user_notes').columns(['user_id', 'created_at']).execute();
      // A person's comments, newest first, for the people screen.
      await db.schema.createIndex('comments_author_time').on('comments').columns(['author_id', 'created_at']).execute();
    },
  },
  '0015_import_jobs': {
    async up(db: Kysely<any>) {
      // Imports started from the console: the uploaded file, who started it, and how far it got, so that every
      // process can show the progress and a run cut short can be resumed.
      await db.schema
        .createTable('import_jobs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('moderation', 'text', (c) => c.notNull())
        .addColumn('file_name', 'text', (c) => c.notNull())
        .addColumn('file_bytes', 'bigint', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('pass', 'text')
        .addColumn('done', 'bigint', (c) => c.notNull())
        .addColumn('total', 'bigint')
        .addColumn('summary_json', 'text')
        .addColumn('error', 'text')
        .addColumn('started_by', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('finished_at', 'bigint')
        .execute();
      await db.schema.createIndex('import_jobs_site_time').on('import_jobs').columns(['site_id', 'created_at']).execute();
    },
  },
  '0016_desk_claims': {
    async up(db: Kysely<any>) {
      // Soft claims: who is looking at a queue item, until when (renewed while the console shows it). In the
      // database, so that every process's consoles see every claim.
      await db.schema
        .createTable('queue_claims')
        .addColumn('comment_id', 'text', (c) => c.primaryKey().references('comments.id').onDelete('cascade'))
        .addColumn('site_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('claimed_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('queue_claims_site_expiry').on('queue_claims').columns(['site_id', 'expires_at']).execute();
      // A moderator's named queue filters, per site ('' for the console's every-site view).
      await db.schema
        .createTable('saved_filters')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('site_scope', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('filter_json', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('saved_filters_user_scope_name', ['user_id', 'site_scope', 'name'])
        .execute();
      // What an undoable action changed, as it was before (column: value): undo writes it back.
      await db.schema.alterTable('audit_log').addColumn('undo_json', 'text').execute();
    },
  },
  '0017_ban_evasion': {
    async up(db: Kysely<any>) {
      // Bans by e-mail domain and by network address (a keyed hash, never the address), beside bans of accounts.
      await db.schema
        .createTable('identity_bans')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('source_user_id', 'text', (c) => c.references('users.id'))
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('identity_bans_value').on('identity_bans').columns(['kind', 'value']).execute();
      // The addresses (keyed hashes) accounts signed up and posted from, kept for the retention setting only.
      await db.schema
        .createTable('network_addresses')
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('address_hash', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('network_addresses_pk', ['user_id', 'address_hash'])
        .execute();
      await db.schema.createIndex('network_addresses_hash').on('network_addresses').columns(['address_hash']).execute();
      await db.schema.createIndex('network_addresses_seen').on('network_addresses').columns(['last_seen_at']).execute();
      // Why an account's comments are held for review: a possible ban evasion found at its sign-up.
      await db.schema
        .createTable('evasion_holds')
        .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
  '0018_delivery_more': {
    async up(db: Kysely<any>) {
      // A mail that must go once (a reply's notification) is looked up by its event id before it is planned.
      await db.schema.createIndex('outbox_event').on('outbox').columns(['event_id', 'kind']).execute();
      // Sign-on secrets (HS256) and OpenID client secrets stored before they were sealed at rest are sealed now.
      await sealPlainSecrets(db);
    },
  },
  '0019_hot_paths': {
    async up(db: Kysely<any>) {
      // The story page's heading counts the story's published comments on every uncached view: read from this
      // index alone (its rows, not the table's), not by visiting each of the story's comments (16 ms → 1.5 ms on a
      // 10,000-comment story). The count's query must write the same conditions as literals for it to be used.
      await sql`CREATE INDEX comments_story_published ON comments (story_id) WHERE status = 'published' AND deleted_at IS NULL`.execute(db);
      // A change to the story itself (its state, its text) is a thread event too, so that every process drops its
      // cached pages of the story at once: such an event names no comment, no author and no comment status.
      if (db.getExecutor().adapter instanceof PostgresAdapter) {
        await sql`ALTER TABLE thread_events ALTER COLUMN comment_id DROP NOT NULL, ALTER COLUMN author_id DROP NOT NULL, ALTER COLUMN status DROP NOT NULL`.execute(db);
        return;
      }
      // SQLite cannot drop NOT NULL: the table is made again with the same rows and ids, in one transaction.
      await db.transaction().execute(async (trx) => {
        await sql`CREATE TABLE thread_events_next (
          id integer PRIMARY KEY AUTOINCREMENT, story_id text NOT NULL, site_id text NOT NULL, comment_id text, parent_id text,
          author_id text, type text NOT NULL, status text, was_public integer NOT NULL, payload_json text, created_at bigint NOT NULL)`.execute(trx);
        await sql`INSERT INTO thread_events_next (id, story_id, site_id, comment_id, parent_id, author_id, type, status, was_public, payload_json, created_at)
          SELECT id, story_id, site_id, comment_id, parent_id, author_id, type, status, was_public, payload_json, created_at FROM thread_events`.execute(trx);
        // Ids are never given twice, also those of pruned events (a reader may have seen them): the sequence goes along.
        await sql`DELETE FROM sqlite_sequence WHERE name = 'thread_events_next'`.execute(trx);
        await sql`INSERT INTO sqlite_sequence (name, seq) SELECT 'thread_events_next', seq FROM sqlite_sequence WHERE name = 'thread_events'`.execute(trx);
        await sql`DROP TABLE thread_events`.execute(trx);
        await sql`ALTER TABLE thread_events_next RENAME TO thread_events`.execute(trx);
        await trx.schema.createIndex('thread_events_story').on('thread_events').columns(['story_id', 'id']).execute();
      });
    },
  },
  '0020_digest_days': {
    async up(db: Kysely<any>) {
      // The days whose digest of the queues has been planned, so that it goes once a day whoever asks (every
      // process's schedule, a cron job running `parley mail digest`).
      await db.schema.createTable('digest_days').addColumn('day', 'text', (c) => c.primaryKey()).addColumn('planned_at', 'bigint', (c) => c.notNull()).execute();
    },
  },
  '0021_comment_indexes': {
    async up(db: Kysely<any>) {
      // comments_author (0001) and comments_author_time (0014) index the same columns (author_id, created_at): every
      // query by author is served by either (EXPLAIN on both databases), and each new comment wrote both.
      await db.schema.dropIndex('comments_author').execute();
    },
  },
  '0022_story_comment_counts': {
    async up(db: Kysely<any>) {
      // The story page's heading shows the story's published comments. On SQLite counting them (the partial index
      // comments_story_published, 0019) cost 0.4-0.8 ms of the server's CPU on every uncached view of a
      // 10,000-comment story; the count is now kept per story by triggers on comments, so that every write keeps it
      // exact whatever the path (posting, moderation and its undo, deletion, erasure, imports, archives, guests):
      // a comment counts while it is published and not deleted. PostgreSQL was left out here (a counter row per story
      // seemed to make concurrent posts to one story wait for each other's commit), wrongly: posts already wait for
      // each other's commit at the event lock, and 0024 keeps the same table there. A later SQLite migration that
      // makes the comments table again must make these triggers again.
      if (db.getExecutor().adapter instanceof PostgresAdapter) return;
      await db.transaction().execute(async (trx) => {
        await sql`CREATE TABLE story_comment_counts (
          story_id text PRIMARY KEY REFERENCES stories(id) ON DELETE CASCADE, published integer NOT NULL)`.execute(trx);
        await sql`INSERT INTO story_comment_counts (story_id, published)
          SELECT story_id, count(*) FROM comments WHERE status = 'published' AND deleted_at IS NULL GROUP BY story_id`.execute(trx);
        const counted = (row: 'new' | 'old') => sql.raw(`${row}.status = 'published' AND ${row}.deleted_at IS NULL`);
        const add = sql`INSERT INTO story_comment_counts (story_id, published) VALUES (new.story_id, 1)
          ON CONFLICT (story_id) DO UPDATE SET published = published + 1;`;
        const remove = sql`UPDATE story_comment_counts SET published = published - 1 WHERE story_id = old.story_id;`;
        await sql`CREATE TRIGGER comments_count_insert AFTER INSERT ON comments WHEN ${counted('new')} BEGIN ${add} END`.execute(trx);
        await sql`CREATE TRIGGER comments_count_delete AFTER DELETE ON comments WHEN ${counted('old')} BEGIN ${remove} END`.execute(trx);
        // An update that moves a comment out of the count, into it, or (a story_id changed) from one story to another.
        await sql`CREATE TRIGGER comments_count_leave AFTER UPDATE OF status, deleted_at, story_id ON comments WHEN ${counted('old')} BEGIN ${remove} END`.execute(trx);
        await sql`CREATE TRIGGER comments_count_enter AFTER UPDATE OF status, deleted_at, story_id ON comments WHEN ${counted('new')} BEGIN ${add} END`.execute(trx);
        // The count's partial index is PostgreSQL's alone now: one index write less per published comment.
        await sql`DROP INDEX comments_story_published`.execute(trx);
      });
    },
  },
  '0023_posting_indexes': {
    async up(db: Kysely<any>) {
      // Each new comment writes every index of comments. Two fewer, every query's plan kept (EXPLAIN on both
      // databases, docs/performance.md, round 8): comments_site_moderated (0008) served no query by moderated_at (the
      // export filters and sorts decisions in JavaScript), only its site_id, which other indexes lead with too; and
      // comments_site_auto (0003) is comments_site_time with auto_status where site_time has id, so one index with both
      // serves the queues by site and time and the dashboard's counts by decision alike.
      await db.schema.dropIndex('comments_site_moderated').execute();
      await db.schema.dropIndex('comments_site_auto').execute();
      await db.schema.dropIndex('comments_site_time').execute();
      await db.schema.createIndex('comments_site_time').on('comments').columns(['site_id', 'created_at', 'id', 'auto_status']).execute();
      // Made again after it: without statistics SQLite takes the newest of two equally good indexes, and a person's
      // comments on a site since a time (their standing) are read by author, not by site and time.
      await db.schema.dropIndex('comments_author_time').execute();
      await db.schema.createIndex('comments_author_time').on('comments').columns(['author_id', 'created_at']).execute();
      // The first ban in force on a value (the posting read's evasion facts) is the oldest: read in index order, not sorted.
      await db.schema.dropIndex('identity_bans_value').execute();
      await db.schema.createIndex('identity_bans_value').on('identity_bans').columns(['kind', 'value', 'created_at']).execute();
    },
  },
  '0024_story_comment_counts_postgres': {
    async up(db: Kysely<any>) {
      // PostgreSQL keeps the story's published count too (SQLite has since 0022): counting it from the partial index
      // comments_story_published read ~10,000 index entries in PostgreSQL's process on every uncached view of a
      // 10,000-comment story (docs/performance.md, round 11). A counter row per story adds no waiting: every write
      // that changes a thread already waits at the event lock (src/storage/events.ts) until the previous one commits.
      // Each trigger takes that lock before it touches a counter row, so that every transaction takes the two in the
      // same order whichever statement writes the comment (in a posting's statement the comment's insert and the
      // event's, which takes the lock, are two CTEs, run in no defined order). The lock's key is written here as a
      // literal, EVENT_LOCK's value (test/storage/contract.test.ts checks that they agree): changing EVENT_LOCK needs
      // a migration that makes these functions again. Inserts and deletes are counted per statement (their rows
      // grouped by story): a row trigger would update one story's row once per comment, and PostgreSQL slows with
      // each version of a row that one transaction writes (deleting a 10,000-comment story: 3.3 s against 36 ms).
      // An update is counted per row: PostgreSQL keeps no transition table for an UPDATE OF some columns, and
      // comments are changed one by one (moderation and its undo, an author's or an account's deletion).
      if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
      const lock = sql.raw(`PERFORM pg_advisory_xact_lock(${0x7061726c});`);
      const counted = (row: string) => sql.raw(`(${row}.status = 'published' AND ${row}.deleted_at IS NULL)`);
      await sql`CREATE TABLE story_comment_counts (
        story_id text PRIMARY KEY REFERENCES stories(id) ON DELETE CASCADE, published integer NOT NULL)`.execute(db);
      await sql`CREATE FUNCTION comments_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        IF EXISTS (SELECT 1 FROM added WHERE ${counted('added')}) THEN
          ${lock}
          INSERT INTO story_comment_counts AS counts (story_id, published)
            SELECT story_id, count(*) FROM added WHERE ${counted('added')} GROUP BY story_id
            ON CONFLICT (story_id) DO UPDATE SET published = counts.published + excluded.published;
        END IF;
        RETURN NULL;
      END $$`.execute(db);
      await sql`CREATE FUNCTION comments_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        IF EXISTS (SELECT 1 FROM removed WHERE ${counted('removed')}) THEN
          ${lock}
          UPDATE story_comment_counts AS counts SET published = counts.published - gone.n
            FROM (SELECT story_id, count(*) AS n FROM removed WHERE ${counted('removed')} GROUP BY story_id) AS gone
            WHERE counts.story_id = gone.story_id;
        END IF;
        RETURN NULL;
      END $$`.execute(db);
      await sql`CREATE FUNCTION comments_count_updated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        ${lock}
        IF ${counted('old')} THEN
          UPDATE story_comment_counts SET published = published - 1 WHERE story_id = old.story_id;
        END IF;
        IF ${counted('new')} THEN
          INSERT INTO story_comment_counts AS counts (story_id, published) VALUES (new.story_id, 1)
            ON CONFLICT (story_id) DO UPDATE SET published = counts.published + 1;
        END IF;
        RETURN NULL;
      END $$`.execute(db);
      // The triggers before the rows are counted: creating one locks comments against writes until this commits.
      await sql`CREATE TRIGGER comments_count_insert AFTER INSERT ON comments REFERENCING NEW TABLE AS added
        FOR EACH STATEMENT EXECUTE FUNCTION comments_count_inserted()`.execute(db);
      await sql`CREATE TRIGGER comments_count_delete AFTER DELETE ON comments REFERENCING OLD TABLE AS removed
        FOR EACH STATEMENT EXECUTE FUNCTION comments_count_deleted()`.execute(db);
      // Only an update that moves a comment out of the count, into it, or (its story_id changed) from one story to another.
      await sql`CREATE TRIGGER comments_count_update AFTER UPDATE OF status, deleted_at, story_id ON comments FOR EACH ROW
        WHEN (${counted('old')} <> ${counted('new')} OR (${counted('old')} AND old.story_id <> new.story_id))
        EXECUTE FUNCTION comments_count_updated()`.execute(db);
      await sql`INSERT INTO story_comment_counts (story_id, published)
        SELECT story_id, count(*) FROM comments WHERE status = 'published' AND deleted_at IS NULL GROUP BY story_id`.execute(db);
      // The count reads the table now, and a story's approved or reported queue, the one other query that used the
      // index, reads comments_story_score instead at the same cost (EXPLAIN, round 11): one index write less per post.
      await sql`DROP INDEX comments_story_published`.execute(db);
    },
  },
  '0025_banned_sightings': {
    async up(db: Kysely<any>) {
      // The posting read's "banned account seen at this address" walked every account seen at the address and looked
      // each one up: 31 us a post with the poster alone there, 95-99 us with 200 others (an office, a university, a
      // mobile carrier's shared address; docs/performance.md, session 12). Each sighting now says whether its account
      // is banned, kept so by a trigger on the account's ban, and the banned ones are indexed apart: one index range,
      // as long as the banned accounts seen at the address. The account's own row stays the authority (the read
      // checks users.banned_at too): a flag set wrongly can cost a lookup, never a wrong answer.
      const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
      await db.schema.alterTable('network_addresses').addColumn('user_banned', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await sql`UPDATE network_addresses SET user_banned = 1 WHERE user_id IN (SELECT id FROM users WHERE banned_at IS NOT NULL)`.execute(db);
      await sql`CREATE INDEX network_addresses_banned ON network_addresses (address_hash, last_seen_at) WHERE user_banned = 1`.execute(db);
      const flag = sql.raw(`UPDATE network_addresses SET user_banned = CASE WHEN NEW.banned_at IS NULL THEN 0 ELSE 1 END WHERE user_id = NEW.id;`);
      const changed = sql.raw(`(OLD.banned_at IS NULL) <> (NEW.banned_at IS NULL)`);
      if (postgres) {
        await sql`CREATE FUNCTION users_banned_sightings() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${flag} RETURN NULL; END $$`.execute(db);
        await sql`CREATE TRIGGER users_banned_sightings AFTER UPDATE OF banned_at ON users FOR EACH ROW WHEN (${changed})
          EXECUTE FUNCTION users_banned_sightings()`.execute(db);
      } else {
        await sql`CREATE TRIGGER users_banned_sightings AFTER UPDATE OF banned_at ON users FOR EACH ROW WHEN ${changed}
          BEGIN ${flag} END`.execute(db);
      }
    },
  },
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Runs every migration the database has not had yet, in order; throws (and changes nothing more) if one fails. */
export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const cause = error instanceof Error ? error.message : String(error ?? '');
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${cause}`);
  }
}

