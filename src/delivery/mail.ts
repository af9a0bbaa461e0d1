// Mail over SMTP (nodemailer): each planned message (src/core/deliveries.ts) rendered as plain text and simple
// HTML, with its links built from the install's public URL.
import nodemailer, { type Transporter } from 'nodemailer';
import type { OutboxRow } from '../storage/schema.js';
import type { MailMessage } from '../core/deliveries.js';
import type { Sender, SendOutcome } from './dispatcher.js';

export interface MailSettings {
  smtpUrl: string;
  mailFrom: string;
  publicUrl: string;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A mail of paragraphs, each plain text or a link; the HTML escapes every value. */
function compose(subject: string, parts: Array<string | { link: string; label: string }>, headers: Record<string, string> = {}): RenderedMail {
  const text = parts.map((p) => (typeof p === 'string' ? p : `${p.label}: ${p.link}`)).join('\n\n');
  const html = parts
    .map((p) => (typeof p === 'string' ? `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>` : `<p><a href="${escapeHtml(p.link)}">${escapeHtml(p.label)}</a></p>`))
    .join('\n');
  return { subject, text: `${text}\n`, html: `<!doctype html><html><body>${html}</body></html>`, headers };
}

/** The subject, text and headers of a message. */
export function renderMail(message: MailMessage, publicUrl: string): RenderedMail {
  const hello = `Hello ${message.username},`;
  switch (message.template) {
    case 'verify':
      return compose('Confirm your e-mail address', [
        hello,
        'Open this link to confirm that this address is yours. It works once, within 24 hours.',
        { link: `${publicUrl}/verify-email?token=${encodeURIComponent(message.token)}`, label: 'Confirm the address' },
        'If you did not ask for this, ignore this mail.',
      ]);
    case 'reset':
      return compose('Reset your password', [
        hello,
        'Someone (you, we hope) asked to reset the password of your account. The link works once, within one hour.',
        { link: `${publicUrl}/reset-password?token=${encodeURIComponent(message.token)}`, label: 'Choose a new password' },
        'If you did not ask for this, ignore this mail: your password stays as it is.',
      ]);
    case 'reply': {
      const unsubscribe = `${publicUrl}/unsubscribe/${encodeURIComponent(message.unsubscribeToken)}`;
      return compose(
        `${message.replier} replied to you on "${message.storyTitle}"`,
        [
          hello,
          `${message.replier} replied to your comment:`,
          message.excerpt,
          { link: `${publicUrl}/comments/${message.commentId}`, label: 'Read the reply' },
          { link: unsubscribe, label: 'Stop mails about replies on this story' },
        ],
        // RFC 8058: mail clients offer a one-click unsubscribe that POSTs to this URL.
        { 'List-Unsubscribe': `<${unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      );
    }
    case 'moderation':
      return compose(message.outcome === 'published' ? 'Your comment is published' : 'Your comment was not published', [
        hello,
        message.outcome === 'published'
          ? 'A moderator approved your comment; everyone can read it now:'
          : `A moderator rejected your comment${message.reason ? ` for this reason: ${message.reason}` : '.'}`,
        message.excerpt,
        { link: `${publicUrl}/comments/${message.commentId}`, label: 'See the comment' },
      ]);
    case 'digest':
      return compose(`Moderation queues on ${message.date}: ${message.counts.pending} waiting, ${message.counts.reported} reported`, [
        hello,
        `Comments waiting for a decision: ${message.counts.pending}.\nReported comments to review: ${message.counts.reported}.`,
        { link: `${publicUrl}/admin`, label: 'Open the console' },
      ]);
  }
}

/** Sends mail deliveries through one SMTP server. */
export class MailSender implements Sender {
  private readonly transport: Transporter;
  constructor(private readonly settings: MailSettings) {
    this.transport = nodemailer.createTransport(settings.smtpUrl);
  }

  async send(row: OutboxRow): Promise<SendOutcome> {
    const message = JSON.parse(row.payload_json) as MailMessage;
    const mail = renderMail(message, this.settings.publicUrl);
    try {
      await this.transport.sendMail({ from: this.settings.mailFrom, to: row.target, ...mail });
      // A link that works once is not kept once sent: only its digest stays (mail_tokens).
      const keepPayload = 'token' in message ? JSON.stringify({ ...message, token: '(sent)' }) : undefined;
      return { ok: true, statusCode: null, error: null, ...(keepPayload ? { keepPayload } : {}) };
    } catch (error) {
      return { ok: false, statusCode: null, error: error instanceof Error ? error.message : String(error) };
    }
  }

  close(): void {
    this.transport.close();
  }
}
