import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { MediaEntity } from '../page/campaign-page.entities.js';

@Injectable()
export class MediaRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The first upload of these bytes names the uploader; the same bytes again change nothing. */
  async insertIfNew(media: MediaEntity): Promise<void> {
    await this.dataSource.manager
      .createQueryBuilder()
      .insert()
      .into(MediaEntity)
      .values(media)
      .orIgnore()
      .execute();
  }

  find(sha256: string): Promise<MediaEntity | null> {
    return this.dataSource.manager.findOne(MediaEntity, { where: { sha256 } });
  }

  findMany(sha256s: readonly string[]): Promise<MediaEntity[]> {
    if (sha256s.length === 0) return Promise.resolve([]);
    return this.dataSource.manager.find(MediaEntity, { where: { sha256: In([...sha256s]) } });
  }
}
