// Shapes every route shares: names in three languages, the error body, days, nullable values.
import { type Static, type TSchema, Type } from 'typebox'
import { errorCodes } from './error-codes.ts'

export const languages = ['kk', 'ru', 'en'] as const
export type Lang = (typeof languages)[number]

/** A text in Kazakh, Russian and English. */
export const Names = Type.Object(
  {
    kk: Type.String({ minLength: 1, maxLength: 2000 }),
    ru: Type.String({ minLength: 1, maxLength: 2000 }),
    en: Type.String({ minLength: 1, maxLength: 2000 }),
  },
  { additionalProperties: false },
)
export type Names = Static<typeof Names>

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])

/** A calendar day, YYYY-MM-DD, in the deployment's time zone. */
export const Day = (description = 'a day, YYYY-MM-DD') => Type.String({ format: 'date', description })

/** Machine-readable reasons of refused answers; the dashboard translates them (with `parameter` where given). */
export { type ErrorCode, errorCodes } from './error-codes.ts'

export const ErrorBody = Type.Object(
  {
    error: Type.Enum(errorCodes),
    message: Type.String({ description: "what is wrong and what to do, in the request's language" }),
    parameter: Type.Optional(Type.String({ description: 'the parameter or field at fault' })),
  },
  { description: 'A refused request' },
)
export type ErrorBody = Static<typeof ErrorBody>

/** The error answers a route may give, for its response schema. */
export function errorResponses<Status extends number>(...statuses: Status[]): Record<Status, typeof ErrorBody> {
  return Object.fromEntries(statuses.map((status) => [status, ErrorBody])) as Record<Status, typeof ErrorBody>
}
