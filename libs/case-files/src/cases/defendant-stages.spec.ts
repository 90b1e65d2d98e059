import { describe, expect, it } from '@jest/globals';
import { STAGE_BIT_ORDER } from '../../../../migrations/1795260000005-DefendantStageBits.js';
import { CASE_STAGES } from './case.js';

describe('stored stage bits', () => {
  it('keep the bit order of the migration that stored them: CASE_STAGES only grows at its end', () => {
    expect(CASE_STAGES.slice(0, STAGE_BIT_ORDER.length)).toEqual([...STAGE_BIT_ORDER]);
  });

  it('fit the integer columns', () => {
    expect(CASE_STAGES.length).toBeLessThanOrEqual(31);
  });
});
