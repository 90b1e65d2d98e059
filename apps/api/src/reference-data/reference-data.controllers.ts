import {
  CreateEventDto,
  CreateOrganizationDto,
  CreateSourceDto,
  EventsService,
  EventView,
  OrganizationsService,
  OrganizationView,
  SourcesService,
  SourceView,
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
  view: EventView,
}) {}

export class OrganizationsController extends RecordController({
  path: 'organizations',
  noun: 'an organisation',
  service: OrganizationsService,
  create: CreateOrganizationDto,
  update: UpdateOrganizationDto,
  view: OrganizationView,
}) {}

export class SourcesController extends RecordController({
  path: 'sources',
  noun: 'a source',
  service: SourcesService,
  create: CreateSourceDto,
  update: UpdateSourceDto,
  view: SourceView,
}) {}
