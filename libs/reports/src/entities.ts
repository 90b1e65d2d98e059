import { CampaignEntity } from './campaigns/campaign.entity.js';
import { ExportChunkEntity, ExportEntity } from './exports/export.entity.js';

export const REPORTS_ENTITIES = [CampaignEntity, ExportEntity, ExportChunkEntity];
