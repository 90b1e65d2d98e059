import {
  CreateEventDto,
  CreateOrganizationDto,
  CreateSourceDto,
  EventsService,
  OrganizationsService,
  SourcesService,
  UpdateEventDto,
  UpdateOrganizationDto,
  UpdateSourceDto,
} from '#reference-data';
import { RecordController } from './record.controller.js';

export class EventsController extends RecordController({
  path: 'events',
  noun: 'a mass event',
  service: EventsService,
  create: CreateEventDto,
  update: UpdateEventDto,
}) {}

export class OrganizationsController extends RecordController({
  path: 'organizations',
  noun: 'an organisation',
  service: OrganizationsService,
  create: CreateOrganizationDto,
  update: UpdateOrganizationDto,
}) {}

export class SourcesController extends RecordController({
  path: 'sources',
  noun: 'a source',
  service: SourcesService,
  create: CreateSourceDto,
  update: UpdateSourceDto,
}) {}
