/**
 * Seed data for `npm run bench:exports`: persons of a Kazakhstan campaign list, written through
 * the real services (validation, audit trail and all) as the system task `bench-exports`.
 *
 * Deterministic (a seeded PRNG), so two runs seed the same records. Every record is public, so
 * that the public campaign list has all of them. A "group" is one case and its 1-3 defendants:
 * the defendants' custody history follows the case's stage (convicted defendants are imprisoned).
 */
import {
  CasesService,
  type CaseStage,
  ChargeDto,
  CreateCaseDto,
  CreateCustodyEventDto,
  CreateHearingDto,
  CaseFilesModule,
  CreatePersonDto,
  CustodyService,
  type CustodyStatus,
  type HearingKind,
  HearingsService,
  PersonNameDto,
  PersonsService,
} from '#case-files';
import { AppConfigModule } from '#config';
import { type PartialDate, systemWrite, validateDto } from '#common';
import { DatabaseModule } from '#database';
import { EncryptionModule } from '#encryption';
import { CreateEventDto, EventsService, ReferenceDataModule } from '#reference-data';
import { type INestApplicationContext, Module } from '@nestjs/common';
import { DateTime } from 'luxon';

/** What seeding needs: the case files and the reference data (mass events), nothing else. */
@Module({ imports: [AppConfigModule, DatabaseModule, EncryptionModule, ReferenceDataModule, CaseFilesModule] })
export class BenchSeedModule {}

const SEED = systemWrite('bench-exports');
const ZONE = 'Asia/Almaty';

/** mulberry32: small, fast, good enough to vary test data reproducibly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Name {
  /** Kazakh in Latin letters as English-language reports write it. */
  lat: string;
  /** Kazakh Cyrillic (with Ә Ғ Қ Ң Ө Ұ Ү Һ І). */
  kk: string;
  /** Another transliteration found in reports (from the Russian spelling). */
  alt: string;
  female?: boolean;
}

// prettier-ignore
const GIVEN: Name[] = [
  { lat: 'Zhanbolat', kk: 'Жанболат', alt: 'Dzhanbolat' }, { lat: 'Aigerim', kk: 'Әйгерім', alt: 'Aygerim', female: true },
  { lat: 'Nurlan', kk: 'Нұрлан', alt: 'Noerlan' }, { lat: 'Asel', kk: 'Әсел', alt: 'Assel', female: true },
  { lat: 'Serik', kk: 'Серік', alt: 'Serick' }, { lat: 'Dauren', kk: 'Дәурен', alt: 'Dawren' },
  { lat: 'Gulnara', kk: 'Гүлнара', alt: 'Goelnara', female: true }, { lat: 'Yerlan', kk: 'Ерлан', alt: 'Erlan' },
  { lat: 'Aizhan', kk: 'Айжан', alt: 'Ayzhan', female: true }, { lat: 'Bolat', kk: 'Болат', alt: 'Bulat' },
  { lat: 'Saule', kk: 'Сәуле', alt: 'Sauleh', female: true }, { lat: 'Marat', kk: 'Марат', alt: 'Maratt' },
  { lat: 'Ainur', kk: 'Айнұр', alt: 'Aynur', female: true }, { lat: 'Talgat', kk: 'Талғат', alt: 'Talghat' },
  { lat: 'Zhanar', kk: 'Жанар', alt: 'Dzhanar', female: true }, { lat: 'Kairat', kk: 'Қайрат', alt: 'Qairat' },
  { lat: 'Dinara', kk: 'Динара', alt: 'Dinarah', female: true }, { lat: 'Askhat', kk: 'Асхат', alt: 'Asqat' },
  { lat: 'Botagoz', kk: 'Ботагөз', alt: 'Botagöz', female: true }, { lat: 'Nurzhan', kk: 'Нұржан', alt: 'Nourzhan' },
  { lat: 'Ardak', kk: 'Ардақ', alt: 'Ardaq', female: true }, { lat: 'Yerzhan', kk: 'Ержан', alt: 'Erzhan' },
  { lat: 'Raushan', kk: 'Раушан', alt: 'Rawshan', female: true }, { lat: 'Almas', kk: 'Алмас', alt: 'Almass' },
  { lat: 'Kuanysh', kk: 'Қуаныш', alt: 'Quanysh' }, { lat: 'Meruert', kk: 'Меруерт', alt: 'Meruyert', female: true },
  { lat: 'Daniyar', kk: 'Данияр', alt: 'Daniiar' }, { lat: 'Zhuldyz', kk: 'Жұлдыз', alt: 'Dzhuldyz', female: true },
  { lat: 'Aibek', kk: 'Айбек', alt: 'Aybek' }, { lat: 'Gaukhar', kk: 'Гауһар', alt: 'Gauhar', female: true },
];

/** Surnames; those ending in -ov/-ev take -a for women, in both scripts. */
// prettier-ignore
const FAMILY: Name[] = [
  { lat: 'Mamay', kk: 'Мамай', alt: 'Mamai' }, { lat: 'Imanbai', kk: 'Иманбай', alt: 'Imanbay' },
  { lat: 'Kasymov', kk: 'Қасымов', alt: 'Kassymov' }, { lat: 'Nurpeisov', kk: 'Нұрпейісов', alt: 'Nurpeissov' },
  { lat: 'Abenov', kk: 'Әбенов', alt: 'Abenow' }, { lat: 'Zhumabekov', kk: 'Жұмабеков', alt: 'Dzhumabekov' },
  { lat: 'Serikbayev', kk: 'Серікбаев', alt: 'Serikbaev' }, { lat: 'Sarsenov', kk: 'Сәрсенов', alt: 'Sarssenov' },
  { lat: 'Ospanov', kk: 'Оспанов', alt: 'Ospanow' }, { lat: 'Baimukhanov', kk: 'Баймұханов', alt: 'Baymukhanov' },
  { lat: 'Akhmetov', kk: 'Ахметов', alt: 'Achmetov' }, { lat: 'Temirkhanov', kk: 'Темірханов', alt: 'Temirchanov' },
  { lat: 'Yesenov', kk: 'Есенов', alt: 'Esenov' }, { lat: 'Kenzhebekov', kk: 'Кенжебеков', alt: 'Kendzhebekov' },
  { lat: 'Utepov', kk: 'Өтепов', alt: 'Otepov' }, { lat: 'Zhaksylykov', kk: 'Жақсылықов', alt: 'Dzhaksylykov' },
  { lat: 'Ongarbayev', kk: 'Оңғарбаев', alt: 'Ongarbaev' }, { lat: 'Kaliyev', kk: 'Қалиев', alt: 'Kaliev' },
  { lat: 'Sultanbek', kk: 'Сұлтанбек', alt: 'Soultanbek' }, { lat: 'Amanzhol', kk: 'Аманжол', alt: 'Amanjol' },
  { lat: 'Kozhakhmet', kk: 'Қожахмет', alt: 'Kojakhmet' }, { lat: 'Tursynbayev', kk: 'Тұрсынбаев', alt: 'Tursynbaev' },
  { lat: 'Beisenov', kk: 'Бейсенов', alt: 'Beissenov' }, { lat: 'Shaikenov', kk: 'Шәйкенов', alt: 'Shaykenov' },
];

/** The Russian spelling of a Kazakh Cyrillic name: the Kazakh letters replaced by their nearest Russian ones. */
const RUSSIAN: Record<string, string> = { ә: 'а', ғ: 'г', қ: 'к', ң: 'н', ө: 'о', ұ: 'у', ү: 'у', һ: 'х', і: 'и' };
const russian = (text: string) =>
  [...text]
    .map((c) => {
      const lower = c.toLowerCase();
      const mapped = RUSSIAN[lower];
      return mapped === undefined ? c : c === lower ? mapped : mapped.toUpperCase();
    })
    .join('');

const feminine = (name: Name, female: boolean): Name =>
  female && /(ov|ev)$/.test(name.lat)
    ? { lat: `${name.lat}a`, kk: `${name.kk}а`, alt: `${name.alt}a` }
    : { lat: name.lat, kk: name.kk, alt: name.alt };

const CITIES = [
  { name: 'Almaty', court: 'Specialised inter-district criminal court of Almaty' },
  { name: 'Zhanaozen', court: 'Zhanaozen city court' },
  { name: 'Aktau', court: 'Specialised inter-district criminal court of Mangystau region' },
  { name: 'Taldykorgan', court: 'Taldykorgan city court' },
  { name: 'Shymkent', court: 'Specialised inter-district criminal court of Shymkent' },
  { name: 'Taraz', court: 'Taraz city court No. 2' },
  { name: 'Aktobe', court: 'Specialised inter-district criminal court of Aktobe region' },
  { name: 'Karaganda', court: 'Kazybek Bi district court of Karaganda' },
];

const CHARGES: ChargeDto[] = [
  { article: '272-1', description: 'organizing mass riots', maxSentence: { years: 10 } },
  { article: '272-2', description: 'participation in mass riots', maxSentence: { years: 8 } },
  { article: '274', description: 'dissemination of knowingly false information', maxSentence: { years: 7 } },
  { article: '174', description: 'inciting social, national or religious discord', maxSentence: { years: 7 } },
  { article: '293', description: 'hooliganism', maxSentence: { years: 5 } },
  { article: '380', description: 'violence against a representative of the authorities', maxSentence: { years: 5 } },
];

const STAGES: CaseStage[] = ['investigation', 'awaiting-trial', 'trial', 'trial', 'verdict', 'appeal', 'closed'];

export interface SeedCounts {
  persons: number;
  names: number;
  custodyEvents: number;
  cases: number;
  charges: number;
  hearings: number;
  upcomingHearings: number;
  convicted: number;
}

interface HearingPlan {
  days: number;
  kind: HearingKind;
  status: 'held' | 'scheduled';
}

/** Seeds persons, custody events, cases and hearings through the services, a few groups at a time. */
export class BenchSeeder {
  private readonly random: () => number;
  private readonly persons: PersonsService;
  private readonly custody: CustodyService;
  private readonly cases: CasesService;
  private readonly hearings: HearingsService;
  private eventIds: string[] = [];
  readonly counts: SeedCounts = {
    persons: 0,
    names: 0,
    custodyEvents: 0,
    cases: 0,
    charges: 0,
    hearings: 0,
    upcomingHearings: 0,
    convicted: 0,
  };

  constructor(
    private readonly app: INestApplicationContext,
    seed = 2022,
  ) {
    this.random = prng(seed);
    this.persons = app.get(PersonsService);
    this.custody = app.get(CustodyService);
    this.cases = app.get(CasesService);
    this.hearings = app.get(HearingsService);
  }

  private int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  /** Two mass events: most cases stem from January 2022, some from the 2011 Zhanaozen strike. */
  private async massEvents(): Promise<string[]> {
    if (this.eventIds.length > 0) return this.eventIds;
    const events = this.app.get(EventsService);
    const create = async (body: Record<string, unknown>) =>
      (await events.create(validateDto(CreateEventDto, body), SEED)).id;
    this.eventIds = [
      await create({
        names: ['January 2022 unrest', 'Qandy Qantar', 'Қанды Қаңтар'],
        country: 'KZ',
        start: { date: '2022-01-02', precision: 'day' },
        end: { date: '2022-01', precision: 'month' },
        summary: 'Protests against a fuel price rise that spread from Zhanaozen across the country.',
      }),
      await create({
        names: ['Zhanaozen massacre', 'Жаңаөзен оқиғасы'],
        country: 'KZ',
        start: { date: '2011-12-16', precision: 'day' },
        summary: 'Police fired on striking oil workers in Zhanaozen.',
      }),
    ];
    return this.eventIds;
  }

  /** Adds `count` persons (in groups of co-defendants), `concurrency` groups at a time. */
  async seed(count: number, concurrency = 4): Promise<void> {
    const events = await this.massEvents();
    // Plan first (sequentially, so that the PRNG sequence does not depend on timing), then write.
    const groups: number[] = [];
    for (let left = count; left > 0;) {
      const r = this.random();
      const size = Math.min(left, r < 0.6 ? 1 : r < 0.85 ? 2 : 3);
      groups.push(size);
      left -= size;
    }
    const plans = groups.map((size) => this.planGroup(size, events));
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, plans.length) }, async () => {
        while (next < plans.length) await this.write(plans[next++]!);
      }),
    );
  }

  private planGroup(size: number, events: string[]) {
    const city = this.pick(CITIES);
    const stage = this.pick(STAGES);
    const convicted = ['verdict', 'appeal'].includes(stage) || (stage === 'closed' && this.random() < 0.8);
    const arrested = DateTime.fromISO('2022-01-05', { zone: ZONE }).plus({ days: this.int(0, 60) });
    const defendants = Array.from({ length: size }, () => this.planPerson(city.name, arrested, stage, convicted));
    const charges = [...CHARGES].sort(() => this.random() - 0.5).slice(0, this.int(1, 3));
    const sentence = (): { years: number; months?: number } =>
      this.random() < 0.3 ? { years: this.int(2, 7), months: 6 } : { years: this.int(2, 8) };
    const lead = defendants[0]!.names[0]!.value;
    const caseBody = {
      title: size === 1 ? `Prosecution of ${lead}` : `Case of ${lead} and ${size - 1} other(s)`,
      country: 'KZ',
      court: city.court,
      jurisdiction: city.name,
      stage,
      eventId: this.random() < 0.85 ? events[0] : events[1],
      charges,
      outcome: convicted
        ? {
            verdict: 'convicted',
            date: { date: arrested.plus({ months: this.int(8, 14) }).toFormat('yyyy-MM'), precision: 'month' },
            sentence: sentence(),
          }
        : stage === 'closed'
          ? { verdict: 'dismissed', date: { date: '2023', precision: 'year' } }
          : null,
      visibility: 'public',
    };
    return { defendants, caseBody, hearings: this.planHearings(stage), court: city.court };
  }

  private planPerson(city: string, arrested: DateTime, stage: CaseStage, convicted: boolean) {
    const given = this.pick(GIVEN);
    const family = feminine(this.pick(FAMILY), given.female ?? false);
    const lat = `${given.lat} ${family.lat}`;
    const kk = `${given.kk} ${family.kk}`;
    const names: PersonNameDto[] = [
      { value: lat, script: 'Latn', lang: 'en', preferred: true },
      { value: kk, script: 'Cyrl', lang: 'kk' },
    ];
    const extra = this.int(0, 2);
    if (extra >= 1 && russian(kk) !== kk) names.push({ value: russian(kk), script: 'Cyrl', lang: 'ru' });
    if (extra >= 1 && names.length < 4) names.push({ value: `${given.alt} ${family.alt}`, script: 'Latn' });
    const facility = this.random() < 0.5 ? `Pretrial detention centre No. ${this.int(1, 3)}` : undefined;
    const events: Array<{ status: CustodyStatus; from: PartialDate; place?: string; facility?: string }> = [
      this.random() < 0.6
        ? { status: 'arrested', from: { date: arrested.toISODate()!, precision: 'day' }, place: city }
        : { status: 'arrested', from: { date: arrested.toFormat('yyyy-MM'), precision: 'month' }, place: city },
      {
        status: 'pretrial-detention',
        from: { date: arrested.plus({ days: 2 }).toISODate()!, precision: 'day' },
        place: city,
        ...(facility ? { facility } : {}),
      },
    ];
    if (convicted) {
      events.push({
        status: 'imprisoned',
        from: { date: arrested.plus({ months: this.int(9, 15) }).toFormat('yyyy-MM'), precision: 'month' },
        facility: `Penal colony UK-161/${this.int(1, 9)}`,
      });
    } else if (stage !== 'investigation' && this.random() < 0.6) {
      const status = this.pick<CustodyStatus>(['house-arrest', 'released-on-bail', 'restricted-freedom']);
      events.push({
        status,
        from: { date: arrested.plus({ months: this.int(3, 10) }).toFormat('yyyy-MM'), precision: 'approximate' },
        place: city,
      });
    }
    return {
      body: { names, country: 'KZ', occupations: [this.pick(['activist', 'journalist', 'oil worker', 'blogger'])] },
      names,
      events,
    };
  }

  /** 2-4 hearings: held ones in the past, scheduled ones ahead while the case is open at a court. */
  private planHearings(stage: CaseStage): HearingPlan[] {
    const held = (kind: HearingKind): HearingPlan => ({ days: -this.int(30, 1200), kind, status: 'held' });
    const ahead = (kind: HearingKind): HearingPlan => ({ days: this.int(2, 75), kind, status: 'scheduled' });
    const plan: Record<CaseStage, () => HearingPlan[]> = {
      investigation: () => [
        held('preliminary'),
        held('preliminary'),
        ...(this.random() < 0.5 ? [ahead('preliminary')] : []),
      ],
      'awaiting-trial': () => [held('preliminary'), held('preliminary'), ahead('trial')],
      trial: () => [
        held('preliminary'),
        held('trial'),
        ahead('trial'),
        ...(this.random() < 0.5 ? [ahead('trial')] : []),
      ],
      verdict: () => [held('preliminary'), held('trial'), held('verdict')],
      appeal: () => [held('trial'), held('verdict'), ahead('appeal')],
      cassation: () => [held('verdict'), held('appeal'), ahead('other')],
      closed: () => [held('trial'), held('verdict')],
    };
    return plan[stage]();
  }

  private async write(group: ReturnType<BenchSeeder['planGroup']>): Promise<void> {
    const personIds: string[] = [];
    for (const person of group.defendants) {
      const created = await this.persons.create(
        validateDto(CreatePersonDto, { ...person.body, visibility: 'public' }),
        SEED,
      );
      personIds.push(created.id);
      this.counts.persons += 1;
      this.counts.names += person.names.length;
      for (const event of person.events) {
        await this.custody.append(
          created.id,
          validateDto(CreateCustodyEventDto, { ...event, visibility: 'public' }),
          SEED,
        );
        this.counts.custodyEvents += 1;
      }
    }
    const created = await this.cases.create(
      validateDto(CreateCaseDto, {
        ...group.caseBody,
        participants: personIds.map((personId) => ({ personId, role: 'defendant' })),
      }),
      SEED,
    );
    this.counts.cases += 1;
    this.counts.charges += group.caseBody.charges.length;
    if (group.caseBody.outcome?.verdict === 'convicted') this.counts.convicted += personIds.length;
    const today = DateTime.now().setZone(ZONE).startOf('day');
    for (const hearing of group.hearings) {
      const startsAt = today.plus({ days: hearing.days }).set({ hour: 10 + (hearing.days & 3), minute: 30 });
      await this.hearings.create(
        created.id,
        validateDto(CreateHearingDto, {
          startsAt: startsAt.toFormat("yyyy-MM-dd'T'HH:mm"),
          timeZone: ZONE,
          court: group.court,
          courtroom: String((hearing.days & 7) + 1),
          kind: hearing.kind,
          status: hearing.status,
          ...(hearing.status === 'held' ? { outcome: 'Held; the court heard the parties.' } : {}),
          visibility: 'public',
        }),
        SEED,
      );
      this.counts.hearings += 1;
      if (hearing.status === 'scheduled') this.counts.upcomingHearings += 1;
    }
  }
}
