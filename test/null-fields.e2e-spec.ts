import { UpdateAdvocateDto } from '#alerts';
import { CorrectCustodyEventDto, UpdateCaseDto, UpdateHearingDto, UpdateNoteDto, UpdatePersonDto } from '#case-files';
import { UpdateEventDto, UpdateOrganizationDto, UpdateSourceDto } from '#reference-data';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getMetadataStorage } from 'class-validator';
import { type Created, type RecordOfEachKind, recordOfEachKind } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * `null` sent for any field of any PATCH is either accepted (the field is nullable: cleared) or
 * refused with 400 naming the field; never a 500, and nothing is written when refused. The fields
 * come from the update DTOs' validation metadata, so a field added later is covered too.
 */

interface Problem {
  status: number;
  errors?: Array<{ field: string; message: string }>;
}

const fieldsOf = (dto: new () => object): string[] =>
  [
    ...new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(dto, '', true, false)
        .map((m) => m.propertyName),
    ),
  ]
    .filter((field) => field !== 'reason')
    .sort();

describe('null in a PATCH', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  /** The update DTO of each kind's PATCH route. */
  const UPDATES: Record<keyof RecordOfEachKind, new () => object> = {
    persons: UpdatePersonDto,
    cases: UpdateCaseDto,
    hearings: UpdateHearingDto,
    'custody-events': CorrectCustodyEventDto,
    notes: UpdateNoteDto,
    events: UpdateEventDto,
    organizations: UpdateOrganizationDto,
    sources: UpdateSourceDto,
    advocates: UpdateAdvocateDto,
  };

  async function records(): Promise<Array<{ path: string; dto: new () => object; record: Created }>> {
    const each = await recordOfEachKind(t, 'nulls');
    return (Object.keys(UPDATES) as Array<keyof RecordOfEachKind>).map((path) => ({
      path,
      dto: UPDATES[path],
      record: each[path],
    }));
  }

  it('is accepted for nullable fields and refused with the field for the others, never a 500', async () => {
    const outcomes: string[] = [];
    const wrong: string[] = [];
    for (const { path, dto, record } of await records()) {
      let version = record.version;
      for (const field of fieldsOf(dto)) {
        const res = await t.admin
          .patch(`/api/v1/${path}/${record.id}`)
          .set('If-Match', `"${version}"`)
          .set('X-Change-Reason', 'Testing null')
          .send({ [field]: null });
        const outcome = `${path}.${field}: ${res.status}`;
        outcomes.push(outcome);
        if (res.status === 200) {
          version = (res.body as Created).version;
          continue;
        }
        const errors = (res.body as Problem).errors ?? [];
        if (res.status !== 400 || !errors.some((e) => e.field === field || e.field.startsWith(`${field}.`))) {
          wrong.push(`${outcome} ${JSON.stringify(errors)}`);
        }
        // Refused: nothing written, the version unchanged.
        const now = await t.admin.get(`/api/v1/${path}/${record.id}`).expect(200);
        if ((now.body as Created).version !== version) wrong.push(`${outcome} changed the record`);
      }
    }
    expect(wrong).toEqual([]);
    // Fields no record can be without are among the refused ones.
    const refused = outcomes.filter((o) => o.endsWith('400'));
    expect(refused).toEqual(
      expect.arrayContaining([
        'persons.names: 400',
        'cases.title: 400',
        'hearings.startsAt: 400',
        'hearings.timeZone: 400',
        'advocates.name: 400',
        'advocates.email: 400',
        'advocates.timeZone: 400',
        'advocates.language: 400',
      ]),
    );
  });
});
