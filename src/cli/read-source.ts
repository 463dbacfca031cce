/**
 * Reading a file to scan as bytes (the engine decodes them), with the configured size limit.
 */
import { open, type FileHandle } from 'node:fs/promises';

import { describeFsError } from './errors.js';

/** The bytes of a file, or why it is skipped. */
export type ReadOutcome = { ok: true; bytes: Buffer } | { ok: false; reason: string };

/** Reads a file unless it is larger than `maxBytes`; never throws. */
export async function readSourceFile(path: string, maxBytes: number): Promise<ReadOutcome> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error: unknown) {
    return { ok: false, reason: describeFsError(error) };
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return { ok: false, reason: 'not a regular file' };
    if (stats.size > maxBytes) return { ok: false, reason: tooLargeReason(stats.size, maxBytes) };
    const bytes = await handle.readFile();
    return checkSize(bytes, maxBytes);
  } catch (error: unknown) {
    return { ok: false, reason: describeFsError(error) };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * Reads a stream to its end (standard input for `pyguard scan -`) unless it holds more than
 * `maxBytes`; never throws.
 */
export async function readStream(
  stream: AsyncIterable<Buffer | string>,
  maxBytes: number,
): Promise<ReadOutcome> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += bytes.length;
      if (size > maxBytes)
        return { ok: false, reason: `larger than max_file_bytes (${formatBytes(maxBytes)})` };
      chunks.push(bytes);
    }
  } catch (error: unknown) {
    return { ok: false, reason: describeFsError(error) };
  }
  return { ok: true, bytes: Buffer.concat(chunks) };
}

/** The bytes, unless there are more than `maxBytes` of them. */
export function checkSize(bytes: Buffer, maxBytes: number): ReadOutcome {
  if (bytes.length > maxBytes) return { ok: false, reason: tooLargeReason(bytes.length, maxBytes) };
  return { ok: true, bytes };
}

function tooLargeReason(size: number, maxBytes: number): string {
  return `${formatBytes(size)} is larger than max_file_bytes (${formatBytes(maxBytes)})`;
}

/** `512 bytes`, `1.5 KiB`, `2 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const rounded = Math.round(value * 10) / 10;
  return `${Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(1)} ${units[unit] ?? 'KiB'}`;
}
