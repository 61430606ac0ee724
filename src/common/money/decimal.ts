import DecimalDefault from 'decimal.js';
import type { Decimal as DecimalClass } from 'decimal.js';

/**
 * decimal.js ships an ES module whose default export is the class, with CommonJS-style typings; under
 * `nodenext` TypeScript types that default import as the module object. This re-exports the class
 * with its proper type, so the rest of the code imports `Decimal` from here.
 */
export const Decimal = DecimalDefault as unknown as typeof DecimalClass;
export type Decimal = DecimalClass;
export type DecimalValue = DecimalClass.Value;
export type DecimalRounding = DecimalClass.Rounding;
