import {
  AccessGrantsService,
  AccessGrantView,
  ApiKeysService,
  ApiKeyView,
  CreateAccessGrantDto,
  CreateApiKeyDto,
  CreatedApiKeyView,
  CreateUserDto,
  ListAccessGrantsQueryDto,
  UpdateUserDto,
  UsersService,
  UserView,
} from '#access';
import { AuditEntryView } from '#audit';
import { PageQueryDto, type WriteContext } from '#common';
import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiPage, ApiProblems, ApiVersionedRecord } from '../http/openapi.js';
import { UuidParam } from '../http/uuid-param.js';
import { IfMatchVersion } from '../http/versioning.js';
import { ChangeContext, RequireRole } from './auth.decorators.js';

@ApiTags('users')
@ApiProblems()
@RequireRole('admin')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @ApiOperation({ summary: 'Create a user (admin); the password is checked for strength' })
  @ApiCreatedResponse({ type: UserView })
  create(@Body() dto: CreateUserDto, @ChangeContext() context: WriteContext) {
    return this.users.create(dto, context);
  }

  @Get()
  @ApiOperation({ summary: 'List users, deactivated ones included (admin)' })
  @ApiPage(UserView)
  list(@Query() query: PageQueryDto) {
    return this.users.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One user (admin)' })
  @ApiVersionedRecord({ type: UserView })
  get(@UuidParam() id: string) {
    return this.users.get(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: "Change a user's name, role or password (admin); a new password ends their sessions" })
  @ApiVersionedRecord({ type: UserView, ifMatch: true })
  update(
    @UuidParam() id: string,
    @Body() dto: UpdateUserDto,
    @IfMatchVersion() version: number,
    @ChangeContext() context: WriteContext,
  ) {
    return this.users.update(id, dto, version, context);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Deactivate a user (admin): their tokens stop working at once' })
  @ApiVersionedRecord({ ifMatch: true, returnsRecord: false })
  @ApiNoContentResponse({ description: 'Deactivated.' })
  async deactivate(
    @UuidParam() id: string,
    @IfMatchVersion() version: number,
    @ChangeContext() context: WriteContext,
  ): Promise<void> {
    await this.users.deactivate(id, version, context);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reactivate a user (admin)' })
  @ApiOkResponse({ type: UserView })
  reactivate(@UuidParam() id: string, @ChangeContext() context: WriteContext) {
    return this.users.reactivate(id, context);
  }

  @Get(':id/history')
  @ApiOperation({ summary: "Audit trail of a user's account: creation, role changes, deactivation (admin)" })
  @ApiPage(AuditEntryView)
  history(@UuidParam() id: string, @Query() query: PageQueryDto) {
    return this.users.history(id, query);
  }
}

@ApiTags('api-keys')
@ApiProblems()
@RequireRole('admin')
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @ApiOperation({ summary: 'Create an API key (admin); the key is in the answer, and only there' })
  @ApiCreatedResponse({ type: CreatedApiKeyView })
  create(@Body() dto: CreateApiKeyDto, @ChangeContext() context: WriteContext) {
    return this.keys.create(dto, context);
  }

  @Get()
  @ApiOperation({ summary: 'List API keys, revoked ones included (admin)' })
  @ApiPage(ApiKeyView)
  list(@Query() query: PageQueryDto) {
    return this.keys.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One API key (admin)' })
  @ApiOkResponse({ type: ApiKeyView })
  get(@UuidParam() id: string) {
    return this.keys.get(id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key (admin): it stops working at once' })
  @ApiNoContentResponse({ description: 'Revoked.' })
  async revoke(@UuidParam() id: string, @ChangeContext() context: WriteContext): Promise<void> {
    await this.keys.revoke(id, context);
  }
}

@ApiTags('access-grants')
@ApiProblems()
@RequireRole('admin')
@Controller('access-grants')
export class AccessGrantsController {
  constructor(private readonly grants: AccessGrantsService) {}

  @Post()
  @ApiOperation({ summary: "Let a user see one person's or one case's restricted material (admin)" })
  @ApiCreatedResponse({ type: AccessGrantView })
  create(@Body() dto: CreateAccessGrantDto, @ChangeContext() context: WriteContext) {
    return this.grants.create(dto, context);
  }

  @Get()
  @ApiOperation({ summary: 'List grants, by user, person or case (admin)' })
  @ApiPage(AccessGrantView)
  list(@Query() query: ListAccessGrantsQueryDto) {
    return this.grants.list(query);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Withdraw a grant (admin): access ends at once' })
  @ApiNoContentResponse({ description: 'Withdrawn.' })
  async revoke(@UuidParam() id: string, @ChangeContext() context: WriteContext): Promise<void> {
    await this.grants.revoke(id, context);
  }
}
