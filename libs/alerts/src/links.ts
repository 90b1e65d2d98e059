import { AppConfig } from '#config';
import { Keyring } from '#encryption';
import { Injectable } from '@nestjs/common';

/** What a signed link token says, once verified. */
export interface LinkClaim {
  purpose: 'unsubscribe' | 'confirm';
  subscriptionId: string;
}

/**
 * The links messages carry, under `PUBLIC_BASE_URL`. Unsubscribe and confirmation links hold a
 * signed token (`<subscriptionId>.<keyId>.<hmac>`), so they work without a login and cannot be
 * forged or pointed at another subscription.
 */
@Injectable()
export class AlertLinks {
  constructor(
    private readonly config: AppConfig,
    private readonly keyring: Keyring,
  ) {}

  private get base(): string {
    return this.config.env.PUBLIC_BASE_URL.replace(/\/$/, '');
  }

  token(purpose: LinkClaim['purpose'], subscriptionId: string): string {
    return `${subscriptionId}.${this.keyring.sign(purpose, subscriptionId)}`;
  }

  /** The subscription a token names, or null when it is not a valid token for `purpose`. */
  verify(purpose: LinkClaim['purpose'], token: string): string | null {
    const match = /^([0-9a-f-]{36})\.(.+)$/.exec(token);
    if (!match) return null;
    return this.keyring.verify(purpose, match[1]!, match[2]!) ? match[1]! : null;
  }

  /** RFC 8058 one-click target (POST `List-Unsubscribe=One-Click`); GET shows a confirmation page. */
  unsubscribeUrl(subscriptionId: string): string {
    return `${this.base}/api/v1/public/unsubscribe?token=${encodeURIComponent(this.token('unsubscribe', subscriptionId))}`;
  }

  confirmUrl(subscriptionId: string): string {
    return `${this.base}/api/v1/public/subscriptions/confirm?token=${encodeURIComponent(this.token('confirm', subscriptionId))}`;
  }

  /** The case in the staff API (sign-in needed): for cases that are not public. */
  caseUrl(caseId: string): string {
    return `${this.base}/api/v1/cases/${caseId}`;
  }

  /** The public page of a public case, which anyone can open. */
  publicCaseUrl(caseId: string): string {
    return `${this.base}/api/v1/public/cases/${caseId}`;
  }

  /**
   * The link to a case for a message or calendar entry: its public page when the case is public,
   * else the staff API, which only readers signed in can open (null for a public-only recipient).
   */
  caseLink(caseId: string, casePublic: boolean, publicOnly = false): string | null {
    if (casePublic) return this.publicCaseUrl(caseId);
    return publicOnly ? null : this.caseUrl(caseId);
  }

  followUrl(caseId: string): string {
    return `${this.base}/api/v1/public/cases/${caseId}/follow`;
  }

  caseCalendarUrl(caseId: string): string {
    return `${this.base}/calendar/cases/${caseId}.ics`;
  }

  calendarUrl(calendarToken: string): string {
    return `${this.base}/calendar/${calendarToken}.ics`;
  }
}
