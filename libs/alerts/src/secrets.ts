import { newSecret, secretHash } from '#access';

/** Prefixes tell the alerts' secrets apart at a glance (and to secret scanners). */
export const WEBHOOK_SECRET_PREFIX = 'ctw_';
export const CALENDAR_TOKEN_PREFIX = 'ctc_';

/** Field names bound into the encrypted values (see ENCRYPTED_COLUMNS). */
export const WEBHOOK_SECRET_FIELD = 'advocate.webhookSecret';
export const CALENDAR_TOKEN_FIELD = 'advocate.calendarToken';

/**
 * The key of an advocate's webhook signatures: a prefix and 256 random bits. The whole string
 * (its UTF-8 bytes) is the HMAC key; it is stored encrypted and shown only when made.
 */
export const newWebhookSecret = () => newSecret(WEBHOOK_SECRET_PREFIX);

/** The secret in an advocate's calendar URL: a prefix and 256 random bits. */
export const newCalendarToken = () => newSecret(CALENDAR_TOKEN_PREFIX);

const CALENDAR_TOKEN = /^ctc_[A-Za-z0-9_-]{43}$/;

/** Whether a string has the form of a calendar token (so that others need no database look-up). */
export const isCalendarToken = (value: string) => CALENDAR_TOKEN.test(value);

/** Calendar tokens are looked up by their SHA-256 (they are random: no salt or slow hash is needed). */
export const calendarTokenHash = (token: string) => secretHash(token);
