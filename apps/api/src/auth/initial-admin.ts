import { UsersService } from '#access';
import { AppConfig } from '#config';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';

/** At start-up, creates the first admin from ADMIN_EMAIL / ADMIN_PASSWORD if there are no users. */
@Injectable()
export class InitialAdmin implements OnApplicationBootstrap {
  constructor(
    private readonly users: UsersService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.users.ensureInitialAdmin(this.config.env.ADMIN_EMAIL, this.config.env.ADMIN_PASSWORD);
  }
}
