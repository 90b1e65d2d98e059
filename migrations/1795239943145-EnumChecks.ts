import { MigrationInterface, QueryRunner } from 'typeorm';

export class EnumChecks1795239943145 implements MigrationInterface {
  name = 'EnumChecks1795239943145';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "organizations" ADD CONSTRAINT "CHK_5e5594159f60d557fca3c760ac" CHECK ("kind" IN ('ngo', 'political-party', 'state-agency', 'court', 'media', 'intergovernmental', 'diplomatic-mission', 'other'))`,
    );
    await queryRunner.query(
      `ALTER TABLE "cases" ADD CONSTRAINT "CHK_2f9fd59ced337480ae5e43de64" CHECK ("verdict" IN ('convicted', 'acquitted', 'dismissed', 'other'))`,
    );
    await queryRunner.query(
      `ALTER TABLE "cases" ADD CONSTRAINT "CHK_447a7674e17ebdd0818f33c65e" CHECK ("stage" IN ('investigation', 'awaiting-trial', 'trial', 'verdict', 'appeal', 'cassation', 'closed'))`,
    );
    await queryRunner.query(
      `ALTER TABLE "case_participants" ADD CONSTRAINT "CHK_86ea20b4a235aba5738f2fea9b" CHECK ("role" IN ('defendant', 'victim', 'relative', 'lawyer', 'witness'))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "case_participants" DROP CONSTRAINT "CHK_86ea20b4a235aba5738f2fea9b"`);
    await queryRunner.query(`ALTER TABLE "cases" DROP CONSTRAINT "CHK_447a7674e17ebdd0818f33c65e"`);
    await queryRunner.query(`ALTER TABLE "cases" DROP CONSTRAINT "CHK_2f9fd59ced337480ae5e43de64"`);
    await queryRunner.query(`ALTER TABLE "organizations" DROP CONSTRAINT "CHK_5e5594159f60d557fca3c760ac"`);
  }
}
