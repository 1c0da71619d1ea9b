// An API error in the page's language, by its code (the API's own message is English; a refusal keeps it as detail).
import type { ErrorCode } from '@qyzmet/api/contract/error-codes'
import { ApiError } from './api.ts'
import type { PlainKey, Translate } from './i18n.ts'

const messages: Record<Exclude<ErrorCode, 'bad_request'>, PlainKey> = {
  unauthorized: 'error_unauthorized',
  forbidden: 'error_forbidden',
  not_found: 'error_not_found',
  too_large: 'error_too_large',
  unsupported_media_type: 'error_unsupported_media_type',
  too_many_requests: 'error_too_many_requests',
  unreadable_file: 'error_unreadable_file',
  unavailable: 'error_unavailable',
  busy: 'error_busy',
  insufficient_storage: 'error_insufficient_storage',
  internal: 'error_internal',
}

export function errorMessage(t: Translate, error: unknown): string {
  if (error instanceof ApiError && error.code) {
    return error.code === 'bad_request' ? t('error_bad_request', { detail: error.message }) : t(messages[error.code])
  }
  return t('errorBecause', { reason: error instanceof Error ? error.message : String(error) })
}
