/** The promise's value, or null when it has not settled within `ms` (a stream that never answers, a hung handler). */
export async function answeredWithin<T>(ms: number, pending: Promise<T>): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
  try {
    return await Promise.race([pending, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
