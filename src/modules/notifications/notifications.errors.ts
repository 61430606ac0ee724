import { ConflictError, ValidationFailedError } from '../../common/errors/domain-error.js';

export class BadCursorError extends ValidationFailedError {
  constructor() {
    super([{ field: 'cursor', problems: ['is not a cursor we issued'] }]);
  }
}

export class WebhookUrlRejectedError extends ValidationFailedError {
  constructor(problem: string) {
    super([{ field: 'url', problems: [`url ${problem}`] }], 'This webhook URL is not accepted.');
  }
}

export class WebhookLimitReachedError extends ConflictError {
  constructor(limit: number) {
    super('WEBHOOK.LIMIT_REACHED', `A founder may have at most ${limit} webhook endpoints.`, {
      limit,
    });
  }
}
