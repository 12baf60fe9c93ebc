/** Errors of AK/SK authentication and project binding. */
import { ServiceError } from '../vpn-servers/errors';

export const authenticationFailed = (): ServiceError =>
  new ServiceError('APIGW.0301', 'authentication failed: incorrect IAM authentication information', 401);

export const projectForbidden = (): ServiceError => new ServiceError('VPN.0007', 'the access key may not act in this project', 403);
