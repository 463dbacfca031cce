/**
 * Whether a call writes a log record: the `logging` module's functions (`logging.info(...)`,
 * `logging.log(level, ...)`), methods of loggers built by `logging.getLogger(...)` and similar
 * factories, and level methods on receivers named like loggers (`log`, `logger`, `LOG`,
 * `self.logger`, `app.logger`, `audit_log`). Gives the label to show and where the message sits.
 */
import type { CallInfo, SemanticModel } from '../model.js';
import { lastName, receiverOf } from './receiver.js';

/** Logger methods that log a message (`info`, `warning`, `log`, ...). */
export const LEVEL_METHODS: ReadonlySet<string> = new Set([
  'debug',
  'info',
  'warning',
  'warn',
  'error',
  'exception',
  'critical',
  'fatal',
  'log',
]);

/** Calls whose result is a logger, and module-level loggers. */
const LOGGER_FACTORIES = new Set([
  'logging.getLogger',
  'logging.LoggerAdapter',
  'structlog.get_logger',
  'structlog.getLogger',
]);

/** Loggers the `logging` module itself holds (`logging.root.info(...)`). */
const MODULE_LOGGERS = /^logging\.(?:root|getLogger)\b/;

/** Receivers that read as loggers: `log`, `logger`, `LOG`, `_log`, `audit_logger`. */
const LOGGER_NAME = /(?:^|_)log(?:ger)?$/i;

export interface LoggerCall {
  /** `logging.info`, `logger.warning`, for messages. */
  label: string;
  /** Position of the message among the positional arguments (1 for `log(level, msg)`). */
  messageIndex: number;
}

/** The log write a call makes (its label and where its message sits), or undefined for others. */
export function loggerCall(model: SemanticModel, call: CallInfo): LoggerCall | undefined {
  const name = call.qualifiedName;
  // `logging.info(...)`, also imported on its own: `from logging import warning as warn`.
  const level = name?.startsWith('logging.') === true ? name.slice('logging.'.length) : '';
  if (LEVEL_METHODS.has(level))
    return { label: `logging.${level}`, messageIndex: level === 'log' ? 1 : 0 };
  const method = call.methodName;
  if (method === undefined || !LEVEL_METHODS.has(method)) return undefined;
  const messageIndex = method === 'log' ? 1 : 0;
  const receiver = receiverOf(call);
  if (receiver === undefined) return undefined;
  const owner = lastName(model, receiver);
  if (owner !== undefined && LOGGER_NAME.test(owner)) {
    return { label: `${owner}.${method}`, messageIndex };
  }
  if (name !== undefined && MODULE_LOGGERS.test(name)) return { label: name, messageIndex };
  const maker = model.constructedBy(receiver);
  return maker !== undefined && LOGGER_FACTORIES.has(maker)
    ? { label: `logger.${method}`, messageIndex }
    : undefined;
}
