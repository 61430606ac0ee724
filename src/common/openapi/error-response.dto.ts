import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The body of every error answer (DESIGN §7; built by toErrorResponse in error-response.ts). */
export class ErrorDto {
  @ApiProperty({
    description:
      'Stable, machine-readable code (see each response for the codes it can carry); never changes for a given condition.',
    pattern: '^[A-Z][A-Z_]*(\\.[A-Z][A-Z_]*)*$',
    example: 'PLEDGE.LIMIT_EXCEEDED',
  })
  code: string;

  @ApiProperty({ description: 'For people; may change wording at any time.' })
  message: string;

  @ApiPropertyOptional({
    description:
      'Facts about this failure, by code (for example `fields` for VALIDATION_FAILED, `missing` for DISCLOSURE.ACKNOWLEDGEMENT_REQUIRED).',
    type: 'object',
    additionalProperties: true,
  })
  details?: Record<string, unknown>;

  @ApiProperty({
    description: 'The request id (also the `x-request-id` response header): quote it to support.',
    example: '0b1e5ad2-8b0e-4a5b-9d43-2a0f1c3e6a77',
  })
  requestId: string;
}

export class ErrorResponseDto {
  @ApiProperty({ type: ErrorDto }) error: ErrorDto;
}
