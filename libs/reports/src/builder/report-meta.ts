import { AppConfig } from '#config';
import { Injectable } from '@nestjs/common';
import { localDate } from '../labels.js';
import type { ReportMeta } from '../report-data.js';
import type { Audience, ReportKind } from '../reports.js';

/** The header every report carries: what, for whom, when, and by which organisation. */
@Injectable()
export class ReportMetaFactory {
  constructor(private readonly config: AppConfig) {}

  make(kind: ReportKind, audience: Audience, language: string, now: Date): ReportMeta {
    return {
      kind,
      audience,
      language,
      issuedAt: now.toISOString(),
      issuedOn: localDate(now, this.config.env.REPORT_TIME_ZONE),
      timeZone: this.config.env.REPORT_TIME_ZONE,
      organisation: this.config.env.REPORT_ORGANISATION,
    };
  }
}
