import { CaseFilesModule } from '#case-files';
import { ReferenceDataModule } from '#reference-data';
import { CampaignsModule } from '#reports';
import { Module } from '@nestjs/common';
import { DemoSeeder } from './demo-seeder.js';

/** Loads the project's demo data set (`npm run seed:demo`). */
@Module({
  imports: [ReferenceDataModule, CaseFilesModule, CampaignsModule],
  providers: [DemoSeeder],
  exports: [DemoSeeder],
})
export class DemoDataModule {}
