/** Minimal `--name value` / `--flag` parser; repeated options collect into arrays. */
export function parseArgs(argv: readonly string[]): { opts: Map<string, string[]>; positional: string[] } {
  const opts = new Map<string, string[]>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      let name: string;
      let value: string;
      if (eq > 0) {
        name = a.slice(2, eq);
        value = a.slice(eq + 1);
      } else {
        name = a.slice(2);
        const next = argv[i + 1];
        if (next !== undefined && !next.startsWith('--')) {
          value = next;
          i++;
        } else value = 'true';
      }
      const list = opts.get(name) ?? [];
      list.push(value);
      opts.set(name, list);
    } else positional.push(a);
  }
  return { opts, positional };
}
