import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PresentationFileEntity } from '../database/entities';

/** The stored files: what each is, how many pages, whether its text and thumbnails are ready. */
@Injectable()
export class PresentationsRepository {
  constructor(private readonly db: DataSource) {}

  find(fileId: string) {
    return this.db.getRepository(PresentationFileEntity).findOneBy({ fileId });
  }

  async save(file: { fileId: string; format: string; bytes: number; pages: number }, now: Date): Promise<void> {
    await this.db
      .getRepository(PresentationFileEntity)
      .upsert({ ...file, bytes: String(file.bytes), createdAt: now, processedAt: null }, ['fileId']);
  }

  async markProcessed(fileId: string, now: Date): Promise<void> {
    await this.db.getRepository(PresentationFileEntity).update({ fileId }, { processedAt: now });
  }

  async forget(fileId: string): Promise<void> {
    await this.db.getRepository(PresentationFileEntity).delete({ fileId });
  }
}
