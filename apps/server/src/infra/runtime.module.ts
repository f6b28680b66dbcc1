import { Global, Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RUNTIME, type Runtime } from '../config/config';

/** Makes the start-up results (config, secrets, open database) injectable everywhere. */
@Global()
@Module({})
export class RuntimeModule {
  static with(runtime: Runtime, dataSource: DataSource): DynamicModule {
    return {
      module: RuntimeModule,
      providers: [
        { provide: RUNTIME, useValue: runtime },
        { provide: DataSource, useValue: dataSource },
      ],
      exports: [RUNTIME, DataSource],
    };
  }
}
