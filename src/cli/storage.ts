import { configFromEnv } from '../config.js';
import { openStorage, type Storage } from '../storage/db.js';
import { ParleyError } from '../core/errors.js';

/**
 * Runs a command against the configured database and closes it after. What a person can act on (a
 * ParleyError, a file that is not there) is printed as a line and exits with 1; anything else is a fault.
 */
export async function withStorage(command: (storage: Storage) => Promise<number>): Promise<number> {
  const storage = await openStorage({ location: configFromEnv().database });
  try {
    return await command(storage);
  } catch (error) {
    if (error instanceof ParleyError || (error as NodeJS.ErrnoException).code === 'ENOENT') {
      process.stderr.write(`${(error as Error).message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await storage.close();
  }
}
