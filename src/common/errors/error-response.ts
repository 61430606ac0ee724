import { HttpException } from '@nestjs/common';
import { DomainError, type ErrorDetails } from './domain-error.js';
import { STATUS_OF_KIND } from './error-status.js';

export interface ErrorBody {
  error: { code: string; message: string; details?: ErrorDetails; requestId?: string };
}

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  /** True for failures the platform did not foresee: logged with their stack, answered without internals. */
  unexpected: boolean;
}

const CODE_OF_STATUS: Record<number, string> = {
  400: 'VALIDATION_FAILED',
  401: 'AUTH.UNAUTHENTICATED',
  403: 'AUTH.FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  408: 'REQUEST_TIMEOUT',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  431: 'HEADERS_TOO_LARGE',
  503: 'SERVICE_UNAVAILABLE',
};

const MESSAGE_OF_STATUS: Record<number, string> = {
  400: 'The request is not valid.',
  401: 'Authentication is required.',
  403: 'You may not do this.',
  404: 'Not found.',
  405: 'Method not allowed.',
  408: 'The request took too long to arrive.',
  413: 'The request body is too large.',
  414: 'A part of the URL is too long.',
  415: 'Unsupported content type; send application/json.',
  429: 'Too many requests; slow down and try again later.',
  431: 'The request line or headers are too large.',
  503: 'The service cannot reach what it depends on; try again shortly.',
};

interface FrameworkError {
  statusCode: number;
  code?: string;
}

function isFrameworkError(e: unknown): e is FrameworkError {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { statusCode?: unknown }).statusCode === 'number'
  );
}

/**
 * Maps anything thrown while serving a request to the error body of DESIGN §7. Messages of
 * framework errors are replaced by fixed text, so nothing internal (or personal) leaks.
 */
export function toErrorResponse(e: unknown, requestId?: string): ErrorResponse {
  let status: number;
  let code: string;
  let message: string;
  let details: ErrorDetails | undefined;
  if (e instanceof DomainError) {
    status = STATUS_OF_KIND[e.kind];
    code = e.code;
    message = e.message;
    details = e.details;
  } else {
    const frameworkStatus =
      e instanceof HttpException ? e.getStatus() : isFrameworkError(e) ? e.statusCode : 500;
    status = frameworkStatus in CODE_OF_STATUS ? frameworkStatus : 500;
    code = CODE_OF_STATUS[status] ?? 'INTERNAL_ERROR';
    message = MESSAGE_OF_STATUS[status] ?? 'Something went wrong on our side; it has been logged.';
    if (status === 400 && isFrameworkError(e) && e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      message = 'The request body is empty.';
    } else if (status === 400 && isFrameworkError(e) && e.code === 'FST_ERR_BAD_URL') {
      message = 'The URL is not valid (a bad percent-encoding).';
    } else if (status === 400 && !(e instanceof HttpException)) {
      message = 'The request body is not valid JSON.';
    }
  }
  const body: ErrorBody = { error: { code, message } };
  if (details !== undefined) body.error.details = details;
  if (requestId !== undefined) body.error.requestId = requestId;
  return { status, body, unexpected: status === 500 };
}
