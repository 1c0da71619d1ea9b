// The machine-readable reasons of refused answers, pure (no schema library): the dashboard imports them at run time
// to translate an error by its code.
export const errorCodes = [
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'too_large',
  'unsupported_media_type',
  'too_many_requests',
  'unreadable_file',
  'unavailable',
  'busy',
  'insufficient_storage',
  'internal',
] as const
export type ErrorCode = (typeof errorCodes)[number]
