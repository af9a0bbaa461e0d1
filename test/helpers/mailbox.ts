// A real SMTP server (smtp-server) on 127.0.0.1 for tests, keeping every message it receives, read back simply:
// unfolded headers, and the raw body with quoted-printable undone (enough to find a link or a sentence).
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export interface ReceivedMail {
  to: string[];
  headers: Map<string, string>;
  /** Every part of the body, quoted-printable decoded. */
  body: string;
}

/** Undoes RFC 2047 encoded words (=?UTF-8?Q?…?= and =?UTF-8?B?…?=) in a header. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?([QB])\?([^?]*)\?=/gi, (_m, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8'),
    );
}

function parse(raw: string, to: string[]): ReceivedMail {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).toLowerCase(), decodeWords(line.slice(colon + 1).trim()));
  }
  const body = raw
    .slice(split + 4)
    .replace(/=\r\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return { to, headers, body: Buffer.from(body, 'latin1').toString('utf8') };
}

export class Mailbox {
  private constructor(
    private readonly server: SMTPServer,
    private readonly received: ReceivedMail[],
    /** The smtp:// URL to give PARLEY_SMTP_URL. */
    readonly url: string,
  ) {}

  static async start(): Promise<Mailbox> {
    const received: ReceivedMail[] = [];
    const server = new SMTPServer({
      // Plain SMTP on the loopback: no STARTTLS to negotiate, no log-in.
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          received.push(parse(Buffer.concat(chunks).toString('latin1'), session.envelope.rcptTo.map((r) => r.address.toLowerCase())));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.server.address() as AddressInfo;
    return new Mailbox(server, received, `smtp://127.0.0.1:${port}`);
  }

  /** Every message to this address so far. */
  to(address: string): ReceivedMail[] {
    return this.received.filter((m) => m.to.includes(address.toLowerCase()));
  }

  /** Waits until the count-th message to this address has arrived (at most 10 s), and returns it. */
  async next(address: string, count = 1): Promise<ReceivedMail> {
    for (let i = 0; i < 200; i++) {
      const mails = this.to(address);
      if (mails.length >= count) return mails[count - 1]!;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no mail number ${count} to ${address} within 10 s (got ${this.to(address).length})`);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
