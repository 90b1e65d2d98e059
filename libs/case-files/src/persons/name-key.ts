/**
 * Search keys for person names: one canonical, phonetic-ish Latin spelling per name, so that the
 * spellings of one name in Kazakh and Russian Cyrillic, in the English, Dutch, German and French
 * transliteration habits, and in the Kazakh Latin alphabets (2017 apostrophes, 2018 acutes, 2021
 * diacritics) meet on one key or on keys a trigram or two apart. Word order does not count: the
 * folded words are sorted. Pure, and the same in the write path, the migration and the query.
 *
 * The folding deliberately merges sounds that the habits spell alike (recall first; ranking puts
 * the exact spelling first):
 * - `ж` and the y-glide (`й`, consonantal `y`/`j`/`i` before a vowel) are one letter `j`: Latin `j`
 *   is `ж` in English, French and Kazakh Latin ("Janbolat", "Jovtis", "Guljan") and the y-glide in
 *   Dutch and German ("Jelena", "Iljas", "Marija"), and no rule could tell them apart;
 * - `ш`, `щ`, `ч` and `х` are one letter `h`: `ch` is `ч` in English, `х` in German and Dutch and `ш`
 *   in French ("Chokan", "Chymkent"); `sh`, `sch`, `sj`, `kh`, `tsch`, `tch`, `tsj`, `shch` all fold;
 * - `z` and `s` (German writes `з` as `s`: "Nasarbajew", "Kassymkysy"), `q`/`k`, `w`/`v`, `ng`/`n`
 *   (`ң`), the vowels `ы`, `і`, `и`, `ı` and non-glide `y` (all `i`), `ә`/`a`, `ө`/`o`, `ұ`/`ү`/`u`,
 *   Dutch `oe` and French `ou` (`u`), and doubled letters.
 */

/** Kazakh and Russian (and the few Ukrainian and Belarusian) Cyrillic letters, in Latin. */
const CYRILLIC: Record<string, string> = {
  а: 'a',
  ә: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  ғ: 'g',
  ґ: 'g',
  д: 'd',
  е: 'e',
  є: 'ye',
  ё: 'yo',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'y',
  і: 'i',
  ї: 'yi',
  к: 'k',
  қ: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  ң: 'ng',
  о: 'o',
  ө: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ұ: 'u',
  ү: 'u',
  ў: 'u',
  ф: 'f',
  х: 'kh',
  һ: 'h',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
};

/**
 * Latin letters whose diacritic changes the sound (so stripping it would lose it), as the
 * digraph the rest of the folding understands. Other diacritics (é, ï, á...) are stripped.
 * `ý` is the Kazakh 2018 `у`; `ç` the Kazakh 2021 and Turkish `ч`.
 */
const LATIN_SPECIAL: Record<string, string> = {
  ž: 'zh',
  ʒ: 'zh',
  š: 'sh',
  ş: 'sh',
  ș: 'sh',
  č: 'ch',
  ç: 'ch',
  ć: 'ch',
  ğ: 'g',
  ǵ: 'g',
  ñ: 'ng',
  ń: 'ng',
  ı: 'i',
  ý: 'u',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
};

/** Apostrophe-like characters: joined, not separators ("Jan'bolat", "Ol'ga", Kazakh 2017 `a'`). */
const APOSTROPHES = /['’ʼʻ`´‘ʹ]/gu;

/**
 * Spacing accents, written on their own rather than over a letter: often typed for an apostrophe
 * ("Jan´bolat", with the acute accent key of a German or French keyboard). NFKD would turn each
 * into a space and a combining mark (split the word, then drop the mark), so they are read as
 * apostrophes before it: the acute `´` (U+00B4; its Greek twins fold to it or like it), the
 * diaeresis, macron, cedilla, breve, dot above, ring, ogonek, tilde and double acute, the Greek
 * breathings and their combinations; and the modifier letters acute and grave `ˊ` `ˋ` (U+02CA,
 * U+02CB), which NFKD keeps and would leave in the key. As an apostrophe after `s` or `c` it
 * makes `ш`/`ч`, as a cedilla there should (`S¸ymkent` is Şymkent).
 */
const SPACING_ACCENTS =
  /[\u00a8\u00af\u00b4\u00b8\u02ca\u02cb\u02d8-\u02dd\u0384\u0385\u1fbd\u1fbf-\u1fc1\u1fcd-\u1fcf\u1fdd-\u1fdf\u1fed-\u1fef\u1ffd\u1ffe]/gu;

/**
 * Digraphs and single letters, longest first. Upper-case letters are placeholders that no input
 * reaches (the input is lower-cased first): `Z` is `ж`, `X` the `ш`/`щ`/`ч`/`х` class.
 */
const LATIN_FOLDS: Array<[RegExp, string]> = [
  [/s'|c'/g, 'X'], // Kazakh Latin 2017: s' = ш, c' = ч (before the apostrophes are dropped)
  [/shch|tsch|sch|tsj|tch|sh|sj|ch|kh/g, 'X'],
  [/dzh|dzj|dž|zh|zj|dj/g, 'Z'],
  [/gh/g, 'g'],
  [/ph/g, 'f'],
  [/h/g, 'X'],
  [/c(?=[eiy])/g, 'ts'],
  [/c/g, 'k'],
  [/q/g, 'k'],
  [/x/g, 'ks'],
  [/w/g, 'v'],
  [/oe|ou/g, 'u'],
  [/ng+/g, 'n'],
  [/^u(?=[aeio])/, 'v'], // Kazakh initial у before a vowel is [w]: "Ualikhanov" = "Valikhanov"
  [/z/g, 's'],
];

const VOWEL = /[aeou]/;

/** Folds one word (lower case, Cyrillic already in Latin, no separators) to its key form. */
function foldWord(word: string): string {
  let w = word.replace(APOSTROPHES, (m, offset: number) => (/[sc]/.test(word[offset - 1] ?? '') ? "'" : ''));
  for (const [pattern, replacement] of LATIN_FOLDS) w = w.replace(pattern, replacement);
  w = w.replace(/'/g, '');
  // A word-initial `e`, and `e` after a vowel, carry the glide ("Erlan" = "Yerlan", "Mamaev" = "Mamayev").
  w = w.replace(/(^|[aeiouy])e/g, '$1je');
  // Runs of i / y / j: a glide (`j`) before a vowel, the vowel `i` elsewhere; `ж` + `ы` keeps both.
  w = w.replace(/[iyj]+/g, (run: string, offset: number) => {
    const next = w[offset + run.length];
    if (next !== undefined && VOWEL.test(next)) return 'j';
    return run.length > 1 && run.startsWith('j') && !run.startsWith('jj') ? 'ji' : 'i';
  });
  w = w.replace(/Z/g, 'j').replace(/X/g, 'h');
  return w.replace(/(\p{L})\1+/gu, '$1');
}

/** Longest search key a query is cut to (at a word boundary): longer ones add nothing. */
export const MAX_QUERY_KEY_LENGTH = 200;

/**
 * The search key of a name: its words folded (see above), sorted and joined by one space, or ''
 * when the name has no letters or digits. `%`, `_` and other punctuation never reach the key.
 */
export function nameKey(value: string): string {
  const lower = value.normalize('NFC').toLowerCase().replace(SPACING_ACCENTS, "'");
  let latin = '';
  for (const ch of lower) latin += CYRILLIC[ch] ?? LATIN_SPECIAL[ch] ?? ch;
  // Strip the remaining diacritics (é → e), keep the apostrophes (joined in foldWord).
  const plain = latin.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  const words = plain
    .split(/[^\p{L}\p{N}'’ʼʻ`´‘ʹ]+/u)
    .map((w) => foldWord(w.replace(/^['’ʼʻ`´‘ʹ]+|['’ʼʻ`´‘ʹ]+$/gu, '')))
    .filter((w) => w !== '');
  return [...new Set(words)].sort().join(' ');
}

/** The key of a search query: `nameKey`, cut to `MAX_QUERY_KEY_LENGTH` at a word boundary. */
export function queryKey(query: string): string {
  const key = nameKey(query.slice(0, 4 * MAX_QUERY_KEY_LENGTH));
  if (key.length <= MAX_QUERY_KEY_LENGTH) return key;
  const cut = key.slice(0, MAX_QUERY_KEY_LENGTH + 1);
  const space = cut.lastIndexOf(' ');
  return space > 0 ? cut.slice(0, space) : cut.slice(0, MAX_QUERY_KEY_LENGTH);
}
