import { AppConfig } from '#config';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions } from './data-source-options.js';

/**
 * The PostgreSQL connection for a Nest application. Feature modules register their entities
 * with `TypeOrmModule.forFeature`, and they are picked up automatically.
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config),
        autoLoadEntities: true,
        // Start-up checks the connection itself and reports one clear line; no retry loop.
        retryAttempts: 0,
      }),
    }),
  ],
})
export class DatabaseModule {}
