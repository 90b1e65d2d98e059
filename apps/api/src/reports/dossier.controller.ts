import type { Actor } from '#common';
import { DossierQueryDto, ExportsService, FORMAT_MEDIA, ReportProducer, type ReportFormat } from '#reports';
import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { PassThrough } from 'node:stream';
import { CurrentActor } from '../auth/auth.decorators.js';
import { ApiProblems } from '../http/openapi.js';
import { UuidParam } from '../http/uuid-param.js';
import { contentDisposition } from './attachment.js';

/**
 * A dossier rendered while the client waits (one person: small and fast), for a link in a case
 * file page. Larger reports go through `POST /exports`.
 */
@ApiTags('exports')
@ApiProblems()
@Controller('persons')
export class DossierController {
  constructor(
    private readonly exports: ExportsService,
    private readonly producer: ReportProducer,
  ) {}

  @Get(':id/dossier.pdf')
  @ApiOperation({ summary: "A person's dossier as PDF, rendered at once (audited like every export)" })
  @ApiProduces('application/pdf')
  @ApiResponse({ status: 200, description: 'The PDF.' })
  pdf(@UuidParam() id: string, @Query() query: DossierQueryDto, @CurrentActor() actor: Actor, @Res() res: Response) {
    return this.send(id, 'pdf', query, actor, res);
  }

  @Get(':id/dossier.docx')
  @ApiOperation({ summary: "A person's dossier as Word document, rendered at once" })
  @ApiProduces(FORMAT_MEDIA.docx.contentType)
  @ApiResponse({ status: 200, description: 'The Word document.' })
  docx(@UuidParam() id: string, @Query() query: DossierQueryDto, @CurrentActor() actor: Actor, @Res() res: Response) {
    return this.send(id, 'docx', query, actor, res);
  }

  @Get(':id/dossier.html')
  @ApiOperation({ summary: "A person's dossier as printable HTML, rendered at once" })
  @ApiProduces('text/html')
  @ApiResponse({ status: 200, description: 'The HTML page.' })
  html(@UuidParam() id: string, @Query() query: DossierQueryDto, @CurrentActor() actor: Actor, @Res() res: Response) {
    return this.send(id, 'html', query, actor, res);
  }

  /**
   * Checks and audits the request, then renders into a buffer stream before any header is sent:
   * a failure while reading the case file still answers with problem+json, never half a file.
   */
  private async send(id: string, format: ReportFormat, query: DossierQueryDto, actor: Actor, res: Response) {
    const request = {
      kind: 'dossier' as const,
      format,
      language: query.language ?? 'en',
      audience: query.audience ?? 'public',
      personId: id,
      filter: null,
    };
    await this.exports.authorise(request, actor);
    const body = new PassThrough();
    const chunks: Buffer[] = [];
    body.on('data', (chunk: Buffer) => chunks.push(chunk));
    const { fileName } = await this.producer.produce(request, body);
    await this.exports.recordImmediate(actor, request);
    const file = Buffer.concat(chunks);
    res.setHeader('Content-Type', FORMAT_MEDIA[format].contentType);
    res.setHeader('Content-Disposition', contentDisposition(fileName, format === 'html' ? 'inline' : 'attachment'));
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('Content-Length', String(file.length));
    res.end(file);
  }
}
