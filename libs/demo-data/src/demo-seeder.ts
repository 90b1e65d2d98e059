import {
  CasesService,
  CreateCaseDto,
  CreateCustodyEventDto,
  CreatePersonDto,
  CustodyService,
  PersonsService,
} from '#case-files';
import { InvalidInputError, PreconditionFailedError, systemWrite, validateDto } from '#common';
import {
  CreateEventDto,
  CreateOrganizationDto,
  CreateSourceDto,
  EventsService,
  OrganizationsService,
  SourcesService,
} from '#reference-data';
import { CampaignDto, CampaignsService } from '#reports';
import { Injectable, Logger } from '@nestjs/common';
import { readFile } from 'node:fs/promises';

type Item = Record<string, unknown> & { ref: string };

/**
 * The demo data format: API request bodies with a `ref` each, linked by `...Ref(s)` fields
 * (`sourceRefs`, `organizationRef`, `eventRef`, `personRef`). Persons may carry `custodyEvents`.
 * Campaigns have no ref of their own: each names its person (`personRef`), which has one at most.
 */
export interface DemoDataSet {
  sources?: Item[];
  organizations?: Item[];
  events?: Item[];
  persons?: Item[];
  cases?: Item[];
  campaigns?: Array<Record<string, unknown> & { personRef: string }>;
}

export interface SeedReport {
  created: number;
  existing: number;
}

/** Every record of the data set is stored with `externalId = "demo:<ref>"`. */
export const demoExternalId = (ref: string) => `demo:${ref}`;

/**
 * Loads a demo data set through the same services and validation as the API. Records whose
 * external id already exists are left as they are, so loading twice creates nothing new.
 */
/** Demo records are written (and audited) as the system task `seed-demo`. */
const SEED = systemWrite('seed-demo');

@Injectable()
export class DemoSeeder {
  private readonly logger = new Logger(DemoSeeder.name);

  constructor(
    private readonly sources: SourcesService,
    private readonly organizations: OrganizationsService,
    private readonly events: EventsService,
    private readonly persons: PersonsService,
    private readonly custody: CustodyService,
    private readonly cases: CasesService,
    private readonly campaigns: CampaignsService,
  ) {}

  async seedFile(path: string): Promise<SeedReport> {
    const data = JSON.parse(await readFile(path, 'utf8')) as DemoDataSet;
    return this.seed(data);
  }

  async seed(data: DemoDataSet): Promise<SeedReport> {
    const report: SeedReport = { created: 0, existing: 0 };
    const ids = new Map<string, string>();
    const id = (ref: unknown, field: string): string => {
      const found = typeof ref === 'string' ? ids.get(ref) : undefined;
      if (!found) throw InvalidInputError.field(field, `unknown ref "${String(ref)}"`);
      return found;
    };
    const refs = (list: unknown, field: string) => ((list as string[] | undefined) ?? []).map((r) => id(r, field));

    /** Creates the record unless one with its external id exists; remembers its id under `ref`. */
    const put = async (
      kind: string,
      ref: string,
      find: (externalId: string) => Promise<string | null>,
      create: (externalId: string) => Promise<{ id: string }>,
    ) => {
      const externalId = demoExternalId(ref);
      const existing = await find(externalId);
      if (existing) {
        report.existing += 1;
        ids.set(ref, existing);
        return;
      }
      const created = await create(externalId);
      report.created += 1;
      ids.set(ref, created.id);
      this.logger.log(`created ${kind} ${ref}`);
    };

    for (const [i, { ref, ...body }] of (data.sources ?? []).entries()) {
      await put(
        'source',
        ref,
        (x) => this.sources.findIdByExternalId(x),
        (externalId) =>
          this.sources.create(validateDto(CreateSourceDto, { ...body, externalId }, `sources[${i}]`), SEED),
      );
    }
    for (const [i, { ref, ...body }] of (data.organizations ?? []).entries()) {
      await put(
        'organization',
        ref,
        (x) => this.organizations.findIdByExternalId(x),
        (externalId) =>
          this.organizations.create(
            validateDto(CreateOrganizationDto, { ...body, externalId }, `organizations[${i}]`),
            SEED,
          ),
      );
    }
    for (const [i, { ref, sourceRefs, ...body }] of (data.events ?? []).entries()) {
      const at = `events[${i}]`;
      await put(
        'event',
        ref,
        (x) => this.events.findIdByExternalId(x),
        (externalId) =>
          this.events.create(
            validateDto(CreateEventDto, { ...body, externalId, sourceIds: refs(sourceRefs, `${at}.sourceRefs`) }, at),
            SEED,
          ),
      );
    }
    for (const [i, { ref, sourceRefs, custodyEvents, designations, ...body }] of (data.persons ?? []).entries()) {
      const at = `persons[${i}]`;
      await put(
        'person',
        ref,
        (x) => this.persons.findIdByExternalId(x),
        (externalId) =>
          this.persons.create(
            validateDto(
              CreatePersonDto,
              {
                ...body,
                externalId,
                sourceIds: refs(sourceRefs, `${at}.sourceRefs`),
                designations: ((designations as Item[] | undefined) ?? []).map(({ organizationRef, ...d }, k) => ({
                  ...d,
                  ...(organizationRef
                    ? { organizationId: id(organizationRef, `${at}.designations[${k}].organizationRef`) }
                    : {}),
                })),
              },
              at,
            ),
            SEED,
          ),
      );
      const personId = ids.get(ref)!;
      for (const [k, { sourceRefs: eventSources, ...event }] of (
        (custodyEvents as Item[] | undefined) ?? []
      ).entries()) {
        const eventAt = `${at}.custodyEvents[${k}]`;
        await put(
          'custody event',
          `${ref}:custody:${k}`,
          (x) => this.custody.findIdByExternalId(x),
          (externalId) =>
            this.custody.append(
              personId,
              validateDto(
                CreateCustodyEventDto,
                { ...event, externalId, sourceIds: refs(eventSources, `${eventAt}.sourceRefs`) },
                eventAt,
              ),
              SEED,
            ),
        );
      }
    }
    for (const [i, { ref, sourceRefs, eventRef, participants, ...body }] of (data.cases ?? []).entries()) {
      const at = `cases[${i}]`;
      await put(
        'case',
        ref,
        (x) => this.cases.findIdByExternalId(x),
        (externalId) =>
          this.cases.create(
            validateDto(
              CreateCaseDto,
              {
                ...body,
                externalId,
                ...(eventRef ? { eventId: id(eventRef, `${at}.eventRef`) } : {}),
                sourceIds: refs(sourceRefs, `${at}.sourceRefs`),
                participants: ((participants as Item[] | undefined) ?? []).map(({ personRef, ...p }, k) => ({
                  ...p,
                  personId: id(personRef, `${at}.participants[${k}].personRef`),
                })),
              },
              at,
            ),
            SEED,
          ),
      );
    }
    for (const [i, { personRef, ...body }] of (data.campaigns ?? []).entries()) {
      const at = `campaigns[${i}]`;
      const created = await this.createCampaign(id(personRef, `${at}.personRef`), validateDto(CampaignDto, body, at));
      report[created ? 'created' : 'existing'] += 1;
      if (created) this.logger.log(`created campaign of ${personRef}`);
    }
    return report;
  }

  /** Creates the person's campaign unless they have one, which is left as it is; true if created. */
  private async createCampaign(personId: string, dto: CampaignDto): Promise<boolean> {
    try {
      await this.campaigns.put(personId, dto, null, true, SEED); // as `If-None-Match: *`
      return true;
    } catch (error) {
      if (error instanceof PreconditionFailedError) return false;
      throw error;
    }
  }
}
