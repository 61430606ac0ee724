import { ValidateBy, type ValidationOptions } from 'class-validator';
import { Money } from '../money/money.js';

/**
 * A money amount on the wire (DESIGN §3): a decimal string, > 0 (or >= 0 with allowZero), at
 * most 16 integer digits and 2 decimals. A JSON number fails.
 */
export function IsMoneyAmount(
  options: { allowZero?: boolean } = {},
  validation?: ValidationOptions,
): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isMoneyAmount',
      validator: {
        validate: (value: unknown) => Money.isWireAmount(value, options),
        // The limits are stated, so a caller with an oversized amount learns what fits.
        defaultMessage: (args) =>
          `${args?.property ?? 'amount'} must be a decimal string of at most 16 integer digits and 2 decimals${options.allowZero ? '' : ', greater than zero'} (e.g. "100.00"; largest "9999999999999999.99")`,
      },
    },
    validation,
  );
}
