import { Controller, Get } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** How long a successful database check stands for the next health requests. */
const DB_CHECK_MS = 1000;

@Controller('api')
export class HealthController {
  private checked = 0;
  private checking: Promise<unknown> | null = null;

  constructor(private readonly db: DataSource) {}

  /**
   * Up when the database answers. Probes that come often (a load balancer, a monitor every few
   * milliseconds) share one check a second instead of each queueing a query: the answer then
   * says how the server itself is doing, and probing cannot load the database.
   */
  @Get('health')
  async health() {
    if (Date.now() - this.checked > DB_CHECK_MS) {
      this.checking ??= this.db.query('SELECT 1').finally(() => (this.checking = null));
      await this.checking;
      this.checked = Date.now();
    }
    return { ok: true };
  }
}
