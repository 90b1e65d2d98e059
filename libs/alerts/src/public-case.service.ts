import {
  CASE_STAGES,
  type CaseStage,
  HEARING_KINDS,
  HEARING_STATUSES,
  type HearingKind,
  type HearingStatus,
  VERDICTS,
  type Verdict,
} from '#case-files';
import { localIsoTime, NotFoundError } from '#common';
import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { AlertLinks } from './links.js';

/** At most this many hearings of each list (upcoming, past) on a public case page. */
export const PUBLIC_CASE_HEARINGS = 50;

export class PublicHearingView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'date-time' })
  startsAt!: string;

  @ApiProperty({ example: '2024-03-15T10:00:00+05:00', description: "Wall-clock time in the court's time zone." })
  localStartsAt!: string;

  @ApiProperty({ example: 'Asia/Almaty', description: "The court's IANA time zone." })
  timeZone!: string;

  @ApiProperty({ type: String, nullable: true })
  court!: string | null;

  @ApiProperty({ type: String, nullable: true })
  courtroom!: string | null;

  @ApiProperty({ enum: HEARING_KINDS })
  kind!: HearingKind;

  @ApiProperty({ enum: HEARING_STATUSES })
  status!: HearingStatus;
}

export class PublicChargeView {
  @ApiProperty({ type: String, nullable: true })
  article!: string | null;

  @ApiProperty()
  description!: string;
}

export class PublicCaseLinksView {
  @ApiProperty({ description: 'The public iCalendar feed of the public hearings.' })
  calendar!: string;

  @ApiProperty({ description: 'POST an email address here to follow the case (double opt-in).' })
  follow!: string;
}

/**
 * What anyone may see of a public, live case: the page the links of alerts and calendar entries
 * open for followers without a login. Only public material: defendants whose record is public
 * (by name only; no relatives, lawyers or witnesses), public hearings, the charges and verdict;
 * never notes, sources or anything restricted or internal.
 */
export class PublicCaseView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty({ type: String, nullable: true, example: 'KZ' })
  country!: string | null;

  @ApiProperty({ type: String, nullable: true })
  court!: string | null;

  @ApiProperty({ enum: CASE_STAGES })
  stage!: CaseStage;

  @ApiProperty({ enum: VERDICTS, nullable: true })
  verdict!: Verdict | null;

  @ApiProperty({ type: [String], description: 'Preferred names of the defendants whose records are public.' })
  defendants!: string[];

  @ApiProperty({ type: [PublicChargeView] })
  charges!: PublicChargeView[];

  @ApiProperty({ type: [PublicHearingView], description: 'From now on, soonest first (cancelled ones included).' })
  upcomingHearings!: PublicHearingView[];

  @ApiProperty({ type: [PublicHearingView], description: 'Before now, latest first.' })
  pastHearings!: PublicHearingView[];

  @ApiProperty({ type: PublicCaseLinksView })
  links!: PublicCaseLinksView;
}

interface HearingRow {
  id: string;
  starts_at: Date;
  time_zone: string;
  court: string | null;
  courtroom: string | null;
  kind: HearingKind;
  status: HearingStatus;
}

/** Reads the public page of a case. */
@Injectable()
export class PublicCaseService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly links: AlertLinks,
  ) {}

  /** The public view of a public, live case; 404 for any other (internal, restricted, archived, unknown). */
  async view(caseId: string, now = new Date()): Promise<PublicCaseView> {
    // One snapshot for the whole page.
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const [kase] = await manager.query<
        Array<{
          title: string;
          country: string | null;
          court: string | null;
          stage: CaseStage;
          verdict: Verdict | null;
        }>
      >(
        `SELECT title, country, court, stage, verdict FROM cases
          WHERE id = $1 AND archived_at IS NULL AND visibility = 'public'`,
        [caseId],
      );
      if (!kase) throw new NotFoundError('Case', caseId);
      const defendants = await manager.query<Array<{ display_name: string }>>(
        `SELECT p.display_name FROM case_participants cp JOIN persons p ON p.id = cp.person_id
          WHERE cp.case_id = $1 AND cp.role = 'defendant' AND p.archived_at IS NULL AND p.visibility = 'public'
          ORDER BY cp.position`,
        [caseId],
      );
      const charges = await manager.query<PublicChargeView[]>(
        `SELECT article, description FROM case_charges WHERE case_id = $1 ORDER BY position`,
        [caseId],
      );
      const hearings = (direction: 'upcoming' | 'past') =>
        manager.query<HearingRow[]>(
          `SELECT id, starts_at, time_zone, court, courtroom, kind, status FROM hearings
            WHERE case_id = $1 AND archived_at IS NULL AND visibility = 'public'
              AND starts_at ${direction === 'upcoming' ? '>=' : '<'} $2
            ORDER BY starts_at ${direction === 'upcoming' ? 'ASC' : 'DESC'}, seq
            LIMIT ${PUBLIC_CASE_HEARINGS}`,
          [caseId, now],
        );
      return {
        id: caseId,
        title: kase.title,
        country: kase.country,
        court: kase.court,
        stage: kase.stage,
        verdict: kase.verdict,
        defendants: defendants.map((d) => d.display_name),
        charges: charges.map((c) => ({ article: c.article, description: c.description })),
        upcomingHearings: (await hearings('upcoming')).map(hearingView),
        pastHearings: (await hearings('past')).map(hearingView),
        links: { calendar: this.links.caseCalendarUrl(caseId), follow: this.links.followUrl(caseId) },
      };
    });
  }
}

function hearingView(row: HearingRow): PublicHearingView {
  return {
    id: row.id,
    startsAt: row.starts_at.toISOString(),
    localStartsAt: localIsoTime(row.starts_at, row.time_zone),
    timeZone: row.time_zone,
    court: row.court,
    courtroom: row.courtroom,
    kind: row.kind,
    status: row.status,
  };
}
