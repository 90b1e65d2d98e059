import type { Actor } from '#common';
import { CreateExportDto, ExportsService, ExportView } from '#reports';
import { Body, Controller, Get, HttpCode, Post, Res, StreamableFile } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor, RequireRole } from '../auth/auth.decorators.js';
import { ApiProblems } from '../http/openapi.js';
import { UuidParam } from '../http/uuid-param.js';
import { contentDisposition } from './attachment.js';

@ApiTags('exports')
@ApiProblems()
@Controller('exports')
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @Post()
  @HttpCode(202)
  // Viewers may export what they may read, for the public; internal reports need an editor.
  @RequireRole('viewer')
  @ApiOperation({
    summary: 'Ask for a report file (dossier or campaign list); the worker renders it',
    description:
      'Answers 202 with the export; follow `GET /exports/{id}` until `status` is `done`, then download `fileUrl`. ' +
      'Every export is recorded in the audit trail (who, what, which audience).',
  })
  @ApiAcceptedResponse({ type: ExportView, headers: { Location: { description: 'URL of the export' } } })
  async create(
    @Body() dto: CreateExportDto,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ExportView> {
    const view = await this.exports.create(dto, actor);
    res.setHeader('Location', `/api/v1/exports/${view.id}`);
    return view;
  }

  @Get(':id')
  @ApiOperation({ summary: 'Status and progress of an export (its requester and admins only)' })
  @ApiOkResponse({ type: ExportView })
  get(@UuidParam() id: string, @CurrentActor() actor: Actor): Promise<ExportView> {
    return this.exports.get(id, actor);
  }

  @Get(':id/file')
  @ApiOperation({ summary: 'Download the file of a finished export' })
  @ApiProduces('application/pdf', 'application/octet-stream')
  @ApiResponse({ status: 200, description: 'The file, with its content type and file name.' })
  @ApiConflictResponse({ description: 'Not finished (queued, running or failed).' })
  @ApiResponse({ status: 410, description: 'Expired: the file was deleted after its retention time.' })
  async file(
    @UuidParam() id: string,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const { export: view, stream } = await this.exports.file(id, actor);
    res.setHeader('Content-Type', view.contentType!);
    res.setHeader('Content-Disposition', contentDisposition(view.fileName!));
    res.setHeader('Content-Length', String(view.byteSize));
    res.setHeader('Cache-Control', 'private, no-store');
    return new StreamableFile(stream);
  }
}
