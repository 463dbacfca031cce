/**
 * GitHub Actions workflow commands (`::warning file=…,line=…::message`): how the Action shows
 * findings when it may not write to the pull request. Pure.
 */
import type { Annotation } from '../report/check-run.js';

/** Escapes a command's message: `%`, CR and LF. */
export function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a command property's value: as data, plus `:` and `,`. */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const COMMANDS: Readonly<Record<Annotation['annotation_level'], string>> = {
  failure: 'error',
  warning: 'warning',
  notice: 'notice',
};

/**
 * One workflow command for a check-run annotation: shown on the file's line in "Files
 * changed" and in the run's summary, as the App's annotation would be.
 */
export function annotationCommand(annotation: Annotation): string {
  const properties: [string, string | number | undefined][] = [
    ['file', annotation.path],
    ['line', annotation.start_line],
    ['endLine', annotation.end_line],
    ['col', annotation.start_column],
    ['endColumn', annotation.end_column],
    ['title', annotation.title],
  ];
  const list = properties
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => `${name}=${escapeProperty(String(value))}`)
    .join(',');
  return `::${COMMANDS[annotation.annotation_level]} ${list}::${escapeData(annotation.message)}`;
}
