import { AuditModule } from '#audit';
import { CaseFilesModule } from '#case-files';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CampaignEntity } from './campaign.entity.js';
import { CampaignsService } from './campaigns.service.js';

/** The campaign kept with each person (`/persons/:id/campaign`), read by report builders too. */
@Module({
  imports: [AuditModule, CaseFilesModule, TypeOrmModule.forFeature([CampaignEntity])],
  providers: [CampaignsService],
  exports: [CampaignsService],
})
export class CampaignsModule {}
