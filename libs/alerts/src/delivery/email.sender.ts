import { AppConfig } from '#config';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { DeliveryError } from './delivery-error.js';

export interface OutgoingEmail {
  reminderId: string;
  to: { name: string; address: string };
  subject: string;
  text: string;
  /** RFC 8058 one-click unsubscribe target (for a confirmation: ends the follow request). */
  unsubscribeUrl: string | null;
}

/**
 * The Message-ID of a reminder's email: the same for every attempt, so receivers can deduplicate,
 * on the domain of the sender (`MAIL_FROM`), as spam filters expect a full domain name there.
 */
export const messageIdOf = (reminderId: string, mailFrom: string): string =>
  `<${reminderId}@${senderDomain(mailFrom)}>`;

/** The domain of the address in `MAIL_FROM` (`Name <alerts@example.org>` or `alerts@example.org`). */
function senderDomain(mailFrom: string): string {
  const address = /<([^<>]+)>\s*$/.exec(mailFrom)?.[1] ?? mailFrom;
  const domain = address.trim().split('@').at(-1)?.toLowerCase() ?? '';
  return /^[a-z0-9.-]+$/.test(domain) && domain.includes('.') ? domain : 'case-tracker';
}

/**
 * Sends alert emails through `SMTP_URL` (smtp:// with STARTTLS when offered, smtps:// for TLS),
 * from `MAIL_FROM`. One connection per message, so an SMTP server that restarts is simply
 * reached again by the next attempt; every step has a timeout, so a stuck server cannot hold a
 * claim for long.
 */
@Injectable()
export class EmailSender implements OnApplicationShutdown {
  private transport?: Transporter;

  constructor(private readonly config: AppConfig) {}

  private get transporter(): Transporter {
    this.transport ??= createTransport({
      url: this.config.env.SMTP_URL,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
      // Messages are plain text built here; nothing may pull in files or URLs.
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    return this.transport;
  }

  async send(email: OutgoingEmail): Promise<void> {
    const headers: Record<string, string> = { 'Auto-Submitted': 'auto-generated' };
    if (email.unsubscribeUrl) {
      headers['List-Unsubscribe'] = `<${email.unsubscribeUrl}>`;
      headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
    }
    try {
      await this.transporter.sendMail({
        from: this.config.env.MAIL_FROM,
        to: { name: email.to.name, address: email.to.address },
        subject: email.subject,
        text: email.text,
        messageId: messageIdOf(email.reminderId, this.config.env.MAIL_FROM),
        headers,
      });
    } catch (error) {
      throw smtpError(error);
    }
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }
}

/** An SMTP failure as a `DeliveryError`: its code and reply code; a 5xx reply is permanent. */
function smtpError(error: unknown): DeliveryError {
  const e = error as { code?: string; responseCode?: number; command?: string; message?: string };
  const reply = typeof e.responseCode === 'number' ? e.responseCode : null;
  const parts = ['email:', e.code ?? 'error'];
  if (reply !== null) parts.push(`reply ${reply}${e.command ? ` to ${e.command}` : ''}`);
  else if (e.message) parts.push(`(${e.message.split('\n')[0]})`);
  return new DeliveryError(parts.join(' '), reply !== null && reply >= 500);
}
