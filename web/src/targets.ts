// How a target's status reads in the dashboard: its label and its tone (colour), shared by every page that shows one.
import type { Target } from './api.ts'
import type { PlainKey } from './i18n.ts'

export type Status = NonNullable<Target['progress']>['status']
export const statusKey: Record<Status, PlainKey> = {
  reached: 'statusReached',
  reached_late: 'statusReachedLate',
  missed: 'statusMissed',
  on_track: 'statusOnTrack',
  at_risk: 'statusAtRisk',
  off_track: 'statusOffTrack',
  no_data: 'statusNoData',
}
export const statusTone: Record<Status, 'good' | 'warn' | 'bad' | 'none'> = {
  reached: 'good',
  reached_late: 'warn',
  missed: 'bad',
  on_track: 'good',
  at_risk: 'warn',
  off_track: 'bad',
  no_data: 'none',
}
