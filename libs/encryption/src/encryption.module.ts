import { AppConfig } from '#config';
import { Global, Module } from '@nestjs/common';
import { Keyring } from './keyring.js';

/** Provides the `Keyring` built from `DATA_ENCRYPTION_KEY`; start-up fails without a valid key. */
@Global()
@Module({
  providers: [
    {
      provide: Keyring,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => Keyring.fromEnvironment(config.env.DATA_ENCRYPTION_KEY),
    },
  ],
  exports: [Keyring],
})
export class EncryptionModule {}
