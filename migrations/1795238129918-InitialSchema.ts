import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1795238129918 implements MigrationInterface {
  name = 'InitialSchema1795238129918';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "sources" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "seq" BIGSERIAL NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT '1', "archived_at" TIMESTAMP WITH TIME ZONE, "external_id" character varying(200), "publisher" text NOT NULL, "title" text NOT NULL, "url" text, "language" character varying(35), "note" text, "published_date" character varying(10), "published_precision" character varying(12), "published_sort" date, CONSTRAINT "UQ_73a0c09171437bfc961b2fd5102" UNIQUE ("seq"), CONSTRAINT "PK_85523beafe5a2a6b90b02096443" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_2a84a05feb54f1e9ce9be668b4" ON "sources"  ("external_id") WHERE external_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "organizations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "seq" BIGSERIAL NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT '1', "archived_at" TIMESTAMP WITH TIME ZONE, "external_id" character varying(200), "names" text array NOT NULL, "kind" character varying(32) NOT NULL, "country" character(2), "note" text, CONSTRAINT "UQ_62e345f2bcdf43e2812eaf04065" UNIQUE ("seq"), CONSTRAINT "PK_6b031fcd0863e3f6b44230163f9" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_a63d9f2e5a33eee00475d3dffb" ON "organizations"  ("external_id") WHERE external_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "seq" BIGSERIAL NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT '1', "archived_at" TIMESTAMP WITH TIME ZONE, "external_id" character varying(200), "names" text array NOT NULL, "country" character(2), "summary" text, "start_date" character varying(10), "start_precision" character varying(12), "start_sort" date, "end_date" character varying(10), "end_precision" character varying(12), "end_sort" date, CONSTRAINT "UQ_44840d7c5944a3bfbf21a6113d8" UNIQUE ("seq"), CONSTRAINT "PK_40731c7151fe4be3116e45ddf73" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_f5e41daf359983ccc130b4e858" ON "events"  ("external_id") WHERE external_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "persons" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "seq" BIGSERIAL NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT '1', "archived_at" TIMESTAMP WITH TIME ZONE, "external_id" character varying(200), "display_name" text NOT NULL, "country" character(2), "occupations" text array NOT NULL DEFAULT '{}', "notes" text, "visibility" character varying(12) NOT NULL DEFAULT 'internal', "birth_date" character varying(10), "birth_precision" character varying(12), "birth_sort" date, CONSTRAINT "UQ_a3c3e7d238daf54fb62a9666338" UNIQUE ("seq"), CONSTRAINT "CHK_51b3089a5c2fdd3591b765cd5f" CHECK ("visibility" IN ('public', 'internal', 'restricted')), CONSTRAINT "PK_74278d8812a049233ce41440ac7" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_0d2453757c05322c7219923a58" ON "persons"  ("external_id") WHERE external_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "person_names" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "person_id" uuid NOT NULL, "value" text NOT NULL, "script" character varying(4), "lang" character varying(35), "preferred" boolean NOT NULL DEFAULT false, "note" text, "position" integer NOT NULL, CONSTRAINT "PK_488e79702162bd7716081555d67" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_12a1f9f13bcadf19ea63b8acb0" ON "person_names"  ("person_id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "person_names_one_preferred" ON "person_names"  ("person_id") WHERE preferred`,
    );
    await queryRunner.query(
      `CREATE TABLE "person_designations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "person_id" uuid NOT NULL, "designation" text NOT NULL, "organization_id" uuid, "note" text, "position" integer NOT NULL, "since_date" character varying(10), "since_precision" character varying(12), "since_sort" date, CONSTRAINT "PK_13f51629c74831c06d267ec0d99" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_cbafe3fa5e3ffcfb25b09c2afb" ON "person_designations"  ("person_id") `);
    await queryRunner.query(
      `CREATE TABLE "cases" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "seq" BIGSERIAL NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT '1', "archived_at" TIMESTAMP WITH TIME ZONE, "external_id" character varying(200), "title" text NOT NULL, "country" character(2), "court" text, "jurisdiction" text, "stage" character varying(20) NOT NULL, "event_id" uuid, "verdict" character varying(20), "sentence" interval, "outcome_note" text, "notes" text, "visibility" character varying(12) NOT NULL DEFAULT 'internal', "verdict_date" character varying(10), "verdict_precision" character varying(12), "verdict_sort" date, CONSTRAINT "UQ_a5b56e2aee5783296ee7e687ecc" UNIQUE ("seq"), CONSTRAINT "CHK_67e3ca17e9e358684be8984667" CHECK ("visibility" IN ('public', 'internal', 'restricted')), CONSTRAINT "PK_264acb3048c240fb89aa34626db" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_d2dc2182605a3baa0728b1cdad" ON "cases"  ("external_id") WHERE external_id IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_1adbab3de941d6254b7c1fa17d" ON "cases"  ("stage") `);
    await queryRunner.query(`CREATE INDEX "IDX_8623670cc76b80e5f702625869" ON "cases"  ("event_id") `);
    await queryRunner.query(
      `CREATE TABLE "case_participants" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "person_id" uuid NOT NULL, "role" character varying(20) NOT NULL, "note" text, "position" integer NOT NULL, CONSTRAINT "UQ_0e25f3ec20ff687e9e88a3f3236" UNIQUE ("case_id", "person_id", "role"), CONSTRAINT "PK_f60cc53830af7c3e937ee13ef51" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_9ba4b36e208737cb34f581508f" ON "case_participants"  ("person_id") `);
    await queryRunner.query(
      `CREATE TABLE "case_charges" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "article" text, "description" text NOT NULL, "max_sentence" interval, "position" integer NOT NULL, CONSTRAINT "PK_176c1a501dc3f9ef40c90de4e2d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_a22d91be4bb0160e5c93768561" ON "case_charges"  ("case_id") `);
    await queryRunner.query(
      `CREATE TABLE "hearings" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "seq" BIGSERIAL NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT '1', "archived_at" TIMESTAMP WITH TIME ZONE, "case_id" uuid NOT NULL, "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "time_zone" text NOT NULL, "court" text, "courtroom" text, "kind" character varying(20) NOT NULL DEFAULT 'other', "status" character varying(20) NOT NULL DEFAULT 'scheduled', "outcome" text, "postponed_to_id" uuid, CONSTRAINT "UQ_41c631a46cd1c0b7de320f4b5dd" UNIQUE ("seq"), CONSTRAINT "CHK_66d645cc224f130593fc530872" CHECK ("status" IN ('scheduled', 'held', 'postponed', 'cancelled')), CONSTRAINT "CHK_13d06a56a8cf283d0bff16f408" CHECK ("kind" IN ('preliminary', 'trial', 'verdict', 'appeal', 'other')), CONSTRAINT "PK_79d1a17d4ddd70a11c44bf3b42c" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_6b1a71075afe995c90807689ef" ON "hearings"  ("case_id", "starts_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_88d333e96fd70ae07e72adcd9a" ON "hearings"  ("starts_at", "seq") `);
    await queryRunner.query(
      `CREATE TABLE "custody_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "seq" BIGSERIAL NOT NULL, "person_id" uuid NOT NULL, "external_id" character varying(200), "status" character varying(32) NOT NULL, "place" text, "facility" text, "note" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "from_date" character varying(10), "from_precision" character varying(12), "from_sort" date, CONSTRAINT "UQ_d73a2cbd637f9dbbce6dd4e47d0" UNIQUE ("seq"), CONSTRAINT "CHK_a3007d51e498dac0d36ce5182a" CHECK ("from_date" IS NOT NULL AND "from_precision" IS NOT NULL AND "from_sort" IS NOT NULL), CONSTRAINT "CHK_8e4726d75e5b9222fafe602dac" CHECK ("status" IN ('at-liberty', 'arrested', 'pretrial-detention', 'house-arrest', 'released-on-bail', 'restricted-freedom', 'imprisoned', 'released', 'acquitted', 'in-exile', 'disappeared', 'deceased', 'unknown')), CONSTRAINT "PK_88037f590cee6b3b8bc00ccfb32" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_8561e6b8108c68575213510f13" ON "custody_events"  ("person_id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_073094d1703cf8bef761ff75ac" ON "custody_events"  ("external_id") WHERE external_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "event_sources" ("event_id" uuid NOT NULL, "source_id" uuid NOT NULL, CONSTRAINT "PK_8b916f77c2d1f264cbb12c4ddc0" PRIMARY KEY ("event_id", "source_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_48094830520d55cc169c953d4d" ON "event_sources"  ("event_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_b72879d9469c092635c7e16458" ON "event_sources"  ("source_id") `);
    await queryRunner.query(
      `CREATE TABLE "person_sources" ("person_id" uuid NOT NULL, "source_id" uuid NOT NULL, CONSTRAINT "PK_d467e6090f8080808fb8c884732" PRIMARY KEY ("person_id", "source_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_a45191bbf4404ba892710b0c97" ON "person_sources"  ("person_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_ed48b8bad38533c7d32c70d151" ON "person_sources"  ("source_id") `);
    await queryRunner.query(
      `CREATE TABLE "case_sources" ("case_id" uuid NOT NULL, "source_id" uuid NOT NULL, CONSTRAINT "PK_2863355f1b5ba417b3f55ac9225" PRIMARY KEY ("case_id", "source_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_add32e45445b9bbc7e31298107" ON "case_sources"  ("case_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_01cbd3bcc6b90b370961573d8c" ON "case_sources"  ("source_id") `);
    await queryRunner.query(
      `CREATE TABLE "custody_event_sources" ("custody_event_id" uuid NOT NULL, "source_id" uuid NOT NULL, CONSTRAINT "PK_873484a5a7e90ebe1f88fe25ca5" PRIMARY KEY ("custody_event_id", "source_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_11a4e67cd3824b0b5dd6f53281" ON "custody_event_sources"  ("custody_event_id") `,
    );
    await queryRunner.query(`CREATE INDEX "IDX_c15f242c3ba754588e90808c83" ON "custody_event_sources"  ("source_id") `);
    await queryRunner.query(
      `ALTER TABLE "person_names" ADD CONSTRAINT "FK_12a1f9f13bcadf19ea63b8acb07" FOREIGN KEY ("person_id") REFERENCES "persons"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "person_designations" ADD CONSTRAINT "FK_cbafe3fa5e3ffcfb25b09c2afbb" FOREIGN KEY ("person_id") REFERENCES "persons"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "person_designations" ADD CONSTRAINT "FK_6b90b35234b68b9eb83486a319b" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "cases" ADD CONSTRAINT "FK_8623670cc76b80e5f7026258690" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "case_participants" ADD CONSTRAINT "FK_8d5282220bfe50de99b355798d5" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "case_participants" ADD CONSTRAINT "FK_9ba4b36e208737cb34f581508f4" FOREIGN KEY ("person_id") REFERENCES "persons"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "case_charges" ADD CONSTRAINT "FK_a22d91be4bb0160e5c937685619" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "hearings" ADD CONSTRAINT "FK_94fa64845b03d2f95a78bf21797" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "hearings" ADD CONSTRAINT "FK_90193cd22b463e0ff6da8d3e176" FOREIGN KEY ("postponed_to_id") REFERENCES "hearings"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "custody_events" ADD CONSTRAINT "FK_8561e6b8108c68575213510f13d" FOREIGN KEY ("person_id") REFERENCES "persons"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "event_sources" ADD CONSTRAINT "FK_48094830520d55cc169c953d4d5" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE CASCADE ON UPDATE CASCADE`,
    );
    await queryRunner.query(
      `ALTER TABLE "event_sources" ADD CONSTRAINT "FK_b72879d9469c092635c7e164588" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE CASCADE ON UPDATE CASCADE`,
    );
    await queryRunner.query(
      `ALTER TABLE "person_sources" ADD CONSTRAINT "FK_a45191bbf4404ba892710b0c977" FOREIGN KEY ("person_id") REFERENCES "persons"("id") ON DELETE CASCADE ON UPDATE CASCADE`,
    );
    await queryRunner.query(
      `ALTER TABLE "person_sources" ADD CONSTRAINT "FK_ed48b8bad38533c7d32c70d1519" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE CASCADE ON UPDATE CASCADE`,
    );
    await queryRunner.query(
      `ALTER TABLE "case_sources" ADD CONSTRAINT "FK_add32e45445b9bbc7e31298107c" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE CASCADE ON UPDATE CASCADE`,
    );
    await queryRunner.query(
      `ALTER TABLE "case_sources" ADD CONSTRAINT "FK_01cbd3bcc6b90b370961573d8cf" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE CASCADE ON UPDATE CASCADE`,
    );
    await queryRunner.query(
      `ALTER TABLE "custody_event_sources" ADD CONSTRAINT "FK_11a4e67cd3824b0b5dd6f53281a" FOREIGN KEY ("custody_event_id") REFERENCES "custody_events"("id") ON DELETE CASCADE ON UPDATE CASCADE`,
    );
    await queryRunner.query(
      `ALTER TABLE "custody_event_sources" ADD CONSTRAINT "FK_c15f242c3ba754588e90808c838" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE CASCADE ON UPDATE CASCADE`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "custody_event_sources" DROP CONSTRAINT "FK_c15f242c3ba754588e90808c838"`);
    await queryRunner.query(`ALTER TABLE "custody_event_sources" DROP CONSTRAINT "FK_11a4e67cd3824b0b5dd6f53281a"`);
    await queryRunner.query(`ALTER TABLE "case_sources" DROP CONSTRAINT "FK_01cbd3bcc6b90b370961573d8cf"`);
    await queryRunner.query(`ALTER TABLE "case_sources" DROP CONSTRAINT "FK_add32e45445b9bbc7e31298107c"`);
    await queryRunner.query(`ALTER TABLE "person_sources" DROP CONSTRAINT "FK_ed48b8bad38533c7d32c70d1519"`);
    await queryRunner.query(`ALTER TABLE "person_sources" DROP CONSTRAINT "FK_a45191bbf4404ba892710b0c977"`);
    await queryRunner.query(`ALTER TABLE "event_sources" DROP CONSTRAINT "FK_b72879d9469c092635c7e164588"`);
    await queryRunner.query(`ALTER TABLE "event_sources" DROP CONSTRAINT "FK_48094830520d55cc169c953d4d5"`);
    await queryRunner.query(`ALTER TABLE "custody_events" DROP CONSTRAINT "FK_8561e6b8108c68575213510f13d"`);
    await queryRunner.query(`ALTER TABLE "hearings" DROP CONSTRAINT "FK_90193cd22b463e0ff6da8d3e176"`);
    await queryRunner.query(`ALTER TABLE "hearings" DROP CONSTRAINT "FK_94fa64845b03d2f95a78bf21797"`);
    await queryRunner.query(`ALTER TABLE "case_charges" DROP CONSTRAINT "FK_a22d91be4bb0160e5c937685619"`);
    await queryRunner.query(`ALTER TABLE "case_participants" DROP CONSTRAINT "FK_9ba4b36e208737cb34f581508f4"`);
    await queryRunner.query(`ALTER TABLE "case_participants" DROP CONSTRAINT "FK_8d5282220bfe50de99b355798d5"`);
    await queryRunner.query(`ALTER TABLE "cases" DROP CONSTRAINT "FK_8623670cc76b80e5f7026258690"`);
    await queryRunner.query(`ALTER TABLE "person_designations" DROP CONSTRAINT "FK_6b90b35234b68b9eb83486a319b"`);
    await queryRunner.query(`ALTER TABLE "person_designations" DROP CONSTRAINT "FK_cbafe3fa5e3ffcfb25b09c2afbb"`);
    await queryRunner.query(`ALTER TABLE "person_names" DROP CONSTRAINT "FK_12a1f9f13bcadf19ea63b8acb07"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c15f242c3ba754588e90808c83"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_11a4e67cd3824b0b5dd6f53281"`);
    await queryRunner.query(`DROP TABLE "custody_event_sources"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_01cbd3bcc6b90b370961573d8c"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_add32e45445b9bbc7e31298107"`);
    await queryRunner.query(`DROP TABLE "case_sources"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ed48b8bad38533c7d32c70d151"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a45191bbf4404ba892710b0c97"`);
    await queryRunner.query(`DROP TABLE "person_sources"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_b72879d9469c092635c7e16458"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_48094830520d55cc169c953d4d"`);
    await queryRunner.query(`DROP TABLE "event_sources"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_073094d1703cf8bef761ff75ac"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_8561e6b8108c68575213510f13"`);
    await queryRunner.query(`DROP TABLE "custody_events"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_88d333e96fd70ae07e72adcd9a"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_6b1a71075afe995c90807689ef"`);
    await queryRunner.query(`DROP TABLE "hearings"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a22d91be4bb0160e5c93768561"`);
    await queryRunner.query(`DROP TABLE "case_charges"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_9ba4b36e208737cb34f581508f"`);
    await queryRunner.query(`DROP TABLE "case_participants"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_8623670cc76b80e5f702625869"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_1adbab3de941d6254b7c1fa17d"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_d2dc2182605a3baa0728b1cdad"`);
    await queryRunner.query(`DROP TABLE "cases"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_cbafe3fa5e3ffcfb25b09c2afb"`);
    await queryRunner.query(`DROP TABLE "person_designations"`);
    await queryRunner.query(`DROP INDEX "public"."person_names_one_preferred"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_12a1f9f13bcadf19ea63b8acb0"`);
    await queryRunner.query(`DROP TABLE "person_names"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_0d2453757c05322c7219923a58"`);
    await queryRunner.query(`DROP TABLE "persons"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f5e41daf359983ccc130b4e858"`);
    await queryRunner.query(`DROP TABLE "events"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a63d9f2e5a33eee00475d3dffb"`);
    await queryRunner.query(`DROP TABLE "organizations"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_2a84a05feb54f1e9ce9be668b4"`);
    await queryRunner.query(`DROP TABLE "sources"`);
  }
}
