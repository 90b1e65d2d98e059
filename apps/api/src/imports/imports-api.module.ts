import { ImportFiles, ImportsModule } from '#imports';
import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { ImportsController } from './imports.controller.js';
import { ImportUploadStorage } from './upload-storage.js';

/**
 * The import routes, in a module of their own for their multer configuration: uploads stream into
 * PostgreSQL (`ImportUploadStorage`) and file names are read as UTF-8 (`Показания.xlsx`).
 */
@Module({
  imports: [
    ImportsModule,
    MulterModule.registerAsync({
      imports: [ImportsModule],
      inject: [ImportFiles],
      useFactory: (files: ImportFiles) => ({ storage: new ImportUploadStorage(files), defParamCharset: 'utf8' }),
    }),
  ],
  controllers: [ImportsController],
})
export class ImportsApiModule {}
