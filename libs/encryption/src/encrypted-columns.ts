/**
 * Every column holding encrypted values, with the field name bound into each value as
 * associated data. `npm run keys:rotate` re-encrypts these; the tests check that none of them
 * holds plaintext. A new encrypted column must be added here.
 */
export const ENCRYPTED_COLUMNS = [
  { table: 'persons', column: 'contact_details', field: 'person.contactDetails' },
  { table: 'sources', column: 'contact_details', field: 'source.contactDetails' },
  { table: 'notes', column: 'body', field: 'note.body' },
  { table: 'advocates', column: 'webhook_secret', field: 'advocate.webhookSecret' },
  { table: 'advocates', column: 'calendar_token', field: 'advocate.calendarToken' },
] as const;
