import { Controller, Get } from '@nestjs/common';
import { DataSource } from 'typeorm';

@Controller('api')
export class HealthController {
  constructor(private readonly db: DataSource) {}

  @Get('health')
  async health() {
    await this.db.query('SELECT 1');
    return { ok: true };
  }
}
