import { AuthService, ChangePasswordDto, LoginDto, LoginView, PrincipalView, UsersService } from '#access';
import type { Actor } from '#common';
import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiProblems } from '../http/openapi.js';
import { BearerSecret, CurrentActor, Public, RequireRole } from './auth.decorators.js';

@ApiTags('auth')
@ApiProblems()
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in with email and password; the token goes in `Authorization: Bearer <token>`',
    security: [],
  })
  @ApiOkResponse({ type: LoginView })
  @ApiResponse({ status: 401, description: 'Wrong email or password (the answer does not say which).' })
  @ApiResponse({ status: 429, description: 'Too many failed attempts for this account or address; see `Retry-After`.' })
  login(@Body() dto: LoginDto, @Req() request: Request): Promise<LoginView> {
    return this.auth.login(dto.email, dto.password, request.ip ?? 'unknown');
  }

  @Post('logout')
  @RequireRole('viewer')
  @HttpCode(204)
  @ApiOperation({ summary: 'End this session: the token stops working at once' })
  @ApiNoContentResponse({ description: 'Signed out.' })
  async logout(@BearerSecret() token: string): Promise<void> {
    await this.auth.logout(token);
  }

  @Get('me')
  @ApiOperation({ summary: 'Who is signed in (or which API key is used), with the role' })
  @ApiOkResponse({ type: PrincipalView })
  me(@CurrentActor() actor: Actor): PrincipalView {
    return { kind: actor.kind, id: actor.id!, role: actor.role, label: actor.label };
  }

  @Post('password')
  @RequireRole('viewer')
  @HttpCode(204)
  @ApiOperation({ summary: 'Change your own password; your other sessions end' })
  @ApiNoContentResponse({ description: 'Changed.' })
  async changePassword(
    @Body() dto: ChangePasswordDto,
    @CurrentActor() actor: Actor,
    @BearerSecret() token: string,
  ): Promise<void> {
    await this.users.changeOwnPassword(actor, token, dto.currentPassword, dto.newPassword);
  }
}
