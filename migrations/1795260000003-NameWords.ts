import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The words of the search keys, for a search that reads few index entries (see
 * person-search.ts):
 * - `person_names_search_words`: a GIN index on each key's words (`string_to_array(search_key,
 *   ' ')`), which finds the names that have given words (`@>`), or one of several spellings of
 *   each word (`&&`), through a handful of index entries instead of the thousands of trigram
 *   entries a common name word has;
 * - `name_words`: every distinct word of every key, kept by a statement-level trigger on
 *   `person_names` (inserts and updates, in the writing transaction, so a committed name's words
 *   are always there), so that the spellings of a query word that names have (prefixes, typos)
 *   are looked up among a few thousand words, not among every name. Words are never removed: a
 *   word no name has any more matches nothing. Its collation is "C", so that the words that
 *   start with a prefix are a range of the primary key; a trigram index finds the similar ones.
 * Also `fuzzystrmatch`, for `levenshtein_less_equal` (one or two typos in a word). Written by
 * hand: TypeORM cannot describe an expression index, a trigger or an extension.
 */
export class NameWords1795260000003 implements MigrationInterface {
  name = 'NameWords1795260000003';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS fuzzystrmatch`);
    await queryRunner.query(
      `CREATE INDEX "person_names_search_words" ON "person_names" USING gin (string_to_array("search_key", ' '))`,
    );
    await queryRunner.query(`CREATE TABLE "name_words" ("word" text COLLATE "C" NOT NULL PRIMARY KEY)`);
    await queryRunner.query(`CREATE INDEX "name_words_trgm" ON "name_words" USING gin ("word" gin_trgm_ops)`);
    await queryRunner.query(`
      CREATE FUNCTION "remember_name_words"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO "name_words" ("word")
        SELECT DISTINCT word FROM written_names, unnest(string_to_array(written_names.search_key, ' ')) AS word
         WHERE word <> ''
        ON CONFLICT DO NOTHING;
        RETURN NULL;
      END $$`);
    for (const event of ['INSERT', 'UPDATE']) {
      await queryRunner.query(
        `CREATE TRIGGER "person_names_words_${event.toLowerCase()}" AFTER ${event} ON "person_names"
           REFERENCING NEW TABLE AS written_names FOR EACH STATEMENT EXECUTE FUNCTION "remember_name_words"()`,
      );
    }
    await queryRunner.query(`
      INSERT INTO "name_words" ("word")
      SELECT DISTINCT word FROM "person_names", unnest(string_to_array("search_key", ' ')) AS word
       WHERE word <> ''`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // The extension stays: dropping it could break other users of fuzzystrmatch in the database.
    await queryRunner.query(`DROP TRIGGER "person_names_words_update" ON "person_names"`);
    await queryRunner.query(`DROP TRIGGER "person_names_words_insert" ON "person_names"`);
    await queryRunner.query(`DROP FUNCTION "remember_name_words"()`);
    await queryRunner.query(`DROP TABLE "name_words"`);
    await queryRunner.query(`DROP INDEX "public"."person_names_search_words"`);
  }
}
