import { type Actor, audienceReader, type Page } from '#common';
import {
  CasesService,
  type CaseView,
  type CustodyEventView,
  HearingsService,
  type HearingView,
  NotesService,
  type NoteView,
  type PersonCaseFileView,
  PersonsService,
} from '#case-files';
import { PartialDateColumns } from '#database';
import { EventEntity, SourceEntity, SourcesService } from '#reference-data';
import { Injectable } from '@nestjs/common';
import { DataSource, In, IsNull } from 'typeorm';
import { CampaignsService } from '../campaigns/campaigns.service.js';
import type {
  CampaignData,
  CaseData,
  CustodyData,
  DossierData,
  EventData,
  HearingData,
  NoteData,
  SourceData,
} from '../report-data.js';
import type { Audience } from '../reports.js';
import { ReportMetaFactory } from './report-meta.js';

/** Pages of this size are read until a list is exhausted (a dossier's lists are short). */
const PAGE = 200;

async function readAll<T>(read: (cursor: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

/**
 * Reads one person's case file as a report's audience may see it. The case file is read as
 * `audienceReader(audience)`, never as the person who asked: whatever they may see, a public
 * report holds public records only and no report holds restricted material (SQL conditions in
 * every query, see `visibleCondition`).
 */
@Injectable()
export class DossierBuilder {
  constructor(
    private readonly dataSource: DataSource,
    private readonly persons: PersonsService,
    private readonly cases: CasesService,
    private readonly hearings: HearingsService,
    private readonly notes: NotesService,
    private readonly sources: SourcesService,
    private readonly campaigns: CampaignsService,
    private readonly meta: ReportMetaFactory,
  ) {}

  /**
   * The dossier; throws NotFoundError when the audience may not see the person. Whether the
   * person asking may see it is for the caller to check (`ExportsService.authorise`).
   */
  async build(personId: string, audience: Audience, language: string, now = new Date()): Promise<DossierData> {
    const reader = audienceReader(audience);
    const file = await this.persons.get(personId, reader);
    const caseViews = await this.cases.load(
      this.dataSource.manager,
      file.cases.map((c) => c.id),
      reader,
    );
    const cases = await Promise.all(caseViews.map((c) => this.caseData(c, file, reader, now)));
    return {
      meta: this.meta.make('dossier', audience, language, now),
      person: {
        displayName: file.displayName,
        names: [...file.names]
          .sort((a, b) => Number(b.preferred) - Number(a.preferred))
          .map((n) => ({ value: n.value, script: n.script, lang: n.lang, preferred: n.preferred })),
        country: file.country,
        birthDate: file.birthDate,
        occupations: file.occupations,
        designations: file.designations.map((d) => ({
          designation: d.designation,
          organisation: d.organizationName,
          since: d.since,
        })),
      },
      currentCustody: file.currentCustody
        ? custodyData(file.custodyHistory.find((e) => e.id === file.currentCustody!.eventId)!)
        : null,
      custodyHistory: file.custodyHistory.map(custodyData),
      cases,
      events: await this.events(caseViews),
      campaign: await this.campaign(personId, reader),
      sources: await this.citedSources(file, caseViews, reader),
      // Notes are working material: only an internal report reads them, whatever their visibility.
      notes: audience === 'internal' ? await this.notesOf(file, caseViews, reader) : [],
    };
  }

  private async caseData(c: CaseView, file: PersonCaseFileView, reader: Actor, now: Date): Promise<CaseData> {
    const hearings = await readAll((cursor) => this.hearings.list({ caseId: c.id, limit: PAGE, cursor }, reader));
    // Time first: a hearing is past once its time has passed, whatever its status (a scheduled one
    // nobody marked held is past too); a later one is upcoming, postponed ones included (shown with
    // their status, so that nobody goes to court for them). Cancelled hearings are left out.
    const listed = hearings.filter((h) => h.status !== 'cancelled');
    const isPast = (h: HearingView) => new Date(h.startsAt) < now;
    const outcome = c.outcome;
    return {
      title: c.title,
      court: c.court,
      stage: c.stage,
      roles: file.cases.find((x) => x.id === c.id)?.roles ?? [],
      charges: c.charges.map((x) => ({ article: x.article, description: x.description, maxSentence: x.maxSentence })),
      outcome: outcome
        ? { verdict: outcome.verdict, date: outcome.date, sentence: outcome.sentence, note: outcome.note }
        : null,
      pastHearings: listed.filter(isPast).map((h) => hearingData(h, c)),
      upcomingHearings: listed.filter((h) => !isPast(h)).map((h) => hearingData(h, c)),
    };
  }

  private async events(cases: CaseView[]): Promise<EventData[]> {
    const ids = [...new Set(cases.flatMap((c) => (c.eventId ? [c.eventId] : [])))];
    if (ids.length === 0) return [];
    const events = await this.dataSource.manager.findBy(EventEntity, { id: In(ids), archivedAt: IsNull() });
    return events.map((e) => ({
      name: e.names[0] ?? '',
      otherNames: e.names.slice(1),
      start: PartialDateColumns.toPartialDate(e.start),
      end: PartialDateColumns.toPartialDate(e.end),
      summary: e.summary,
    }));
  }

  private async campaign(personId: string, reader: Actor): Promise<CampaignData | null> {
    const campaign = await this.campaigns.findForReader(this.dataSource.manager, personId, reader);
    if (!campaign) return null;
    return {
      headline: campaign.headline,
      actionNumber: campaign.actionNumber,
      followUpOf: campaign.followUpOf,
      summary: campaign.summary,
      modelLetter: campaign.modelLetter,
      recipients: campaign.recipients,
      copies: campaign.copies,
      appealDeadline: campaign.appealDeadline,
      background: campaign.background,
      language: campaign.language,
    };
  }

  /** Sources cited by the person, their custody events and cases, as far as the audience may see them. */
  private async citedSources(file: PersonCaseFileView, cases: CaseView[], reader: Actor): Promise<SourceData[]> {
    const cited = [
      ...file.sourceIds,
      ...file.custodyHistory.flatMap((e) => e.sourceIds),
      ...cases.flatMap((c) => c.sourceIds),
    ];
    const manager = this.dataSource.manager;
    const ids = await this.sources.visibleIds(manager, reader, [...new Set(cited)]);
    if (ids.length === 0) return [];
    const sources = await manager.findBy(SourceEntity, { id: In(ids), archivedAt: IsNull() });
    return sources
      .map((s) => ({
        publisher: s.publisher,
        title: s.title,
        url: s.url,
        published: PartialDateColumns.toPartialDate(s.published),
      }))
      .sort((a, b) => (a.published?.date ?? '').localeCompare(b.published?.date ?? ''));
  }

  /**
   * Notes on the person and their cases that the audience may see (none restricted), for
   * internal reports only: a note marked public is still working material and names its author.
   */
  private async notesOf(file: PersonCaseFileView, cases: CaseView[], reader: Actor): Promise<NoteData[]> {
    const parents = [
      { kind: 'person' as const, id: file.id },
      ...cases.map((c) => ({ kind: 'case' as const, id: c.id })),
    ];
    const notes: NoteView[] = [];
    for (const parent of parents) {
      notes.push(...(await readAll((cursor) => this.notes.listOf(parent, { limit: PAGE, cursor }, reader))));
    }
    return notes
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .map((n) => ({ body: n.body, author: n.author, createdAt: n.createdAt }));
  }
}

function custodyData(e: CustodyEventView): CustodyData {
  return { status: e.status, from: e.from, place: e.place, facility: e.facility, note: e.note };
}

function hearingData(h: HearingView, c: CaseView): HearingData {
  return {
    startsAt: h.startsAt,
    timeZone: h.timeZone,
    court: h.court ?? c.court,
    courtroom: h.courtroom,
    kind: h.kind,
    status: h.status,
    outcome: h.outcome,
    caseTitle: c.title,
  };
}
