import { ENCRYPTED_COLUMNS, generateKeyEntry, Keyring, rotateEncryptedColumns } from '#encryption';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { createPerson, personBody } from './support/fixtures.js';
import { createMigratedScratchDatabase, type MigratedScratchDatabase } from './support/scratch-database.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const tag = () => randomBytes(4).toString('hex');

/** The id of this run's key (`test:<base64>` in DATA_ENCRYPTION_KEY). */
const testKeyId = () => process.env.DATA_ENCRYPTION_KEY!.split(':')[0]!;

describe('encryption at rest', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const column = async (table: string, name: string, id: string): Promise<string | null> => {
    const [row] = await t.dataSource.query<Array<{ value: string | null }>>(
      `SELECT ${name} AS value FROM ${table} WHERE id = $1`,
      [id],
    );
    return row!.value;
  };

  /** How many audit entries, anywhere in the trail, hold `text` (a unique plaintext). */
  const auditEntriesContaining = async (text: string): Promise<number> => {
    const [row] = await t.dataSource.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM audit_log WHERE strpos(changes::text, $1) > 0 OR strpos(coalesce(reason, ''), $1) > 0`,
      [text],
    );
    return row!.n;
  };

  const expectCiphertext = (value: string | null, plaintext: string) => {
    expect(value).not.toBeNull();
    expect(value!.startsWith(`enc:v1:${testKeyId()}:`)).toBe(true);
    expect(Keyring.isEncrypted(value)).toBe(true);
    expect(value).not.toContain(plaintext);
  };

  it('stores contact details and note bodies as ciphertext, in the records and in the audit trail', async () => {
    const personContact = `Signal: +7 701 ${tag()} (сестра Айгуль)`;
    const sourceContact = `Telegram: @witness_${tag()}`;
    const noteBody = `Адвокат: свидетель ${tag()} готов дать показания`;

    const person = await t.admin
      .post('/api/v1/persons')
      .send({ ...personBody(` encrypted ${tag()}`), contactDetails: personContact })
      .expect(201);
    const source = await t.admin
      .post('/api/v1/sources')
      .send({ publisher: 'Private', title: `Witness ${tag()}`, contactDetails: sourceContact })
      .expect(201);
    const note = await t.admin
      .post(`/api/v1/persons/${person.body.id}/notes`)
      .send({ body: noteBody, visibility: 'restricted' })
      .expect(201);

    // The answers carry the plaintext to the admin who wrote it...
    expect(person.body.contactDetails).toBe(personContact);
    expect(source.body.contactDetails).toBe(sourceContact);
    expect(note.body.body).toBe(noteBody);

    // ...the columns hold only ciphertext under this run's key...
    const stored = {
      person: await column('persons', 'contact_details', person.body.id),
      source: await column('sources', 'contact_details', source.body.id),
      note: await column('notes', 'body', note.body.id),
    };
    expectCiphertext(stored.person, personContact);
    expectCiphertext(stored.source, sourceContact);
    expectCiphertext(stored.note, noteBody);
    // Bound to their field: the person's value does not decrypt as a source's.
    const keyring = Keyring.fromEnvironment(process.env.DATA_ENCRYPTION_KEY);
    expect(keyring.decrypt(stored.person!, 'person.contactDetails')).toBe(personContact);
    expect(() => keyring.decrypt(stored.person!, 'source.contactDetails')).toThrow();

    // ...and so do the audit entries, which keep the very ciphertext that was stored.
    for (const plaintext of [personContact, sourceContact, noteBody]) {
      expect(await auditEntriesContaining(plaintext)).toBe(0);
    }
    const entries = await t.dataSource.query<
      Array<{ entity_type: string; changes: Record<string, { after: unknown }> }>
    >(`SELECT entity_type, changes FROM audit_log WHERE entity_id = ANY($1::uuid[]) AND action = 'create'`, [
      [person.body.id, source.body.id, note.body.id],
    ]);
    const created = Object.fromEntries(entries.map((e) => [e.entity_type, e.changes]));
    expect(created.person!.contactDetails!.after).toBe(stored.person);
    expect(created.source!.contactDetails!.after).toBe(stored.source);
    expect(created.note!.body!.after).toBe(stored.note);

    // Read back through the API, the admin gets the plaintext.
    expect((await t.admin.get(`/api/v1/persons/${person.body.id}`).expect(200)).body.contactDetails).toBe(
      personContact,
    );
    expect((await t.admin.get(`/api/v1/sources/${source.body.id}`).expect(200)).body.contactDetails).toBe(
      sourceContact,
    );
    expect((await t.admin.get(`/api/v1/notes/${note.body.id}`).expect(200)).body.body).toBe(noteBody);

    // An editor without a grant gets none of it.
    const asEditor = {
      person: await t.editor.get(`/api/v1/persons/${person.body.id}`).expect(200),
      source: await t.editor.get(`/api/v1/sources/${source.body.id}`).expect(200),
      notes: await t.editor.get(`/api/v1/persons/${person.body.id}/notes`).expect(200),
      sourceHistory: await t.editor.get(`/api/v1/sources/${source.body.id}/history`).expect(200),
    };
    expect(asEditor.person.body.contactDetails).toBeNull();
    expect(asEditor.source.body.contactDetails).toBeNull();
    expect(asEditor.notes.body.items).toEqual([]);
    await t.editor.get(`/api/v1/notes/${note.body.id}`).expect(404);
    expect(asEditor.sourceHistory.body.items[0].changes).toContainEqual({
      field: 'contactDetails',
      before: null,
      after: null,
      redacted: true,
    });
    for (const res of Object.values(asEditor)) {
      for (const secret of [personContact, sourceContact, noteBody, 'enc:v1:']) {
        expect(JSON.stringify(res.body)).not.toContain(secret);
      }
    }
  });

  it('re-encrypts a changed value, keeps an unchanged one, and shows the history decrypted to the admin', async () => {
    const first = `first contact ${tag()}`;
    const second = `second contact ${tag()}`;
    const person = await t.admin
      .post('/api/v1/persons')
      .send({ ...personBody(` re-encrypted ${tag()}`), contactDetails: first })
      .expect(201);
    const path = `/api/v1/persons/${person.body.id}`;
    const before = await column('persons', 'contact_details', person.body.id);

    // Sending the same plaintext again is no change: same ciphertext, no contactDetails in the entry.
    await t.admin.patch(path).set('If-Match', '"1"').send({ contactDetails: first, country: 'KG' }).expect(200);
    expect(await column('persons', 'contact_details', person.body.id)).toBe(before);

    await t.admin.patch(path).set('If-Match', '"2"').send({ contactDetails: second }).expect(200);
    const after = await column('persons', 'contact_details', person.body.id);
    expectCiphertext(after, second);
    expect(after).not.toBe(before);
    for (const plaintext of [first, second]) expect(await auditEntriesContaining(plaintext)).toBe(0);

    const history = (await t.admin.get(`${path}/history`).expect(200)).body.items as Array<{
      changes: Array<{ field: string; before: unknown; after: unknown }>;
    }>;
    expect(history.map((e) => e.changes.map((c) => c.field).sort())).toEqual([
      expect.arrayContaining(['contactDetails', 'names']),
      ['country'],
      ['contactDetails'],
    ]);
    expect(history[0]!.changes).toContainEqual({
      field: 'contactDetails',
      before: null,
      after: first,
      redacted: false,
    });
    expect(history[2]!.changes).toEqual([{ field: 'contactDetails', before: first, after: second, redacted: false }]);

    // Updating a note's body re-encrypts it too, and its history shows both versions to the admin.
    const note = await t.admin
      .post(`/api/v1/persons/${person.body.id}/notes`)
      .send({ body: `note one ${tag()}` })
      .expect(201);
    const noteTwo = `note two ${tag()}`;
    await t.admin.patch(`/api/v1/notes/${note.body.id}`).set('If-Match', '"1"').send({ body: noteTwo }).expect(200);
    expectCiphertext(await column('notes', 'body', note.body.id), noteTwo);
    const noteHistory = (await t.admin.get(`/api/v1/notes/${note.body.id}/history`).expect(200)).body.items;
    expect(noteHistory[1].changes).toEqual([
      { field: 'body', before: note.body.body, after: noteTwo, redacted: false },
    ]);
  });

  it('holds no plaintext in any encrypted column of the shared database', async () => {
    await createPerson(t, personBody(` with contact ${tag()}`, { contactDetails: `contact ${tag()}` }));
    for (const { table, column: name } of ENCRYPTED_COLUMNS) {
      const [row] = await t.dataSource.query<Array<{ encrypted: number; plain: number }>>(
        `SELECT count(*) FILTER (WHERE ${name} LIKE 'enc:v1:%')::int AS encrypted,
                count(*) FILTER (WHERE ${name} NOT LIKE 'enc:v1:%')::int AS plain
           FROM ${table} WHERE ${name} IS NOT NULL`,
      );
      expect({ table, plain: row!.plain }).toEqual({ table, plain: 0 });
      if (table === 'persons') expect(row!.encrypted).toBeGreaterThan(0);
    }
  });

  describe('key rotation (in a scratch database: the shared one is read by the app with the old key only)', () => {
    let scratch: MigratedScratchDatabase | undefined;

    beforeAll(async () => {
      scratch = await createMigratedScratchDatabase('keys');
    });
    afterAll(async () => {
      await scratch?.drop();
    });

    it('re-encrypts every value under the new first key, to the same plaintext, leaving versions alone', async () => {
      const ds = scratch!.dataSource;
      const oldRing = Keyring.fromEnvironment(process.env.DATA_ENCRYPTION_KEY);
      const newEntry = generateKeyEntry('rotated');
      const newRing = Keyring.fromEnvironment(`${newEntry},${process.env.DATA_ENCRYPTION_KEY}`);
      expect(newRing.activeKeyId).toBe('rotated');

      // Rows written by the app before the rotation, under the old key; one person without contact details.
      const plain = {
        persons: ['Signal: +7 701 000 0001', 'Телефон сестры: +7 702 000 0002'],
        sources: ['Telegram: @court_watch'],
        notes: ['Лично: адвокат А.', 'Second note', 'Third note'],
      };
      const insert = async (sql: string, params: unknown[]) =>
        (await ds.query<Array<{ id: string }>>(sql, params))[0]!.id;
      const ids: Record<string, string[]> = { persons: [], sources: [], notes: [] };
      for (const [i, value] of plain.persons.entries()) {
        ids.persons!.push(
          await insert(
            `INSERT INTO persons (display_name, contact_details, version) VALUES ($1, $2, $3) RETURNING id`,
            [`Person ${i}`, oldRing.encrypt(value, 'person.contactDetails'), i + 2],
          ),
        );
      }
      const withoutContact = await insert(`INSERT INTO persons (display_name) VALUES ('No contact') RETURNING id`, []);
      for (const value of plain.sources) {
        ids.sources!.push(
          await insert(`INSERT INTO sources (publisher, title, contact_details) VALUES ('P', 'T', $1) RETURNING id`, [
            oldRing.encrypt(value, 'source.contactDetails'),
          ]),
        );
      }
      for (const value of plain.notes) {
        ids.notes!.push(
          await insert(
            `INSERT INTO notes (person_id, body, author_label) VALUES ($1, $2, 'admin@example.org') RETURNING id`,
            [ids.persons![0], oldRing.encrypt(value, 'note.body')],
          ),
        );
      }
      // An advocate's webhook secret and calendar token.
      const advocateSecrets = { webhook_secret: 'ctw_webhook-secret', calendar_token: 'ctc_calendar-token' };
      const advocateId = await insert(
        `INSERT INTO advocates (name, email, time_zone, webhook_secret, calendar_token, calendar_token_hash)
         VALUES ('A', 'a@example.org', 'UTC', $1, $2, repeat('0', 64)) RETURNING id`,
        [
          oldRing.encrypt(advocateSecrets.webhook_secret, 'advocate.webhookSecret'),
          oldRing.encrypt(advocateSecrets.calendar_token, 'advocate.calendarToken'),
        ],
      );
      const bookkeeping = `SELECT id, version, updated_at FROM persons UNION ALL SELECT id, version, updated_at FROM sources
                           UNION ALL SELECT id, version, updated_at FROM notes
                           UNION ALL SELECT id, version, updated_at FROM advocates ORDER BY id`;
      const beforeRotation = await ds.query(bookkeeping);

      // Small batches, to go through more than one.
      const reports = await rotateEncryptedColumns(ds, newRing, 2);
      expect(reports).toEqual([
        { table: 'persons', column: 'contact_details', reencrypted: 2 },
        { table: 'sources', column: 'contact_details', reencrypted: 1 },
        { table: 'notes', column: 'body', reencrypted: 3 },
        { table: 'advocates', column: 'webhook_secret', reencrypted: 1 },
        { table: 'advocates', column: 'calendar_token', reencrypted: 1 },
      ]);

      const read = async (table: string, name: string, id: string) =>
        (
          await ds.query<Array<{ value: string | null }>>(`SELECT ${name} AS value FROM ${table} WHERE id = $1`, [id])
        )[0]!.value;
      const fields = { persons: 'person.contactDetails', sources: 'source.contactDetails', notes: 'note.body' };
      const columns = { persons: 'contact_details', sources: 'contact_details', notes: 'body' };
      for (const table of ['persons', 'sources', 'notes'] as const) {
        for (const [i, id] of ids[table]!.entries()) {
          const value = (await read(table, columns[table], id))!;
          expect(value.startsWith('enc:v1:rotated:')).toBe(true);
          expect(Keyring.keyIdOf(value)).toBe('rotated');
          expect(newRing.decrypt(value, fields[table])).toBe(plain[table][i]);
          // The old key alone can no longer read it.
          expect(() => oldRing.decrypt(value, fields[table])).toThrow(/not configured/);
        }
      }
      for (const [name, field] of [
        ['webhook_secret', 'advocate.webhookSecret'],
        ['calendar_token', 'advocate.calendarToken'],
      ] as const) {
        const value = (await read('advocates', name, advocateId))!;
        expect(Keyring.keyIdOf(value)).toBe('rotated');
        expect(newRing.decrypt(value, field)).toBe(advocateSecrets[name]);
      }
      expect(await read('persons', 'contact_details', withoutContact)).toBeNull();
      // The content did not change: neither do versions nor timestamps.
      expect(await ds.query(bookkeeping)).toEqual(beforeRotation);

      // Nothing left to do on a second run.
      expect((await rotateEncryptedColumns(ds, newRing)).map((r) => r.reencrypted)).toEqual([0, 0, 0, 0, 0]);
    });
  });
});
