import { describe, expect, it } from '@jest/globals';
import { recordMeta, type RecordEntity } from './record.entity.js';

describe('recordMeta', () => {
  const entity = {
    id: '7d1c3a9e-0000-4000-8000-000000000001',
    seq: '12',
    version: 3,
    createdAt: new Date('2022-03-01T04:05:06.789Z'),
    updatedAt: new Date('2024-03-01T00:00:00.000Z'),
    archivedAt: null,
  } satisfies RecordEntity;

  it('puts the bookkeeping fields first, then the view fields in their order', () => {
    const view = recordMeta(entity, { title: 'Case', stage: 'trial', notes: null });
    expect(Object.keys(view)).toEqual(['id', 'version', 'createdAt', 'updatedAt', 'title', 'stage', 'notes']);
    expect(view).toEqual({
      id: entity.id,
      version: 3,
      createdAt: '2022-03-01T04:05:06.789Z',
      updatedAt: '2024-03-01T00:00:00.000Z',
      title: 'Case',
      stage: 'trial',
      notes: null,
    });
  });

  it('leaves out what the record has but the view does not name (seq, archivedAt)', () => {
    expect(JSON.stringify(recordMeta(entity, {}))).toBe(
      '{"id":"7d1c3a9e-0000-4000-8000-000000000001","version":3,"createdAt":"2022-03-01T04:05:06.789Z","updatedAt":"2024-03-01T00:00:00.000Z"}',
    );
  });
});
