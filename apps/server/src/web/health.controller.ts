import { Controller, Get, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Limit } from './http-limit.guard';

/** The database is checked this often in the background… */
const CHECK_EVERY_MS = 1000;
/** …and a health request waits for a query of its own only when no check succeeded this recently. */
const FRESH_MS = 3000;

@Controller('api')
export class HealthController implements OnModuleInit, OnModuleDestroy {
  private lastOk = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly db: DataSource) {}

  onModuleInit() {
    this.timer = setInterval(() => void this.check().catch(() => undefined), CHECK_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy() {
    if (this.timer) clearInterval(this.timer);
  }

  /**
   * Up when the database answered within the last seconds. Probes, however often they come (a
   * load balancer, a monitor), never queue a query behind the server's own work, so the answer
   * says how the server itself is doing and probing cannot load the database.
   */
  @Get('health')
  @Limit('health')
  async health() {
    if (Date.now() - this.lastOk > FRESH_MS) await this.check();
    return { ok: true };
  }

  private async check() {
    await this.db.query('SELECT 1');
    this.lastOk = Date.now();
  }
}
