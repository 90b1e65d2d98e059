import type { Actor } from '#common';
import { InvalidInputError } from '#common';
import {
  IMPORT_COLUMNS,
  IMPORT_MODES,
  ImportOptionsDto,
  ImportsService,
  ImportView,
  MAX_IMPORT_BYTES,
  PREFLIGHT_ROWS,
} from '#imports';
import { Body, Controller, Get, HttpCode, Post, Query, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor, RequireRole } from '../auth/auth.decorators.js';
import { ApiProblems } from '../http/openapi.js';
import { UuidParam } from '../http/uuid-param.js';
import type { StoredUpload } from './upload-storage.js';

const MAX_MB = MAX_IMPORT_BYTES / (1024 * 1024);

const COLUMNS_DOC = Object.entries(IMPORT_COLUMNS)
  .map(([name, meaning]) => `- \`${name}\`: ${meaning}`)
  .join('\n');

@ApiTags('imports')
@ApiProblems()
@Controller('imports')
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @Post()
  @HttpCode(202)
  @RequireRole('editor')
  @UseInterceptors(
    FileInterceptor('file', { limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 4, fieldSize: 1024 } }),
  )
  @ApiOperation({
    summary: 'Import persons, custody, cases and hearings from a CSV or XLSX file; the worker runs it',
    description:
      `Send the file as the multipart form field \`file\` (at most ${MAX_MB} MB: 413 beyond). It is recognised by its ` +
      'content, not its name: an XLSX workbook (first worksheet, first row the header) or CSV text in UTF-8 (a byte ' +
      'order mark is allowed; `,` or `;` between cells, read from the header line). Columns, in any order ' +
      `(only \`name\` is required; lists in one cell are separated by \`;\`):\n\n${COLUMNS_DOC}\n\n` +
      'Answered at once with **400** (problem+json, `errors` with `row`, `column` and `message`; the header is row 1), ' +
      'and nothing stored: a file that is neither (a damaged workbook, text that is not UTF-8, a broken quote), a ' +
      'header with an unknown, repeated or missing column, and, for a real `all-or-nothing` import, any problem the ' +
      `file itself shows in its first ${PREFLIGHT_ROWS} data rows (bad dates, unknown statuses or stages, zones, ` +
      'lengths). Otherwise **202** with the import: follow `GET /imports/{id}` until `status` is `done` or `failed`. ' +
      'The worker checks every row, also against the case files (external ids, sources, events, permissions, ' +
      'probable duplicates): with `dryRun` it writes nothing and reports every problem; an `all-or-nothing` import ' +
      'with any problem is `failed` with the problems listed and writes nothing; `skip-invalid` leaves those rows ' +
      'out. A row whose `external_id` is stored updates that person (only what differs: re-importing a file ' +
      'changes nothing); a row whose name and year of birth match a person already there is reported under ' +
      '`duplicates` and not written until confirmed (`person_id`, or `new_person` = yes). Every record written ' +
      'has an audit entry whose reason names the import and the row.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: { type: 'string', format: 'binary', description: 'The CSV or XLSX file.' },
        dryRun: { type: 'boolean', default: false, description: 'Check and report only; write nothing.' },
        mode: { type: 'string', enum: [...IMPORT_MODES], default: 'all-or-nothing' },
      },
    },
  })
  @ApiAcceptedResponse({ type: ImportView, headers: { Location: { description: 'URL of the import' } } })
  @ApiResponse({ status: 413, description: `The file is larger than ${MAX_MB} MB.` })
  async create(
    @UploadedFile() file: StoredUpload | undefined,
    @Query() query: ImportOptionsDto,
    @Body() form: ImportOptionsDto,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ImportView> {
    if (!file) throw InvalidInputError.field('file', 'send the CSV or XLSX file as the multipart form field "file"');
    if (file.size === 0) {
      await this.imports.discardUpload(file.importId);
      throw InvalidInputError.field('file', 'the file is empty');
    }
    const view = await this.imports.create(
      { importId: file.importId, fileName: cleanFileName(file.originalname), byteSize: file.size },
      { dryRun: form.dryRun ?? query.dryRun ?? false, mode: form.mode ?? query.mode ?? 'all-or-nothing' },
      actor,
    );
    res.setHeader('Location', `/api/v1/imports/${view.id}`);
    return view;
  }

  @Get(':id')
  @ApiOperation({
    summary: 'Status, progress and report of an import (its requester and admins only)',
    description:
      '`report` (once `done` or `failed`): rows read, records created and updated, rows unchanged, probable ' +
      '`duplicates` (not written) and `errors` (`row`, `column`, `message`; the first 1000, `errorCount` counts all).',
  })
  @ApiOkResponse({ type: ImportView })
  get(@UuidParam() id: string, @CurrentActor() actor: Actor): Promise<ImportView> {
    return this.imports.get(id, actor);
  }
}

/** The file's own name, without a path or control characters, at most 255 characters. */
function cleanFileName(name: string | undefined): string {
  const base = (name ?? '')
    .split(/[\\/]/)
    .pop()!
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim();
  return (base || 'upload').slice(0, 255);
}
