import { Global, Module } from '@nestjs/common';
import { type ChanceryConfig, loadConfig } from './config.js';

export const CHANCERY_CONFIG = Symbol('ChanceryConfig');

/** Provides the validated settings; an app's main.ts loads them first, so a bad one never gets this far. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: ChanceryConfig = loadConfig()) {
    return {
      module: ConfigModule,
      providers: [{ provide: CHANCERY_CONFIG, useValue: config }],
      exports: [CHANCERY_CONFIG],
    };
  }
}
