import { describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import { CATALOGS } from './catalogs/index.js';
import {
  formatInstant,
  formatLeadTime,
  formatPartialDate,
  type MessageContext,
  renderMessage,
  webhookPayload,
} from './messages.js';
import { verifyWebhookSignature, webhookSignature } from './webhook-signature.js';

const CASE_ID = '11111111-1111-4111-8111-111111111111';

function context(overrides: Partial<MessageContext> = {}): MessageContext {
  return {
    reminderId: '22222222-2222-4222-8222-222222222222',
    kind: 'reminder',
    notice: null,
    leadTime: 'P2D',
    language: 'en',
    recipient: { name: 'Aigerim Tleuzhan', timeZone: 'Europe/Amsterdam' },
    follows: { type: 'case', name: 'Prosecution of Zhanbolat Mamay' },
    hearing: {
      id: '33333333-3333-4333-8333-333333333333',
      // 10:00 in Almaty, which was UTC+6 until 1 March 2024.
      startsAt: new Date('2024-02-20T04:00:00Z'),
      timeZone: 'Asia/Almaty',
      court: 'Almaty City Court',
      courtroom: 'Courtroom 4',
      kind: 'trial',
      status: 'scheduled',
      postponedTo: null,
    },
    case: { id: CASE_ID, title: 'Prosecution of Zhanbolat Mamay', verdict: null },
    defendants: [
      { id: 'p1', name: 'Zhanbolat Mamay' },
      { id: 'p2', name: 'Inga Imanbai' },
    ],
    custody: null,
    links: {
      case: `https://tracker.example.org/api/v1/cases/${CASE_ID}`,
      unsubscribe: 'https://tracker.example.org/api/v1/public/unsubscribe?token=abc',
      confirm: null,
    },
    ...overrides,
  };
}

const hearingAt = (startsAt: string, base = context()) => ({ ...base.hearing!, startsAt: new Date(startsAt) });

describe('hearing times in the court zone and the advocate zone', () => {
  it('shows a hearing in Almaty before 1 March 2024 at UTC+6, and in Amsterdam at CET', () => {
    const { subject, text } = renderMessage(context());
    expect(subject).toBe('Hearing in 2 days: Prosecution of Zhanbolat Mamay');
    expect(text).toContain('Court time: Tuesday, 20 February 2024, 10:00 (UTC+06:00, Asia/Almaty)');
    expect(text).toContain('Your time: Tuesday, 20 February 2024, 05:00 CET (UTC+01:00, Europe/Amsterdam)');
  });

  it('shows a hearing in Almaty after 1 March 2024 at UTC+5 (the same wall-clock time is an hour later in UTC)', () => {
    const { text } = renderMessage(context({ hearing: hearingAt('2024-03-15T05:00:00Z') }));
    expect(text).toContain('Court time: Friday, 15 March 2024, 10:00 (UTC+05:00, Asia/Almaty)');
    expect(text).toContain('Your time: Friday, 15 March 2024, 06:00 CET (UTC+01:00, Europe/Amsterdam)');
  });

  it("follows the advocate's own clock change too (Amsterdam on summer time from 31 March 2024)", () => {
    const { text } = renderMessage(context({ hearing: hearingAt('2024-04-10T05:00:00Z') }));
    expect(text).toContain('Court time: Wednesday, 10 April 2024, 10:00 (UTC+05:00, Asia/Almaty)');
    expect(text).toContain('Your time: Wednesday, 10 April 2024, 07:00 CEST (UTC+02:00, Europe/Amsterdam)');
  });

  it('formats in Russian with the offsets of the day', () => {
    const ru = { language: 'ru' };
    const before = renderMessage(context(ru));
    expect(before.subject).toBe('Заседание через 2 дня: Prosecution of Zhanbolat Mamay');
    expect(before.text).toContain('Время суда: вторник, 20 февраля 2024, 10:00 (UTC+06:00, Asia/Almaty)');
    expect(before.text).toContain('Ваше время: вторник, 20 февраля 2024, 05:00 (UTC+01:00, Europe/Amsterdam)');
    const after = renderMessage(context({ ...ru, hearing: hearingAt('2024-03-15T05:00:00Z') }));
    expect(after.text).toContain('Время суда: пятница, 15 марта 2024, 10:00 (UTC+05:00, Asia/Almaty)');
    expect(after.text).toContain('Ваше время: пятница, 15 марта 2024, 06:00 (UTC+01:00, Europe/Amsterdam)');
  });

  it('gives the wall-clock time and offset Luxon gives with the IANA zone, across clock changes, in each language', () => {
    const zones = ['Asia/Almaty', 'Europe/Amsterdam', 'America/St_Johns', 'Australia/Lord_Howe', 'Asia/Kathmandu'];
    const instants = [
      Date.UTC(2024, 1, 29, 17, 59), // the last minute of UTC+6 in Almaty
      Date.UTC(2024, 1, 29, 18, 0), // the first of UTC+5
      Date.UTC(2024, 2, 31, 0, 59),
      Date.UTC(2024, 2, 31, 1, 0), // Amsterdam goes to summer time
      Date.UTC(2024, 9, 5, 15, 29), // Lord Howe moves by half an hour in the middle of a UTC hour
      Date.UTC(2024, 9, 5, 15, 30),
      Date.UTC(1985, 6, 1, 23, 30),
      Date.UTC(2031, 10, 2, 4, 15),
    ];
    for (const catalog of Object.values(CATALOGS)) {
      for (const zone of zones) {
        for (const ms of instants) {
          const luxon = DateTime.fromMillis(ms, { zone, locale: catalog.locale });
          const expected = luxon.toFormat(catalog.dateTimeFormat);
          const text = formatInstant(new Date(ms), zone, catalog);
          expect(text.startsWith(expected)).toBe(true);
          expect(text.endsWith(`(UTC${luxon.toFormat('ZZ')}, ${zone})`)).toBe(true);
        }
      }
    }
  });

  it('gives the same text for an instant formatted again, also after many others', () => {
    const ms = Date.UTC(2024, 1, 29, 18, 0);
    const first = formatInstant(new Date(ms), 'Asia/Almaty', CATALOGS.ru);
    expect(formatInstant(new Date(ms), 'Asia/Almaty', CATALOGS.ru)).toBe(first);
    expect(formatInstant(new Date(ms), 'Asia/Almaty', CATALOGS.en)).not.toBe(first);
    expect(formatInstant(new Date(ms), 'Europe/Amsterdam', CATALOGS.ru)).not.toBe(first);
    // More distinct instants than are kept.
    for (let minute = 1; minute <= 10_001; minute += 1)
      formatInstant(new Date(ms + minute * 60_000), 'UTC', CATALOGS.en);
    expect(formatInstant(new Date(ms), 'Asia/Almaty', CATALOGS.ru)).toBe(first);
    expect(first).toBe('четверг, 29 февраля 2024, 23:00 (UTC+05:00, Asia/Almaty)');
  });

  it('formats an instant in UTC without a duplicate abbreviation', () => {
    expect(formatInstant(new Date('2024-03-15T05:00:00Z'), 'UTC', CATALOGS.en)).toBe(
      'Friday, 15 March 2024, 05:00 (UTC+00:00, UTC)',
    );
  });
});

describe('reminders', () => {
  it('name the case, the defendants, the court and courtroom, and link to the case and to unsubscribe', () => {
    const { text } = renderMessage(context());
    expect(text.split('\n')).toEqual([
      'A hearing you follow starts in 2 days.',
      '',
      'Court time: Tuesday, 20 February 2024, 10:00 (UTC+06:00, Asia/Almaty)',
      'Your time: Tuesday, 20 February 2024, 05:00 CET (UTC+01:00, Europe/Amsterdam)',
      'Hearing: trial',
      'Case: Prosecution of Zhanbolat Mamay',
      'Defendants: Zhanbolat Mamay, Inga Imanbai',
      'Court: Almaty City Court',
      'Courtroom: Courtroom 4',
      `Case file: https://tracker.example.org/api/v1/cases/${CASE_ID}`,
      '',
      '-- ',
      'You receive this message because you follow the case "Prosecution of Zhanbolat Mamay".',
      'Unsubscribe: https://tracker.example.org/api/v1/public/unsubscribe?token=abc',
      '',
    ]);
  });

  it('leave out what is not known', () => {
    const { text } = renderMessage(
      context({ hearing: { ...context().hearing!, court: null, courtroom: null }, defendants: [] }),
    );
    expect(text).not.toMatch(/Court:|Courtroom:|Defendants:/);
  });

  it.each([
    ['PT30S', '30 seconds', '30 секунд'],
    ['PT1M', '1 minute', '1 минуту'],
    ['PT2H', '2 hours', '2 часа'],
    ['PT1H30M', '1 hour 30 minutes', '1 час 30 минут'],
    ['P1D', '1 day', '1 день'],
    ['P5D', '5 days', '5 дней'],
    ['P21D', '21 days', '21 день'],
    ['P1W', '7 days', '7 дней'],
    // Fractions of a second are rounded before the units are counted.
    ['PT59.6S', '1 minute', '1 минуту'],
    ['PT1.5S', '2 seconds', '2 секунды'],
    ['PT1H0.4S', '1 hour', '1 час'],
  ])('say the lead time %s as "%s" / "%s"', (leadTime, english, russian) => {
    expect(formatLeadTime(leadTime, CATALOGS.en)).toBe(english);
    expect(formatLeadTime(leadTime, CATALOGS.ru)).toBe(russian);
  });
});

describe('notices', () => {
  const notice = (name: MessageContext['notice'], extra: Partial<MessageContext> = {}) =>
    renderMessage(context({ kind: 'notice', notice: name, leadTime: null, ...extra }));

  it('announce a scheduled hearing, a moved one and a cancelled one', () => {
    expect(notice('hearing-scheduled').subject).toBe('Hearing scheduled: Prosecution of Zhanbolat Mamay');
    const moved = notice('hearing-changed');
    expect(moved.subject).toBe('Hearing moved: Prosecution of Zhanbolat Mamay');
    expect(moved.text).toContain('Court time: Tuesday, 20 February 2024, 10:00 (UTC+06:00, Asia/Almaty)');
    const cancelled = notice('hearing-cancelled', { hearing: { ...context().hearing!, status: 'cancelled' } });
    expect(cancelled.subject).toBe('Hearing cancelled: Prosecution of Zhanbolat Mamay');
    expect(cancelled.event).toBe('hearing-cancelled');
  });

  it('say "postponed" when the hearing was postponed, with the new date when it is known', () => {
    const postponed = notice('hearing-cancelled', {
      hearing: {
        ...context().hearing!,
        status: 'postponed',
        postponedTo: { startsAt: new Date('2024-03-15T05:00:00Z'), timeZone: 'Asia/Almaty' },
      },
    });
    expect(postponed.event).toBe('hearing-postponed');
    expect(postponed.subject).toBe('Hearing postponed: Prosecution of Zhanbolat Mamay');
    expect(postponed.text).toContain('A hearing has been postponed.');
    expect(postponed.text).toContain('New date (court time): Friday, 15 March 2024, 10:00 (UTC+05:00, Asia/Almaty)');
    expect(postponed.text).toContain(
      'New date (your time): Friday, 15 March 2024, 06:00 CET (UTC+01:00, Europe/Amsterdam)',
    );
    const ru = notice('hearing-cancelled', { language: 'ru', hearing: { ...context().hearing!, status: 'postponed' } });
    expect(ru.subject).toBe('Заседание отложено: Prosecution of Zhanbolat Mamay');
  });

  it('report a change of custody with the date as precise as it is known', () => {
    const custody = {
      person: { id: 'p1', name: 'Zhanbolat Mamay' },
      status: 'house-arrest' as const,
      from: { date: '2022-11', precision: 'approximate' as const },
      place: 'Almaty',
      facility: null,
    };
    const { subject, text } = notice('custody-changed', { hearing: null, custody });
    expect(subject).toBe('Custody update: Zhanbolat Mamay');
    expect(text).toContain('Status: under house arrest');
    expect(text).toContain('Since: around November 2022');
    expect(text).toContain('Place: Almaty');
    expect(text).not.toContain('Facility:');
    const ru = notice('custody-changed', { hearing: null, custody, language: 'ru' });
    expect(ru.text).toContain('Положение: под домашним арестом');
    expect(ru.text).toContain('Дата: примерно ноябрь 2022');
  });

  it('report a verdict with its date and sentence', () => {
    const { subject, text } = notice('verdict', {
      hearing: null,
      case: {
        id: CASE_ID,
        title: 'Prosecution of Zhanbolat Mamay',
        verdict: {
          verdict: 'convicted',
          date: { date: '2023-08-01', precision: 'day' },
          sentence: { years: 7, months: 6 },
        },
      },
    });
    expect(subject).toBe('Verdict: Prosecution of Zhanbolat Mamay');
    expect(text).toContain('Verdict: convicted');
    expect(text).toContain('Date: 1 August 2023');
    expect(text).toContain('Sentence: 7 years 6 months');
    expect(text).toContain('Defendants: Zhanbolat Mamay, Inga Imanbai');
  });
});

describe('confirmations', () => {
  it('carry the confirmation link, and no unsubscribe link in the text (it is in the headers)', () => {
    const { subject, text } = renderMessage(
      context({
        kind: 'confirmation',
        leadTime: null,
        hearing: null,
        follows: { type: 'person', name: 'Zhanbolat Mamay' },
        links: {
          case: null,
          unsubscribe: 'https://tracker.example.org/unsubscribe?token=u',
          confirm: 'https://tracker.example.org/confirm?token=t',
        },
      }),
    );
    expect(subject).toBe('Please confirm your alerts for Zhanbolat Mamay');
    expect(text).toContain('Confirm: https://tracker.example.org/confirm?token=t');
    expect(text).not.toContain('Unsubscribe');
  });
});

describe('catalogs', () => {
  it('render every kind of message in every language without a missing text', () => {
    const kinds: Array<Partial<MessageContext>> = [
      {},
      ...(['hearing-scheduled', 'hearing-changed', 'hearing-cancelled', 'verdict'] as const).map((notice) => ({
        kind: 'notice' as const,
        notice,
      })),
      { kind: 'confirmation', links: { case: null, unsubscribe: null, confirm: 'https://x.example/c' } },
    ];
    for (const language of Object.keys(CATALOGS)) {
      for (const kind of kinds) {
        const { subject, text } = renderMessage(context({ ...kind, language }));
        expect(subject).not.toMatch(/undefined|null|\n/);
        expect(text).not.toMatch(/undefined|\bnull\b/);
      }
    }
  });

  it('fall back to English for a language without a catalog', () => {
    expect(renderMessage(context({ language: 'xx' })).subject).toBe(
      'Hearing in 2 days: Prosecution of Zhanbolat Mamay',
    );
  });

  it('format partial dates at their precision', () => {
    expect(formatPartialDate({ date: '2022-03', precision: 'month' }, CATALOGS.en)).toBe('March 2022');
    expect(formatPartialDate({ date: '2022', precision: 'year' }, CATALOGS.ru)).toBe('2022');
    expect(formatPartialDate({ date: '2022-01-07', precision: 'day' }, CATALOGS.ru)).toBe('7 января 2022');
  });
});

describe('webhooks', () => {
  it('carry the facts with local times in both zones', () => {
    const ctx = context({ hearing: hearingAt('2024-03-15T05:00:00Z') });
    const payload = webhookPayload(ctx, renderMessage(ctx));
    expect(payload).toMatchObject({
      id: ctx.reminderId,
      type: 'reminder',
      event: 'reminder',
      leadTime: 'P2D',
      subject: 'Hearing in 2 days: Prosecution of Zhanbolat Mamay',
      hearing: {
        startsAt: '2024-03-15T05:00:00.000Z',
        localStartsAt: '2024-03-15T10:00:00+05:00',
        recipientLocalStartsAt: '2024-03-15T06:00:00+01:00',
        court: 'Almaty City Court',
      },
      case: { id: CASE_ID, title: 'Prosecution of Zhanbolat Mamay' },
      links: { unsubscribe: ctx.links.unsubscribe },
    });
  });

  it('are signed over the timestamp and the raw body, and refused when altered or stale', () => {
    const secret = 'ctw_test-secret';
    const body = '{"id":"x"}';
    const now = 1_700_000_000;
    const signature = webhookSignature(secret, now, body);
    expect(signature).toMatch(/^v1=[0-9a-f]{64}$/);
    const received = { timestamp: String(now), signature, body };
    expect(verifyWebhookSignature(secret, received, now + 10)).toBe(true);
    expect(verifyWebhookSignature(secret, { ...received, body: '{"id":"y"}' }, now)).toBe(false);
    expect(verifyWebhookSignature('other', received, now)).toBe(false);
    expect(verifyWebhookSignature(secret, { ...received, timestamp: String(now + 1) }, now)).toBe(false);
    expect(verifyWebhookSignature(secret, received, now + 301)).toBe(false);
  });
});
