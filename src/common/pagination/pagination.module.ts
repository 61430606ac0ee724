import { Global, Module } from '@nestjs/common';
import { CursorCodec } from './cursor-codec.js';

/** The cursor codec of every cursor-paged list (issue 16), for any module. */
@Global()
@Module({ providers: [CursorCodec], exports: [CursorCodec] })
export class PaginationModule {}
