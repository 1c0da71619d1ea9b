// The monitor's API as the dashboard uses it: URLs of feeds, incidents, annotations and alerts, and the writes.
import type { AnnotationBody } from '@qyzmet/api/contract'
import { type ErrorCode, errorCodes } from '@qyzmet/api/contract/error-codes'
import { ApiError, query, readToken } from './api.ts'

export type {
  Alert,
  Annotation,
  AnnotationBody,
  FeedList,
  FeedStatus,
  Incident,
  Incidents,
} from '@qyzmet/api/contract'

export const monitorApi = {
  feeds: () => '/api/v1/monitor/feeds',
  incidents: (params: Record<string, string | undefined>) => `/api/v1/monitor/incidents${query(params)}`,
  annotations: (params: Record<string, string | undefined>) => `/api/v1/monitor/annotations${query(params)}`,
  alerts: (state: 'firing' | 'resolved' | 'all' = 'firing') => `/api/v1/monitor/alerts?state=${state}`,
}

/** A POST with the token and a JSON body; the API's refusal becomes an ApiError with its message. */
async function post<T>(path: string, body: object = {}): Promise<T> {
  const token = readToken()
  const response = await fetch(path, {
    method: 'POST',
    headers: {
      accept: 'application/json',
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  })
  if (!response.ok) {
    const answer = (await response.json().catch(() => ({}))) as { message?: string; error?: string }
    const code = (errorCodes as readonly string[]).includes(answer.error ?? '') ? (answer.error as ErrorCode) : null
    throw new ApiError(response.status, answer.message ?? response.statusText, null, code)
  }
  return (await response.json()) as T
}

export const monitorWrites = {
  acknowledge: (id: string) => post(`/api/v1/monitor/alerts/${encodeURIComponent(id)}/acknowledge`),
  resolve: (id: string) => post(`/api/v1/monitor/alerts/${encodeURIComponent(id)}/resolve`),
  annotate: (body: AnnotationBody) => post('/api/v1/monitor/annotations', body),
}
