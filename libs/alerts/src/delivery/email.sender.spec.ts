import { describe, expect, it } from '@jest/globals';
import { messageIdOf } from './email.sender.js';

describe('messageIdOf', () => {
  it('puts the Message-ID on the domain of the sender, the same for every attempt', () => {
    const id = '5f9d4bb2-8881-41f1-81b8-ecfa2c997eec';
    expect(messageIdOf(id, 'Case tracker <alerts@Tracker.Example.org>')).toBe(`<${id}@tracker.example.org>`);
    expect(messageIdOf(id, 'alerts@ngo.example.kz')).toBe(`<${id}@ngo.example.kz>`);
    expect(messageIdOf(id, '"Alerts, NGO" <alerts@ngo.example.kz> ')).toBe(`<${id}@ngo.example.kz>`);
  });

  it('falls back to a fixed name when MAIL_FROM has no usable domain', () => {
    const id = '5f9d4bb2-8881-41f1-81b8-ecfa2c997eec';
    expect(messageIdOf(id, 'alerts@localhost')).toBe(`<${id}@case-tracker>`);
    expect(messageIdOf(id, 'Case tracker')).toBe(`<${id}@case-tracker>`);
  });
});
