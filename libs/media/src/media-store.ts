import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Where media bytes live: a local directory or an S3-compatible bucket behind one interface.
 * Keys are generated ids, so a client's file name can never become a path.
 */
export abstract class MediaStore {
  /** Moves a finished temporary file into the store under `key`. */
  abstract putFile(key: string, tempPath: string): Promise<void>;
  abstract get(key: string): Promise<Readable>;
  /** Reads `length` bytes from `offset` (fewer at the end of the file). */
  abstract read(key: string, offset: number, length: number): Promise<Buffer>;
  abstract size(key: string): Promise<number>;
  abstract delete(key: string): Promise<void>;
}

export class DiskMediaStore extends MediaStore {
  private readonly root: string;

  constructor(root: string) {
    super();
    this.root = resolve(root);
  }

  private path(key: string): string {
    if (!/^[0-9a-f-]{36}(\.[a-z0-9]{1,8})?$/.test(key)) throw new Error('invalid media key');
    // Two levels of fan-out keep directories small in a province's worth of media.
    return join(this.root, key.slice(0, 2), key.slice(2, 4), key);
  }

  async putFile(key: string, tempPath: string): Promise<void> {
    const dest = this.path(key);
    await mkdir(dirname(dest), { recursive: true });
    try {
      await rename(tempPath, dest);
    } catch {
      // Across devices rename fails: copy, then remove the temporary file (and a partial copy).
      try {
        await pipeline(createReadStream(tempPath), createWriteStream(dest));
      } catch (e) {
        await rm(dest, { force: true });
        throw e;
      }
      await rm(tempPath, { force: true });
    }
  }

  async get(key: string): Promise<Readable> {
    return createReadStream(this.path(key));
  }

  async read(key: string, offset: number, length: number): Promise<Buffer> {
    const fh = await open(this.path(key), 'r');
    try {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await fh.read(buf, 0, length, offset);
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  }

  async size(key: string): Promise<number> {
    return (await stat(this.path(key))).size;
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }
}
