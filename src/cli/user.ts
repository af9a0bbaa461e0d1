import { AccountService } from '../core/accounts.js';
import { createApiToken } from '../storage/sessions.js';
import { findUserByUsername } from '../storage/users.js';
import type { Role } from '../storage/schema.js';
import { parseArgs } from './args.js';
import { withStorage } from './storage.js';

const ROLES: Role[] = ['commenter', 'moderator', 'admin'];
const USAGE =
  'usage: parley user create --username U --password P [--email E] [--role commenter|moderator|admin]\n' +
  '       parley user token --username U [--name N]   (prints a new API token for Authorization: Bearer)\n';

export async function run(args: string[]): Promise<number> {
  const { flags, words } = parseArgs(args);
  const action = words[0];
  const username = flags.get('username');
  if ((action !== 'create' && action !== 'token') || !username) {
    process.stderr.write(USAGE);
    return 2;
  }
  return withStorage(async (storage) => {
    if (action === 'create') {
      const role = (flags.get('role') ?? 'commenter') as Role;
      const password = flags.get('password');
      if (!ROLES.includes(role) || !password) {
        process.stderr.write(USAGE);
        return 2;
      }
      const user = await new AccountService(storage).create({ username, password, email: flags.get('email') ?? null, role });
      process.stdout.write(`created ${user.role} "${user.username}" (id ${user.id})\n`);
      return 0;
    }
    const user = await findUserByUsername(storage.db, username);
    if (!user) {
      process.stderr.write(`no user "${username}"\n`);
      return 1;
    }
    process.stdout.write(`${await createApiToken(storage.db, user.id, flags.get('name') ?? 'cli')}\n`);
    return 0;
  });
}
