import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsObject, ValidateNested } from 'class-validator';

/**
 * Each element of an array field is an object of `type`, validated as one. `@ValidateNested` alone
 * lets an element that is itself an array through unchecked (`evidence: [[]]` was accepted: the
 * API fuzz, seed 1236162347), so every element must also be a plain object.
 */
export function ValidateEach(type: () => new () => object): PropertyDecorator {
  return applyDecorators(IsObject({ each: true }), ValidateNested({ each: true }), Type(type));
}
