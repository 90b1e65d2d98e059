/**
 * Names for `npm run bench:seed` and the name-search queries of `npm run bench:api`: Kazakh name
 * parts in Kazakh Cyrillic with the Latin spelling English-language reports use, the Russian
 * Cyrillic spelling derived from the Kazakh one, and the transliteration habits a reader may type
 * (English from the Russian spelling, Dutch, German, the Kazakh Latin alphabet of 2021).
 */

export interface NamePart {
  /** Kazakh Cyrillic (with Ә Ғ Қ Ң Ө Ұ Ү Һ І). */
  kk: string;
  /** Latin, as English-language reports write it. */
  lat: string;
}

const part = (kk: string, lat: string): NamePart => ({ kk, lat });

// prettier-ignore
export const MALE_GIVEN: NamePart[] = [
  part('Жанболат', 'Zhanbolat'), part('Нұрлан', 'Nurlan'), part('Серік', 'Serik'), part('Дәурен', 'Dauren'),
  part('Ерлан', 'Yerlan'), part('Болат', 'Bolat'), part('Марат', 'Marat'), part('Талғат', 'Talgat'),
  part('Қайрат', 'Kairat'), part('Асхат', 'Askhat'), part('Нұржан', 'Nurzhan'), part('Ержан', 'Yerzhan'),
  part('Алмас', 'Almas'), part('Қуаныш', 'Kuanysh'), part('Данияр', 'Daniyar'), part('Айбек', 'Aibek'),
  part('Ғалым', 'Galym'), part('Мұхтар', 'Mukhtar'), part('Бауыржан', 'Baurzhan'), part('Ербол', 'Yerbol'),
  part('Асқар', 'Askar'), part('Бекзат', 'Bekzat'), part('Жасұлан', 'Zhasulan'), part('Мақсат', 'Maksat'),
  part('Нұрсұлтан', 'Nursultan'), part('Олжас', 'Olzhas'), part('Руслан', 'Ruslan'), part('Санжар', 'Sanzhar'),
  part('Темірлан', 'Temirlan'), part('Ұлан', 'Ulan'), part('Қанат', 'Kanat'), part('Мейрам', 'Meiram'),
  part('Есет', 'Yesset'), part('Арман', 'Arman'), part('Әлібек', 'Alibek'), part('Шыңғыс', 'Shyngys'),
  part('Махамбет', 'Makhambet'), part('Ілияс', 'Iliyas'), part('Жомарт', 'Zhomart'), part('Бақыт', 'Bakyt'),
  part('Ақжол', 'Akzhol'), part('Мақсұт', 'Maksut'),
];

// prettier-ignore
export const FEMALE_GIVEN: NamePart[] = [
  part('Әйгерім', 'Aigerim'), part('Әсел', 'Asel'), part('Гүлнара', 'Gulnara'), part('Айжан', 'Aizhan'),
  part('Сәуле', 'Saule'), part('Айнұр', 'Ainur'), part('Жанар', 'Zhanar'), part('Динара', 'Dinara'),
  part('Ботагөз', 'Botagoz'), part('Ардақ', 'Ardak'), part('Раушан', 'Raushan'), part('Меруерт', 'Meruert'),
  part('Жұлдыз', 'Zhuldyz'), part('Гауһар', 'Gaukhar'), part('Айгүл', 'Aigul'), part('Дана', 'Dana'),
  part('Мөлдір', 'Moldir'), part('Назерке', 'Nazerke'), part('Салтанат', 'Saltanat'), part('Ақмарал', 'Akmaral'),
  part('Гүлмира', 'Gulmira'), part('Жадыра', 'Zhadyra'), part('Қарлығаш', 'Karlygash'), part('Шынар', 'Shynar'),
  part('Әлия', 'Aliya'), part('Ләззат', 'Lazzat'), part('Нұргүл', 'Nurgul'), part('Іңкәр', 'Inkar'),
  part('Томирис', 'Tomiris'), part('Үміт', 'Umit'), part('Бибігүл', 'Bibigul'), part('Айсұлу', 'Aisulu'),
];

/** Surnames; those ending in -ов/-ев/-ин take -а for women. */
// prettier-ignore
export const FAMILY: NamePart[] = [
  part('Мамай', 'Mamay'), part('Иманбай', 'Imanbai'), part('Қасымов', 'Kasymov'), part('Нұрпейісов', 'Nurpeisov'),
  part('Әбенов', 'Abenov'), part('Жұмабеков', 'Zhumabekov'), part('Серікбаев', 'Serikbayev'),
  part('Сәрсенов', 'Sarsenov'), part('Оспанов', 'Ospanov'), part('Баймұханов', 'Baimukhanov'),
  part('Ахметов', 'Akhmetov'), part('Темірханов', 'Temirkhanov'), part('Есенов', 'Yesenov'),
  part('Кенжебеков', 'Kenzhebekov'), part('Өтепов', 'Utepov'), part('Жақсылықов', 'Zhaksylykov'),
  part('Оңғарбаев', 'Ongarbayev'), part('Қалиев', 'Kaliyev'), part('Сұлтанбек', 'Sultanbek'),
  part('Аманжол', 'Amanzhol'), part('Қожахмет', 'Kozhakhmet'), part('Тұрсынбаев', 'Tursynbayev'),
  part('Бейсенов', 'Beisenov'), part('Шәйкенов', 'Shaikenov'), part('Нұрмағамбетов', 'Nurmagambetov'),
  part('Әбдірахманов', 'Abdrakhmanov'), part('Сейітов', 'Seitov'), part('Жүнісов', 'Zhunusov'),
  part('Дүйсенов', 'Duisenov'), part('Ермеков', 'Yermekov'), part('Исаев', 'Isayev'), part('Төлеуов', 'Toleuov'),
  part('Омаров', 'Omarov'), part('Бекмағамбетов', 'Bekmagambetov'), part('Садықов', 'Sadykov'),
  part('Мұратов', 'Muratov'), part('Қуанышев', 'Kuanyshev'), part('Сағынтаев', 'Sagintayev'),
  part('Әлімжанов', 'Alimzhanov'), part('Байжанов', 'Baizhanov'), part('Құдайбергенов', 'Kudaibergenov'),
  part('Ысқақов', 'Iskakov'), part('Мырзахметов', 'Myrzakhmetov'), part('Әшімов', 'Ashimov'),
  part('Ғабдуллин', 'Gabdullin'), part('Шорманов', 'Shormanov'), part('Уәлиханов', 'Ualikhanov'),
  part('Жандосов', 'Zhandosov'), part('Бөкейханов', 'Bukeikhanov'), part('Рысқұлов', 'Ryskulov'),
  part('Дулатов', 'Dulatov'), part('Байтұрсынов', 'Baitursynov'), part('Жәңгіров', 'Zhangirov'),
  part('Сәтбаев', 'Satpayev'), part('Әуезов', 'Auezov'), part('Кәрімов', 'Karimov'),
  part('Жолдасбеков', 'Zholdasbekov'), part('Сарыбаев', 'Sarybayev'), part('Ерғалиев', 'Yergaliyev'),
  part('Смағұлов', 'Smagulov'), part('Әміров', 'Amirov'), part('Ташенов', 'Tashenov'), part('Мұқанов', 'Mukanov'),
  part('Тәжібаев', 'Tazhibayev'), part('Қыдырбаев', 'Kydyrbayev'), part('Оразбаев', 'Orazbayev'),
  part('Нұрғалиев', 'Nurgaliyev'), part('Жұмағұлов', 'Zhumagulov'), part('Әділов', 'Adilov'),
  part('Бәйтенов', 'Baitenov'), part('Сапаров', 'Saparov'),
];

/** The feminine form of a surname (-ов, -ев, -ин + а), in both scripts. */
export function feminine(family: NamePart): NamePart {
  return /(ов|ев|ин)$/.test(family.kk) ? { kk: `${family.kk}а`, lat: `${family.lat}a` } : family;
}

/**
 * A patronymic from the father's given name: Kazakh style (`Серікұлы`, `Серікқызы`) or Russian
 * style (`Серикович`, `Сериковна`, from the Russian spelling; only after a consonant).
 */
export function patronymic(father: NamePart, female: boolean, russianStyle: boolean): NamePart {
  const ru = russianSpelling(father.kk);
  if (russianStyle && /[бвгдзклмнпрстфхцчшщ]$/.test(ru)) {
    const kk = `${ru}${female ? 'овна' : 'ович'}`;
    return { kk, lat: transliterate(kk, 'en') };
  }
  const kk = `${father.kk}${female ? 'қызы' : 'ұлы'}`;
  return { kk, lat: transliterate(kk, 'en') };
}

/** The Russian spelling of Kazakh Cyrillic: the Kazakh letters replaced by their nearest Russian ones. */
const KAZAKH_TO_RUSSIAN: Record<string, string> = {
  ә: 'а',
  ғ: 'г',
  қ: 'к',
  ң: 'н',
  ө: 'о',
  ұ: 'у',
  ү: 'у',
  һ: 'х',
  і: 'и',
};

export function russianSpelling(text: string): string {
  return mapLetters(text, (c) => KAZAKH_TO_RUSSIAN[c]);
}

/** Letter tables: `en` (BGN/PCGN-like, for Russian or Kazakh Cyrillic), `nl`, `de`, `kk2021`. */
export type Habit = 'en' | 'nl' | 'de' | 'kk2021';

// prettier-ignore
const BASE: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'yo', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm',
  н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch',
  ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya', ә: 'a', ғ: 'g', қ: 'k', ң: 'ng', ө: 'o', ұ: 'u', ү: 'u', һ: 'h',
  і: 'i',
};

const HABITS: Record<Habit, Record<string, string>> = {
  en: BASE,
  nl: { ...BASE, ё: 'jo', ж: 'zj', й: 'j', у: 'oe', х: 'ch', ч: 'tsj', ш: 'sj', щ: 'sjtsj', ю: 'joe', я: 'ja' },
  de: {
    ...BASE,
    в: 'w',
    ё: 'jo',
    ж: 'sch',
    з: 's',
    й: 'i',
    х: 'ch',
    ц: 'z',
    ч: 'tsch',
    ш: 'sch',
    щ: 'schtsch',
    ю: 'ju',
    я: 'ja',
  },
  kk2021: {
    ...BASE,
    ә: 'ä',
    ғ: 'ğ',
    ё: 'io',
    ж: 'j',
    й: 'i',
    і: 'ı',
    қ: 'q',
    ң: 'ñ',
    ө: 'ö',
    ұ: 'ū',
    ү: 'ü',
    х: 'h',
    ш: 'ş',
    щ: 'şş',
    ы: 'y',
    ю: 'iu',
    я: 'ia',
  },
};

const VOWELS = new Set([...'аеёиоуыэюяәөұүі']);

/**
 * Transliterates Cyrillic text letter by letter in one habit: `е` is `ye`/`je` at the start of a
 * word and after a vowel (English, Dutch, German), German writes `с` between vowels `ss` and
 * `-ев` at the end of a word `-ew` ("Nasarbajew"), Dutch and German write `й` before a vowel `j`.
 */
export function transliterate(text: string, habit: Habit): string {
  const table = HABITS[habit];
  const lower = text.toLowerCase();
  let out = '';
  for (let i = 0; i < text.length; i += 1) {
    const ch = lower[i]!;
    const prev = i > 0 ? lower[i - 1]! : ' ';
    const next = lower[i + 1] ?? ' ';
    let latin = table[ch];
    if (latin === undefined) {
      out += text[i];
      continue;
    }
    const wordStart = !/\p{L}/u.test(prev);
    if (ch === 'е' && habit !== 'kk2021' && (wordStart || VOWELS.has(prev))) latin = habit === 'en' ? 'ye' : 'je';
    if (ch === 'й' && habit === 'de' && VOWELS.has(next)) latin = 'j';
    if (ch === 'с' && habit === 'de' && VOWELS.has(prev) && VOWELS.has(next)) latin = 'ss';
    const upper = text[i] !== ch;
    out += upper && latin.length > 0 ? latin[0]!.toUpperCase() + latin.slice(1) : latin;
  }
  return out;
}

function mapLetters(text: string, map: (lower: string) => string | undefined): string {
  let out = '';
  for (const c of text) {
    const lower = c.toLowerCase();
    const mapped = map(lower);
    out += mapped === undefined ? c : c === lower ? mapped : mapped.toUpperCase();
  }
  return out;
}

/**
 * A typo as people make them, in the longest word of `name` (deterministic for a given `r`, a
 * number in [0, 1)): two inner letters swapped, one letter replaced by the next in the alphabet, or one
 * letter dropped. (A doubled letter would be no test: the search keys fold doubled letters.)
 */
export function typo(name: string, r: number): string {
  const words = name.split(' ');
  let longest = 0;
  words.forEach((w, i) => {
    if (w.length > words[longest]!.length) longest = i;
  });
  const word = words[longest]!;
  if (word.length < 5) return name;
  const at = 1 + (Math.floor(r * 1000) % (word.length - 3));
  const kind = Math.floor(r * 3);
  let changed: string;
  if (kind === 0) changed = word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
  else if (kind === 1) changed = word.slice(0, at) + String.fromCharCode(word.charCodeAt(at) + 1) + word.slice(at + 1);
  else changed = word.slice(0, at) + word.slice(at + 1);
  words[longest] = changed;
  return words.join(' ');
}
