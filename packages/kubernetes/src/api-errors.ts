import { ApiException } from '@kubernetes/client-node';

/**
 * A failed API call as a sentence that says what to do: the API server unreachable, its
 * certificate not trusted, the credentials refused, or the request refused with the
 * server's own message (quota, admission, a pod spec it rejects).
 */
export function describeKubeError(err: unknown, what: string, apiServer: string, credentials: string): string {
  if (err instanceof ApiException) {
    const message = statusMessage(err.body) ?? err.message;
    const code = err.code;
    if (code === 401) {
      return `${what}: the Kubernetes API server at ${apiServer} refused the credentials from ${credentials} (401 Unauthorized): ${message}`;
    }
    if (code === 403) {
      return `${what}: the Kubernetes API server at ${apiServer} forbids it (403 Forbidden): ${message}. The account of ${credentials} needs to create, list and delete pods and secrets in the namespace`;
    }
    return `${what}: the Kubernetes API server at ${apiServer} answered ${code}: ${message}`;
  }
  const e = err as { code?: string; message?: string; cause?: { code?: string } } | undefined;
  const code = e?.code ?? e?.cause?.code;
  if (code && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) {
    return `${what}: the certificate of the Kubernetes API server at ${apiServer} is not trusted (${code}): give its CA as certificate-authority in the kubeconfig`;
  }
  if (code && /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|ECONNRESET|EAI_AGAIN|ENETUNREACH/.test(code)) {
    return `${what}: cannot reach the Kubernetes API server at ${apiServer} (${code}); is the k8s:// master URL right and the server up?`;
  }
  return `${what}: ${e?.message ?? String(err)} (Kubernetes API server ${apiServer})`;
}

/** The `message` of a Kubernetes Status body, which the client hands over as text or as an object. */
function statusMessage(body: unknown): string | null {
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return body.trim() || null;
    }
  }
  const message = (parsed as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : null;
}

export function isNotFound(err: unknown): boolean {
  return err instanceof ApiException && err.code === 404;
}
