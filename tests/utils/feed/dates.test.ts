import { describe, expect, it } from 'vitest';
import { parseFeedDate } from '@/utils/feed/dates';

/**
 * The expected instant. Expectations are written in ECMAScript's own date-time format (always
 * with `Z`), which `Date.parse` reads exactly as specified; feed text never goes through it.
 */
const utc = (iso: string): number => Date.parse(iso);

describe('parseFeedDate', () => {
  describe('RFC 822 and the variants feeds send', () => {
    it.each([
      ['Thu, 01 Jan 2004 19:48:21 GMT', '2004-01-01T19:48:21Z'],
      ['Thu, 01 Jan 2004 19:48:21 UT', '2004-01-01T19:48:21Z'],
      ['Thu, 01 Jan 2004 19:48:21 Z', '2004-01-01T19:48:21Z'],
      ['Thu, 01 Jan 2004 19:48:21 +0000', '2004-01-01T19:48:21Z'],
      ['Thu, 01 Jan 2004 19:48:21 -0500', '2004-01-02T00:48:21Z'],
      ['Thu, 01 Jan 2004 19:48:21 +05:30', '2004-01-01T14:18:21Z'],
      ['Wed, 02 Oct 2002 08:00:00 EST', '2002-10-02T13:00:00Z'],
      ['Wed, 02 Oct 2002 08:00:00 EDT', '2002-10-02T12:00:00Z'],
      ['Wed, 02 Oct 2002 08:00:00 PST', '2002-10-02T16:00:00Z'],
      ['Wed, 02 Oct 2002 08:00:00 PDT', '2002-10-02T15:00:00Z'],
      ['Wed, 02 Oct 2002 13:00:00 A', '2002-10-02T12:00:00Z'],
      ['Wed, 02 Oct 2002 13:00:00 N', '2002-10-02T14:00:00Z'],
      ['Wed, 02 Oct 2002 13:00 GMT', '2002-10-02T13:00:00Z'],
      ['02 Oct 2002 13:00:00 GMT', '2002-10-02T13:00:00Z'],
      ['Wed, 02 Oct 02 13:00:00 GMT', '2002-10-02T13:00:00Z'],
      ['Sun, 06 Nov 94 08:49:37 GMT', '1994-11-06T08:49:37Z'],
      ['Sunday, 06-Nov-94 08:49:37 GMT', '1994-11-06T08:49:37Z'],
      ['Thurs, 01 Jan 2004 19:48:21 GMT', '2004-01-01T19:48:21Z'],
      ['Mon, 01 Jan 2004 19:48:21 GMT', '2004-01-01T19:48:21Z'],
      ['Mon, May 25 2020 04:45:26 +0000', '2020-05-25T04:45:26Z'],
      ['Fri, Jun 26 2026 10:04:03 AM', '2026-06-26T10:04:03Z'],
      ['Fri, Jun 26 2026 10:04:03 PM', '2026-06-26T22:04:03Z'],
      ['Fri, Jun 26 2026 12:04:03 AM', '2026-06-26T00:04:03Z'],
      ['Tue, 10 March 2026 09:30:00 GMT (Coordinated Universal Time)', '2026-03-10T09:30:00Z'],
      ['Tue, 10 Mar 2026', '2026-03-10T00:00:00Z'],
      ['  Tue, 10 Mar 2026 09:30:00 GMT  ', '2026-03-10T09:30:00Z'],
      ['Tue, 10 Sept 2026 09:30:00 GMT', '2026-09-10T09:30:00Z'],
      ['Tue, 10 Mar 2026 09:30:00 CEST', '2026-03-10T07:30:00Z'],
      ['Tue, 10 Mar 2026 09:30:00 XYZT', '2026-03-10T09:30:00Z'],
      ['Tue, 10 Mar 2026 09:30:00 constructor', '2026-03-10T09:30:00Z'],
    ])('reads "%s" as %s', (text, iso) => {
      expect(parseFeedDate(text)).toBe(utc(iso));
    });
  });

  describe('ISO 8601, RFC 3339 and W3CDTF', () => {
    it.each([
      ['2003-12-31T10:14:55Z', '2003-12-31T10:14:55Z'],
      ['2003-12-31T10:14:55z', '2003-12-31T10:14:55Z'],
      ['2003-12-31t10:14:55Z', '2003-12-31T10:14:55Z'],
      ['2003-12-31T10:14:55-08:00', '2003-12-31T18:14:55Z'],
      ['2003-12-31T10:14:55+0100', '2003-12-31T09:14:55Z'],
      ['2003-12-31T10:14:55.25Z', '2003-12-31T10:14:55.250Z'],
      ['2003-12-31T10:14:55.123456789Z', '2003-12-31T10:14:55.123Z'],
      ['2003-12-31T10:14Z', '2003-12-31T10:14:00Z'],
      ['2003-12-31 10:14:55', '2003-12-31T10:14:55Z'],
      ['2003-12-31T10:14:55', '2003-12-31T10:14:55Z'],
      ['20031231T101455Z', '2003-12-31T10:14:55Z'],
      ['2003-12-31', '2003-12-31T00:00:00Z'],
      ['2003-12', '2003-12-01T00:00:00Z'],
      ['2003', '2003-01-01T00:00:00Z'],
      ['2024-02-29', '2024-02-29T00:00:00Z'],
    ])('reads "%s" as %s', (text, iso) => {
      expect(parseFeedDate(text)).toBe(utc(iso));
    });
  });

  describe('impossible and garbage dates', () => {
    it.each([
      ['2021-02-30T10:00:00Z'],
      ['2023-02-29'],
      ['2021-13-01'],
      ['2021-04-31'],
      ['2021-01-01T25:00:00Z'],
      ['2021-01-01T10:61:00Z'],
      ['0000-00-00 00:00:00'],
      ['Sun, 30 Feb 2020 10:00:00 GMT'],
      ['Tue, 31 Jun 2020 10:00:00 GMT'],
      ['Tue, 10 Foo 2026 09:30:00 GMT'],
      ['Fri, Jun 26 2026 13:04:03 PM'],
      ['yesterday'],
      ['not a date at all'],
      [''],
      ['   '],
      ['2026-03-10T09:30:00+25:00'],
      ['Tue, 10 Mar 2026 09:30:00 +2500'],
      ['Tue, 10 Mayday 2026 09:30:00 GMT'],
      ['Tue, 10 Mar 2026 09:30:00 GMT toString'],
    ])('rejects "%s"', (text) => {
      expect(parseFeedDate(text)).toBeUndefined();
    });

    it('does not roll 30 February over to March the way Date does', () => {
      expect(parseFeedDate('2021-02-30')).toBeUndefined();
    });
  });
});
