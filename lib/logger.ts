import { Logger } from '@aws-lambda-powertools/logger';
import type { ConstructorOptions } from '@aws-lambda-powertools/logger/types';
import type middy from '@middy/core';
import type { Context } from 'aws-lambda';

/** The process's logger. Nothing logged may carry a secret or a certificate body. */
class ServiceLogger extends Logger {
  /** A child logs like its parent; each new Logger counts its first context as a cold start, so a
   * child takes the parent's: only the process's first invocation is one. */
  protected override createLogger(options?: ConstructorOptions): Logger {
    const child = new ServiceLogger(options);
    child.coldStart = this.getColdStart();
    return child;
  }
}

const processLogger = new ServiceLogger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'p2c-vpn' });

/** Outermost middleware of both functions: each invocation logs through its own child logger, with that
 * invocation's Lambda context, so the keys one call appends never show in another's lines (serverless-
 * offline runs concurrent calls in one process, and so may a Lambda with multi-concurrency). */
export function invocationLogger<TEvent, TResult, TContext extends Context>(): middy.MiddlewareObj<TEvent, TResult, Error, TContext> {
  return {
    before: (request) => {
      const logger = processLogger.createChild();
      logger.addContext(request.context);
      // no logEventIfEnabled: an event carries passwords, signatures and certificate bodies, so
      // POWERTOOLS_LOGGER_LOG_EVENT must not be able to print one
      Object.assign(request.context, { logger });
    },
  };
}

/** The logger invocationLogger gave this invocation. */
export function loggerOf(context: Context): Logger {
  if (!('logger' in context) || !(context.logger instanceof Logger)) throw new Error('invocationLogger middleware did not run');
  return context.logger;
}
