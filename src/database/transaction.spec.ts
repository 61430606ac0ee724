import { describe, expect, it } from '@jest/globals';
import { returnedRows } from './transaction.js';

describe('returnedRows', () => {
  it('unwraps the [rows, rowCount] answer TypeORM gives for UPDATE/DELETE ... RETURNING', () => {
    expect(returnedRows([[], 0])).toEqual([]);
    expect(returnedRows([[{ a: 1 }], 1])).toEqual([{ a: 1 }]);
  });

  it('leaves a plain SELECT/INSERT answer alone', () => {
    expect(returnedRows([{ a: 1 }, { a: 2 }])).toEqual([{ a: 1 }, { a: 2 }]);
    expect(returnedRows([])).toEqual([]);
  });
});
