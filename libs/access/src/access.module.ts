import { AuditModule } from '#audit';
import { QueueModule } from '#queue';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ACCESS_ENTITIES } from './access.entities.js';
import { AccessGrantsService } from './access-grants.service.js';
import { ApiKeysService } from './api-keys.service.js';
import { AuthService } from './auth.service.js';
import { LoginThrottle } from './login-throttle.js';
import { UsersService } from './users.service.js';

/** Users, sessions, API keys and access grants. */
@Module({
  imports: [TypeOrmModule.forFeature(ACCESS_ENTITIES), AuditModule, QueueModule],
  providers: [AuthService, LoginThrottle, UsersService, ApiKeysService, AccessGrantsService],
  exports: [AuthService, UsersService, ApiKeysService, AccessGrantsService],
})
export class AccessModule {}
