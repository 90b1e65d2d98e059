import { describe, expect, it } from '@jest/globals';
import { MAX_QUERY_KEY_LENGTH, nameKey, queryKey } from './name-key.js';

/**
 * Spellings of one name that must share one key: Kazakh and Russian Cyrillic, English (BGN-like),
 * Dutch, German and French transliteration, Kazakh Latin 2017 (apostrophes), 2018 (acutes) and
 * 2021 (diacritics), other word orders. The first of each row is the key's source.
 */
const SAME_KEY: Array<[string, string[]]> = [
  [
    'Zhanbolat Mamay',
    [
      'Жанболат Мамай',
      'Жаңболат Мамай',
      'Mamay Zhanbolat',
      'Mamai Janbolat',
      'Žanbolat Mamaj',
      'Zjanbolat Mamaj',
      'Dzhanbolat Mamai',
      'Jañbolat Mamai',
      "Jan'bolat Mamai",
      'Jan´bolat Mamai',
      'Jańbolat Mamaı',
      'ZHANBOLAT  MAMAY',
      'Mamay-Zhanbolat',
    ],
  ],
  ['Zhovtis', ['Жовтис', 'Jovtis', 'Zjovtis', 'Žovtis']],
  ['Yevgeniy Zhovtis', ['Евгений Жовтис', 'Jevgenij Zjovtis', 'Evgeni Jovtis', 'Yevgeni Zhovtis']],
  ['Imanbay', ['Иманбай', 'Imanbai', 'Imanbaj', 'Imanbaï']],
  ['Kassymkyzy', ['Қасымқызы', 'Касымкызы', 'Kasymkyzy', 'Qasymqyzy', 'Qasımqızı', 'Kassymkysy']],
  ['Aigerim Kassymkyzy', ['Айгерім Қасымқызы', 'Qasymqyzy Aıgerim', 'Ajgerim Kassymkyzy', 'Aygerim Kasymkyzy']],
  ['Yerlan', ['Ерлан', 'Erlan', 'Jerlan', 'Ierlan']],
  ['Nursultan', ['Нұрсұлтан', 'Нурсултан', 'Noersoeltan', 'Noursoultan', 'Nūrsūltan']],
  ['Akhmetov', ['Ахметов', 'Achmetov', 'Achmetow', 'Ahmetov', 'Akhmetow', 'Aхметов']],
  ['Shymkent', ['Шымкент', 'Schymkent', 'Şymkent', 'Chymkent', 'Sjymkent', 'Chimkent', "S'ymkent"]],
  ['Shcherbakov', ['Щербаков', 'Schtscherbakow', 'Chtcherbakov', 'Sjtsjerbakov']],
  ['Shokan Valikhanov', ['Шоқан Уәлиханов', 'Chokan Valikhanov', 'Schokan Walichanow', 'Shoqan Ualikhanov']],
  ['Shyngys', ['Шыңғыс', 'Şyñğys', 'Chingiz', 'Tschingis', 'Shynghys']],
  ['Kuanysh', ['Қуаныш', 'Kouanych', 'Quanyş', 'Kuanysch']],
  ['Zhaksylyk', ['Жақсылық', 'Jaqsylyq', 'Dzjaksylyk', 'Žaqsylyq']],
  ['Kazhygeldin', ['Қажыгелдин', 'Kajygeldin', 'Kazjygeldin']],
  ['Gulzhan', ['Гүлжан', 'Гульжан', 'Guljan', "Gül'jan", 'Gulzjan', 'Gülžan']],
  ['Yelena', ['Елена', 'Jelena', 'Elena', 'Ielena']],
  ['Yuriy', ['Юрий', 'Yuri', 'Iouri', 'Joeri', 'Juri', 'Jurij', 'Iurii']],
  ['Mariya', ['Мария', 'Maria', 'Marija', 'Mariia']],
  ['Ilyas', ['Ильяс', 'Iljas', 'Ilias', "Il'yas", 'İlyas']],
  ['Aleksey', ['Алексей', 'Aleksei', 'Alexey', 'Aleksej', 'Alexei']],
  ['Mamayev', ['Мамаев', 'Mamaev', 'Mamajev', 'Mamajew']],
  ['Nazarbayev', ['Назарбаев', 'Nasarbajew', 'Nazarbaïev', 'Nazarbaev']],
  ['Kairat', ['Қайрат', 'Qairat', 'Kajrat', 'Kayrat', 'Qaırat']],
  ['Tsoy', ['Цой', 'Tsoi', 'Tsoj', 'Tzoi']],
  ['Pyotr', ['Пётр', 'Piotr', 'Pjotr']],
  ['Äset', ['Әсет', 'Aset', "A'set", 'Áset', 'Asset']],
  ['Ğalym', ['Ғалым', 'Galym', 'Ghalym', "G'alym", 'Ǵalym']],
  ['Öskemen', ['Өскемен', 'Oskemen', "O'skemen", 'Óskemen']],
  ['Ülken', ['Үлкен', 'Ulken', 'Úlken']],
  ['Ūlan', ['Ұлан', 'Ulan']],
  ['Hasen', ['Һасен', 'Khasen', 'Chasen', 'Hasen']],
];

/** Spellings one or two letters apart: close keys (the trigram similarity finds them). */
const CLOSE_KEY: Array<[string, string]> = [
  ['Zhanbolat Mamay', 'Dzjanboelat Mamai'],
  ['Zhanbolat', 'Schanbolat'],
  ['Tsoy', 'Zoi'],
  ['Pyotr', 'Petr'],
];

/** Keys that must differ: the folding does not merge everything. */
const DIFFERENT: Array<[string, string]> = [
  ['Mamay', 'Mamayev'],
  ['Bolat', 'Bulat'],
  ['Asel', 'Azamat'],
  ['Yerlan', 'Nurlan'],
];

/** Levenshtein distance, to say "close". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

describe('nameKey', () => {
  describe.each(SAME_KEY)('%s', (source, spellings) => {
    it.each(spellings)('has the key of %s', (spelling) => {
      expect(nameKey(spelling)).toBe(nameKey(source));
    });
  });

  it.each(CLOSE_KEY)('keeps %s and %s one or two letters apart', (a, b) => {
    expect(distance(nameKey(a), nameKey(b))).toBeLessThanOrEqual(2);
  });

  it.each(DIFFERENT)('keeps %s and %s apart', (a, b) => {
    expect(nameKey(a)).not.toBe(nameKey(b));
  });

  it('sorts the words, drops repeats, and folds to plain lower-case Latin', () => {
    expect(nameKey('Жанболат Мамай')).toBe('janbolat mamai');
    expect(nameKey('Mamay  Zhanbolat Mamay')).toBe('janbolat mamai');
    expect(nameKey('Aigerim Kassymkyzy')).toMatch(/^[a-z ]+$/);
  });

  it('treats punctuation, % and _ as separators, never as part of the key', () => {
    expect(nameKey('%')).toBe('');
    expect(nameKey('_')).toBe('');
    expect(nameKey('\\')).toBe('');
    expect(nameKey('Mamay_Zhanbolat')).toBe(nameKey('Zhanbolat Mamay'));
    expect(nameKey('Mamay% (Zhanbolat)')).toBe(nameKey('Zhanbolat Mamay'));
    expect(nameKey('  ')).toBe('');
  });

  it('reads a spacing accent typed for an apostrophe as one, not as a space between two words', () => {
    expect(nameKey("Jan'bolat")).toBe('janbolat');
    // U+00B4 acute accent, U+02CA and U+02CB modifier letters, U+0384 Greek tonos, U+1FFD Greek oxia.
    for (const accent of ['\u00b4', '\u02ca', '\u02cb', '\u0384', '\u1ffd']) {
      expect(nameKey(`Jan${accent}bolat`)).toBe('janbolat');
      expect(nameKey(`Mamai Jan${accent}bolat`)).toBe(nameKey('Zhanbolat Mamay'));
    }
    // After s or c, as the apostrophe: a spacing cedilla or acute there is ş / ç.
    expect(nameKey('S\u00b8ymkent')).toBe(nameKey('Shymkent'));
    expect(nameKey('S\u00b4ymkent')).toBe(nameKey("S'ymkent"));
    // Other spacing accents join the word too (a diaeresis or tilde typed after the letter).
    expect(nameKey('Gu\u00a8ljan')).toBe(nameKey('Gulzhan'));
    expect(nameKey('Jan\u02dcbolat')).toBe('janbolat');
    // Alone, or at the ends of a word, they are nothing.
    expect(nameKey('\u00b4')).toBe('');
    expect(nameKey('\u00b4Aset\u00b4')).toBe(nameKey('Aset'));
  });

  it('keeps digits, and letters of other scripts lower-cased', () => {
    expect(nameKey('Prisoner 100')).toBe('100 prisoner');
    expect(nameKey('محمد')).toBe('محمد');
  });
});

describe('queryKey', () => {
  it('is nameKey for ordinary queries', () => {
    expect(queryKey('Dzjanboelat Mamai')).toBe(nameKey('Dzjanboelat Mamai'));
  });

  it('cuts long queries at a word boundary', () => {
    const words = Array.from({ length: 100 }, (_, i) => `Name${String.fromCharCode(97 + (i % 26))}${i}`);
    const key = queryKey(words.join(' '));
    expect(key.length).toBeLessThanOrEqual(MAX_QUERY_KEY_LENGTH);
    expect(key.split(' ').every((word) => nameKey(words.join(' ')).split(' ').includes(word))).toBe(true);
    expect(queryKey('x'.repeat(500)).length).toBeLessThanOrEqual(MAX_QUERY_KEY_LENGTH);
  });
});
