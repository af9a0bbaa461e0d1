// Accounts: sign-up checks, argon2id password hashes, log-in.
import argon2 from 'argon2';
import type { Storage } from '../storage/db.js';
import type { Role, UserRow } from '../storage/schema.js';
import type { User } from '../contracts/api.js';
import { USERNAME_PATTERN } from '../contracts/limits.js';
import { findUserByUsername, insertUser, takenIdentifiers } from '../storage/users.js';
import { createSession, createStreamTicket, findUserByStreamTicket, type CreatedSession } from '../storage/sessions.js';
import { inTransaction } from '../storage/events.js';
import { Deliveries } from './deliveries.js';
import { ParleyError, conflict } from './errors.js';

export const PASSWORD_MIN = 10;

export interface SignupInput {
  username: string;
  email: string | null;
  password: string;
  role?: Role;
}

// OWASP's recommended argon2id settings (19 MiB, 2 passes, 1 lane): strong, and quick enough on 2 cores.
const HASH_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

// A hash to verify against when the username does not exist, so a login takes as long either way
// and its timing does not tell which usernames are registered.
const unknownUserHash = argon2.hash('parley-unknown-user', HASH_OPTIONS);

function checkPassword(password: string, username: string): void {
  if ([...password].length < PASSWORD_MIN) {
    throw new ParleyError(400, 'weak_password', `The password must be at least ${PASSWORD_MIN} characters long.`);
  }
  if (password.toLowerCase().includes(username.toLowerCase())) {
    throw new ParleyError(400, 'weak_password', 'The password must not contain the username.');
  }
}

/** Checks a new password for an account (long enough, not the username) and hashes it. */
export async function hashPassword(password: string, username: string): Promise<string> {
  checkPassword(password, username);
  return argon2.hash(password, HASH_OPTIONS);
}
/** How long an event-stream ticket opens streams (a stream opened with it stays open; a reconnection later asks anew). */
export const STREAM_TICKET_TTL_MS = 10 * 60_000;

export class AccountService {
  /** @param deliveries plans the mail that confirms a new account's address (none when mail is off) */
  constructor(
    private readonly storage: Storage,
    private readonly deliveries = new Deliveries(false),
  ) {}

  private get db() {
    return this.storage.db;
  }

  /** A ticket that opens this reader's event stream for STREAM_TICKET_TTL_MS (EventSource cannot send a bearer token). */
  async streamTicket(user: UserRow): Promise<{ ticket: string; expiresAt: string }> {
    const now = Date.now();
    const ticket = await createStreamTicket(this.db, user.id, STREAM_TICKET_TTL_MS, now);
    return { ticket, expiresAt: new Date(now + STREAM_TICKET_TTL_MS).toISOString() };
  }

  /** Whose event stream a ticket opens; a ticket unknown or expired is refused. */
  async streamViewer(ticket: string): Promise<UserRow> {
    const user = await findUserByStreamTicket(this.db, ticket);
    if (!user) throw new ParleyError(401, 'invalid_ticket', 'The event stream ticket is not valid or has expired; ask for a new one.');
    return user;
  }

  /** Creates an account after checking its username, password and that neither name nor email is taken. */
  async create(input: SignupInput): Promise<UserRow> {
    if (!new RegExp(USERNAME_PATTERN).test(input.username)) {
      throw new ParleyError(
        400,
        'invalid_username',
        'A username is 2 to 30 letters, digits, "_", "." or "-", and starts with a letter, digit or "_".',
      );
    }
    checkPassword(input.password, input.username);
    await this.refuseTaken(input);
    const passwordHash = await hashPassword(input.password, input.username);
    try {
      // The confirmation mail is planned with the account: it exists exactly when the account does.
      let planned = 0;
      const user = await inTransaction(this.db, async (trx) => {
        const created = await insertUser(trx, { username: input.username, email: input.email, passwordHash, role: input.role ?? 'commenter' });
        planned = await this.deliveries.addressToConfirm(trx, created, created.created_at);
        return created;
      });
      this.deliveries.committed(planned);
      return user;
    } catch (error) {
      // Two sign-ups for the same name at once: the unique index lets one through; tell the other why.
      await this.refuseTaken(input);
      throw error;
    }
  }

  /** A reader's sign-up, through the API or the form: a commenter account and a session for it. */
  async signUp(input: Omit<SignupInput, 'role'>, sessionTtlMs: number): Promise<{ user: UserRow; session: CreatedSession }> {
    const user = await this.create(input);
    return { user, session: await createSession(this.db, user.id, sessionTtlMs) };
  }

  private async refuseTaken(input: SignupInput): Promise<void> {
    const taken = await takenIdentifiers(this.db, input.username, input.email);
    if (taken.username) throw conflict('username_taken', `The username "${input.username}" is already taken.`);
    if (taken.email) throw conflict('email_taken', 'An account with this email address already exists.');
  }

  /** Checks a username and password (in the same time whether or not the account exists) and opens a session. */
  async logIn(username: string, password: string, sessionTtlMs: number): Promise<{ user: UserRow; session: CreatedSession }> {
    const user = await findUserByUsername(this.db, username);
    // Accounts made by an import have no password until their owner claims them: nobody logs in as them.
    const hasPassword = Boolean(user?.password_hash);
    const valid = await argon2.verify(hasPassword ? user!.password_hash : await unknownUserHash, password);
    if (!user || !hasPassword || !valid) throw new ParleyError(401, 'invalid_credentials', 'The username or password is wrong.');
    return { user, session: await createSession(this.db, user.id, sessionTtlMs) };
  }
}

/** An account as the API shows it to its owner. */
export function userView(user: UserRow): User {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    role: user.role,
    createdAt: new Date(user.created_at).toISOString(),
  };
}
