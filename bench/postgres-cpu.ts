// The CPU time of the PostgreSQL backends that serve one database, read from /proc (Linux, with PostgreSQL on the
// same machine, as in these benchmarks). PostgreSQL runs each connection's queries in a process of its own, so a
// server's own CPU time leaves the database's work out; on SQLite that work runs inside the server's process and
// is counted there. Only the backends of the benchmark's own database are counted: not PostgreSQL's shared
// processes (WAL writer, checkpointer), and not other databases' backends on the same server.
import { readdirSync, readFileSync } from 'node:fs';

/** Linux's clock ticks per second (`getconf CLK_TCK`), the unit of /proc/<pid>/stat's times. */
const TICKS_PER_SECOND = 100;

/** The database a PostgreSQL URL names; null for anything else (an SQLite file). */
export function postgresDatabaseOf(location: string): string | null {
  if (!/^postgres(ql)?:\/\//.test(location)) return null;
  return decodeURIComponent(new URL(location).pathname.slice(1)) || null;
}

/**
 * The CPU time (user and system, µs) the backends connected to `database` have used so far; null where /proc
 * cannot be read. A backend that exits between two readings takes its time with it, so compare readings taken
 * while the server's pool is open.
 */
export function postgresCpuMicros(database: string): number | null {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  let ticks = 0;
  for (const pid of pids) {
    try {
      // A backend's title: "postgres: 15/main: <user> <database> <client> <state>".
      const title = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!title.startsWith('postgres: ') || !title.includes(` ${database} `)) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // After the command's name in parentheses: state is field 3, utime field 14 and stime field 15.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended while it was being read.
    }
  }
  return (ticks * 1e6) / TICKS_PER_SECOND;
}
