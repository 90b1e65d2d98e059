import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtraModels, ApiHeader, ApiOkResponse, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from './problem-details.js';

const problemSchema = {
  type: 'object',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    requestId: { type: 'string' },
    errors: {
      type: 'array',
      items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } },
    },
  },
};

const problemResponse = (status: number, description: string) =>
  ApiResponse({ status, description, content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema } } });

/** Documents the RFC 9457 error responses every route can give. */
export const ApiProblems = () =>
  applyDecorators(
    problemResponse(400, 'Invalid input: `errors` names each bad field.'),
    problemResponse(401, 'No valid `Authorization: Bearer` token or API key.'),
    problemResponse(403, 'The role or API key scope does not allow this.'),
    problemResponse(404, 'Unknown or archived id.'),
    problemResponse(413, 'Body larger than 1 MB.'),
  );

/** Documents `ETag` on responses and, for writes, the required `If-Match` guard. */
export const ApiVersionedRecord = (
  options: { type?: Type<unknown>; ifMatch?: boolean; returnsRecord?: boolean } = {},
) =>
  applyDecorators(
    ...(options.ifMatch
      ? [
          ApiHeader({
            name: 'If-Match',
            required: true,
            description: 'The `ETag` you read; the change is refused with 412 if the record has changed since.',
          }),
          problemResponse(428, 'No `If-Match`: send the `ETag` of the version you read.'),
          problemResponse(
            412,
            'The record has changed since the `If-Match` version; `currentVersion` says which it is now.',
          ),
        ]
      : []),
    ...(options.returnsRecord === false
      ? []
      : [ApiResponse({ status: 200, type: options.type, description: 'The record; `ETag` carries its version.' })]),
  );

/** Documents a cursor-paginated list of `model`: `{"items": [...], "nextCursor": string | null}`. */
export const ApiPage = (model: Type<unknown>) =>
  applyDecorators(
    ApiExtraModels(model),
    ApiOkResponse({
      description: 'One page; pass `nextCursor` back as `cursor` for the next one (null on the last page).',
      schema: {
        type: 'object',
        required: ['items', 'nextCursor'],
        properties: {
          items: { type: 'array', items: { $ref: getSchemaPath(model) } },
          nextCursor: { type: 'string', nullable: true },
        },
      },
    }),
  );
