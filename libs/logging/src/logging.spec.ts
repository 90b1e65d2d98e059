import { describe, expect, it } from '@jest/globals';
import { withoutSecrets } from './logging.module.js';

describe('withoutSecrets', () => {
  it('logs request URLs without queries and without private calendar tokens', () => {
    expect(withoutSecrets('/api/v1/public/unsubscribe?token=abc.k1.mac')).toBe('/api/v1/public/unsubscribe');
    expect(withoutSecrets('/calendar/ctc_0123456789abcdef.ics')).toBe('/calendar/[redacted].ics');
    expect(withoutSecrets('/calendar/ctc_0123456789abcdef.ics?x=1')).toBe('/calendar/[redacted].ics');
    const caseFeed = '/calendar/cases/5f9d4bb2-8881-41f1-81b8-ecfa2c997eec.ics';
    expect(withoutSecrets(caseFeed)).toBe(caseFeed);
    expect(withoutSecrets('/api/v1/persons')).toBe('/api/v1/persons');
    expect(withoutSecrets(undefined)).toBeUndefined();
  });

  it('redacts a calendar token however the path that Express routes to the feed is written', () => {
    for (const url of [
      '/CALENDAR/ctc_0123456789abcdef.ics',
      '/calendar/ctc_0123456789abcdef.ICS',
      '/calendar/ctc_0123456789abcdef.ics/',
      '//calendar/ctc_0123456789abcdef.ics',
      '/%63alendar/ctc_0123456789abcdef.ics',
      '/calendar/ctc_0123456789abcdef',
      '/calendar/cases/../ctc_0123456789abcdef.ics',
    ]) {
      expect([url, withoutSecrets(url)]).toEqual([url, '/calendar/[redacted].ics']);
    }
    expect(withoutSecrets('/calendars-of-something')).toBe('/calendars-of-something');
  });
});
