import { isSupportedCountry } from 'libphonenumber-js/max';
import { z } from 'zod';

/** Field schemas shared by several routes, so a rule (what a username is) is stated once. */
export const Username = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9._@-]{3,64}$/, '3-64 letters, digits or . _ @ -');

export const Password = z.string().min(10, 'at least 10 characters').max(200);

export const Country = z
  .string()
  .regex(/^[A-Z]{2}$/, 'ISO 3166 alpha-2, e.g. RO')
  .refine((c) => isSupportedCountry(c), 'a country with a known numbering plan');

export const TimeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'an IANA time zone, e.g. Europe/Bucharest');

/** A decimal amount of money as a string ("10.50") or a number with at most 4 decimals. */
export const Amount = z.union([z.string(), z.number()]).describe('Decimal amount, e.g. "10.50"');

export const Email = z.email().max(254);
