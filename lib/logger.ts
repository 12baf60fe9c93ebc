import { Logger } from '@aws-lambda-powertools/logger';

/** One structured logger for both functions. Nothing logged may carry a secret or a certificate body. */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'p2c-vpn' });
