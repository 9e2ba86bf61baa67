/**
 * Feed dates (RFC 822/1123 and their real-world variants, ISO 8601 / RFC 3339, W3CDTF) parsed
 * by explicit grammars. Never `new Date(text)` / `Date.parse(text)` on feed text: V8 rolls
 * 30 February over to 2 March, reads offset-less times as the user's local time, and guesses
 * at anything (HOSTILE-INPUTS.md §45).
 */

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;

/** Month names in lower case, January first. */
export const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/**
 * Zone names in offset hours: RFC 822's, plus a few common ones seen in feeds. A `Map`, so
 * that feed text such as `constructor` finds nothing.
 */
const NAMED_ZONES: ReadonlyMap<string, number> = new Map(
  (
    'ut0 utc0 gmt0 z0 edt-4 est-5 cdt-5 cst-6 mdt-6 mst-7 pdt-7 pst-8 akdt-8 akst-9 hst-10 ' +
    'wet0 west1 bst1 cet1 cest2 met1 mest2 eet2 eest3 msk3 jst9 kst9 aest10 aedt11 nzst12 nzdt13'
  )
    .split(' ')
    .map((zone) => {
      const at = zone.search(/[-\d]/);
      return [zone.slice(0, at), Number(zone.slice(at))] as const;
    }),
);

/**
 * Parses a feed date to milliseconds since the epoch (UTC), or `undefined` when the text is
 * no date or an impossible one (30 February, hour 25). A date without a zone is read as UTC.
 */
export function parseFeedDate(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > 100) return undefined;
  if (/^\d{4}/.test(trimmed)) return parseIsoDate(trimmed);
  return parseCanonicalRfc1123(trimmed) ?? parseRfc822Date(trimmed);
}

/** RFC 1123 as most generators write it: `Mon, 02 Mar 2026 18:05:00 GMT` or `… +0100`. */
const CANONICAL_RFC1123 =
  /^(?:[A-Za-z]{3}, )?(\d{1,2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) (GMT|UTC|UT|Z|[+-]\d{4})$/;

/** The common case in one regular expression; anything else goes to `parseRfc822Date`. */
function parseCanonicalRfc1123(text: string): number | undefined {
  const match = CANONICAL_RFC1123.exec(text);
  if (!match) return undefined;
  const [, day, monthName = '', year, hour, minute, second, zone = ''] = match;
  const month = monthOf(monthName.toLowerCase());
  const offset = parseZone(zone);
  if (month === undefined || offset === undefined) return undefined;
  return build(
    Number(year),
    month,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
    0,
    offset,
  );
}

const ISO_DATE =
  /^(\d{4})(?:-?(\d{2})(?:-?(\d{2})(?:(?:t|\s+)(\d{2}):?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?\s*(z|[+-]\d{2}(?::?\d{2})?)?)?)?)?$/i;

/** ISO 8601 / RFC 3339 / W3CDTF, including the partial dates `2003` and `2003-12`. */
function parseIsoDate(text: string): number | undefined {
  const match = ISO_DATE.exec(text);
  if (!match) return undefined;
  const [, year, month = '1', day = '1', hour = '0', minute = '0', second = '0', fraction, zone] =
    match;
  const offset = zone === undefined ? 0 : parseZone(zone);
  if (offset === undefined) return undefined;
  const millis = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  return build(
    Number(year),
    Number(month),
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
    millis,
    offset,
  );
}

const TIME = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(?:(am|pm)|(z|[+-]\d{2}:?\d{2}))?$/i;
const DAY_MONTH_YEAR = /^(\d{1,2})-([a-z]{3,})-(\d{2,4})$/i;

/**
 * RFC 822 / RFC 1123 and the variants feeds really send: weekday missing or misspelled,
 * month before day (`May 25 2020`), two-digit years, missing seconds, 12-hour clocks
 * (`10:04:03 AM`), named, numeric or military zones, or none.
 */
function parseRfc822Date(text: string): number | undefined {
  const tokens = text
    .replace(/\([^)]*\)/g, ' ')
    .replace(/[,]/g, ' ')
    .trim()
    .split(/\s+/)
    .flatMap((token) => {
      const parts = DAY_MONTH_YEAR.exec(token);
      return parts ? parts.slice(1) : [token];
    });

  let day: number | undefined;
  let month: number | undefined;
  let year: number | undefined;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let meridiem: string | undefined;
  let offset: number | undefined;
  let sawTime = false;

  for (const [index, token] of tokens.entries()) {
    const time = TIME.exec(token);
    if (time) {
      if (sawTime) return undefined;
      sawTime = true;
      hour = Number(time[1]);
      minute = Number(time[2]);
      second = Number(time[3] ?? 0);
      if (time[4]) meridiem = time[4].toLowerCase();
      if (time[5]) {
        offset = parseZone(time[5]);
        if (offset === undefined) return undefined;
      }
      continue;
    }
    if (/^\d+$/.test(token)) {
      if (day === undefined && token.length <= 2 && year === undefined) day = Number(token);
      else if (year === undefined) year = expandYear(token);
      else return undefined;
      continue;
    }
    if (/^[+-]\d{2}:?\d{2}$/.test(token) && sawTime) {
      offset = parseZone(token);
      if (offset === undefined) return undefined;
      continue;
    }
    if (/^[a-z]+\.?$/i.test(token)) {
      const word = token.toLowerCase().replace(/\.$/, '');
      const monthIndex = monthOf(word);
      if (month === undefined && monthIndex !== undefined) {
        month = monthIndex;
      } else if ((word === 'am' || word === 'pm') && sawTime) {
        meridiem = word;
      } else if (sawTime && offset === undefined) {
        // An unknown zone name (`IST` is three different zones) is read as UTC: a date a few
        // hours off sorts better than no date at all.
        offset = parseZone(word) ?? 0;
      } else if (index !== 0) {
        return undefined;
      }
      // Otherwise the leading weekday: ignored, whatever its spelling or correctness.
      continue;
    }
    return undefined;
  }

  if (day === undefined || month === undefined || year === undefined) return undefined;
  if (meridiem !== undefined) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (meridiem === 'pm' ? 12 : 0);
  }
  return build(year, month, day, hour, minute, second, 0, offset ?? 0);
}

/** 1-12 for a month name or its abbreviation of three letters or more (`Sept`, `March`). */
function monthOf(word: string): number | undefined {
  if (word.length < 3) return undefined;
  const index = MONTHS.findIndex((name) => name.startsWith(word));
  return index === -1 ? undefined : index + 1;
}

/** RFC 822 two-digit years: 00-49 → 20xx, 50-99 → 19xx (RFC 5322 §4.3); three digits + 1900. */
function expandYear(token: string): number {
  const value = Number(token);
  if (token.length === 2) return value < 50 ? 2000 + value : 1900 + value;
  if (token.length === 3) return 1900 + value;
  return value;
}

/** Offset in milliseconds for `Z`, `+hh:mm`, `-hhmm`, `+hh`, a zone name or a military letter. */
function parseZone(zone: string): number | undefined {
  const lower = zone.toLowerCase();
  const numeric = /^([+-])(\d{2}):?(\d{2})?$/.exec(lower);
  if (numeric) {
    const hours = Number(numeric[2]);
    const minutes = Number(numeric[3] ?? 0);
    if (hours > 23 || minutes > 59) return undefined;
    return (numeric[1] === '-' ? -1 : 1) * (hours * HOUR + minutes * MINUTE);
  }
  const named = NAMED_ZONES.get(lower);
  if (named !== undefined) return named * HOUR;
  return militaryZone(lower);
}

/**
 * RFC 822 military zones: A-I = +1..+9, K-M = +10..+12, N-Y = -1..-12, Z = 0. RFC 1123 notes
 * their signs were specified backwards and advises treating them as 0 unless known; feeds
 * that use them follow RFC 822's table, which is what we do.
 */
function militaryZone(letter: string): number | undefined {
  if (!/^[a-ik-z]$/.test(letter)) return undefined;
  const code = letter.charCodeAt(0);
  if (letter === 'z') return 0;
  if (letter <= 'i') return (code - 96) * HOUR;
  if (letter <= 'm') return (code - 97) * HOUR;
  return -(code - 109) * HOUR;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Validates every field (no rolling over) and builds the instant with `Date.UTC`. */
function build(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millis: number,
  offset: number,
): number | undefined {
  // Years below 1000 are garbage in feeds (`0000-00-00`), and Date.UTC maps 0-99 to 19xx.
  if (year < 1000 || year > 9999) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  const endOfDay = hour === 24 && minute === 0 && second === 0 && millis === 0;
  if ((hour > 23 && !endOfDay) || minute > 59 || second > 60) return undefined;
  // A leap second (:60) is read as the next second's instant, which is as close as ms get.
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offset;
}
