import { describe, expect, it } from '@jest/globals';
import { messageKey } from './reminder-planner.js';

describe('messageKey', () => {
  const sub = '11111111-1111-4111-8111-111111111111';
  const advocate = '22222222-2222-4222-8222-222222222222';
  const of = (dedupe_key: string) => messageKey({ dedupe_key, subscription_id: sub, advocate_id: advocate });

  it('puts the advocate in place of the subscription, so that two subscriptions plan one message', () => {
    expect(of(`reminder/${sub}/h1/1700000000000/P1D/email`)).toBe(`reminder/${advocate}/h1/1700000000000/P1D/email`);
    expect(of(`notice/${sub}/hearing-changed/hearing/h1/v2/webhook`)).toBe(
      `notice/${advocate}/hearing-changed/hearing/h1/v2/webhook`,
    );
  });

  it('gives none for a confirmation (one per request) or a key of another shape', () => {
    expect(of(`confirmation/${sub}`)).toBeNull();
    expect(of(`confirmation/${sub}/2`)).toBeNull();
    expect(of(`reminder/33333333-3333-4333-8333-333333333333/h1/1/P1D/email`)).toBeNull();
    expect(of('test/x/1')).toBeNull();
  });
});
