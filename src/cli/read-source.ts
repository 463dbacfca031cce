/**
 * Reading a file to scan as bytes (the engine decodes them), with the configured size limit.
 * Files are read synchronously: a source file is small and read at once, while an asynchronous
 * read waits for a turn of the event loop, which a busy scan (and the parser's finalizers)
 * delays far longer than the read itself takes.
 */
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';

import { describeFsError } from './errors.js';

/** The bytes of a file, or why it is skipped. */
export type ReadOutcome = { ok: true; bytes: Buffer } | { ok: false; reason: string };

/** Reads a file unless it is larger than `maxBytes`; never throws. */
export function readSourceFile(path: string, maxBytes: number): Promise<ReadOutcome> {
  return Promise.resolve(readSourceFileNow(path, maxBytes));
}

/** {@link readSourceFile} without the promise. */
export function readSourceFileNow(path: string, maxBytes: number): ReadOutcome {
  let descriptor: number;
  try {
    descriptor = openSync(path, 'r');
  } catch (error: unknown) {
    return { ok: false, reason: describeFsError(error) };
  }
  try {
    const stats = fstatSync(descriptor);
    if (!stats.isFile()) return { ok: false, reason: 'not a regular file' };
    if (stats.size > maxBytes) return { ok: false, reason: tooLargeReason(stats.size, maxBytes) };
    return checkSize(readFileSync(descriptor), maxBytes);
  } catch (error: unknown) {
    return { ok: false, reason: describeFsError(error) };
  } finally {
    try {
      closeSync(descriptor);
    } catch {
      // Closing a file only read from cannot lose data.
    }
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
