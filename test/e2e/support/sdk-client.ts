/** Calls made the way the Huawei Node SDK's VpnClient makes them: the real `@huaweicloud/huaweicloud-sdk-core`
 * HcClient with BasicCredentials (it adds X-Project-Id, X-Sdk-Date and host, and signs every header). */
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { ClientBuilder } from '@huaweicloud/huaweicloud-sdk-core/ClientBuilder';
import type { HcClient } from '@huaweicloud/huaweicloud-sdk-core/HcClient';
import { ServiceResponseException } from '@huaweicloud/huaweicloud-sdk-core/exception/ServiceResponseException';
import { DEMO_CREDENTIAL, PROJECT } from '../../support/requests';

export interface SdkResult {
  status: number;
  /** the parsed JSON as the SDK resolves it (without its added httpStatusCode); an error's code and message */
  json: Record<string, any>;
}

interface SdkCall {
  pathParams?: Record<string, string>;
  queryParams?: Record<string, string>;
  headers?: Record<string, string>;
  /** absent: the SDK sends no body */
  data?: Record<string, unknown>;
}

export type Sdk = (method: string, url: string, call?: SdkCall) => Promise<SdkResult>;

/** `url` is the SDK's template, e.g. `/v5/{project_id}/vpn-servers`; `{project_id}` comes from the credentials. */
export function sdkClient(baseUrl: string, credential = DEMO_CREDENTIAL, projectId = PROJECT): Sdk {
  const client = new ClientBuilder<HcClient>((hcClient: HcClient) => hcClient)
    .withEndpoint(baseUrl)
    .withCredential(new BasicCredentials().withAk(credential.accessKey).withSk(credential.secretKey).withProjectId(projectId))
    .build();
  return async (method, url, call = {}) => {
    try {
      const { httpStatusCode, ...json } = await client.sendRequest<Record<string, any>>({
        method,
        url,
        contentType: 'application/json',
        queryParams: call.queryParams ?? {},
        pathParams: call.pathParams ?? {},
        headers: call.headers ?? {},
        ...(call.data === undefined ? {} : { data: call.data }),
      });
      return { status: Number(httpStatusCode), json };
    } catch (error) {
      if (!(error instanceof ServiceResponseException)) throw error;
      return {
        status: Number(error.httpStatusCode),
        json: { error_code: error.errorCode, error_msg: error.errorMsg, request_id: error.requestId },
      };
    }
  };
}
