import { Global, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { AppConfig, loadDotEnv } from './app-config.js';
import { type Environment, validateEnvironment } from './environment.js';

/**
 * Provides the validated `AppConfig` everywhere. Validation runs once, when the module is built,
 * so a bad variable stops the process at start-up with a clear list of problems.
 */
@Global()
@Module({
  imports: [
    ConfigModule.forRoot({
      ignoreEnvFile: true,
      cache: true,
      load: [
        () => {
          loadDotEnv();
          return { app: validateEnvironment(process.env) };
        },
      ],
    }),
  ],
  providers: [
    {
      provide: AppConfig,
      inject: [ConfigService],
      useFactory: (config: ConfigService) => new AppConfig(config.getOrThrow<Environment>('app')),
    },
  ],
  exports: [AppConfig],
})
export class AppConfigModule {}
