// The stage query: the engine reads a batch, maps and validates every row, and writes it to ingest_stage in one pass.
import {
  clockSkewSeconds,
  type EventField,
  earliestEvent,
  enumValues,
  eventFields,
  maxLength,
  maxProcessingSeconds,
  maxRawBytes,
  requiredFields,
} from './fields.ts'
import type { Mapping } from './mapping.ts'
import type { RowSource } from './source.ts'

/** Events are grouped into this many hash slots while staged; publishing takes ranges of them. */
export const hashSlots = 1024

const lowerCased = new Set<EventField>(['channel', 'assisted_by', 'status', 'gender', 'age_band'])
const unknownByDefault = new Set<EventField>(['age_band', 'gender'])

/** A field's final text: the source cell, its spelling mapped, lower-cased where codes are, else the default. */
function fieldExpression(field: EventField, source: RowSource, mapping: Mapping, params: Record<string, unknown>) {
  let value = source.fields[field] ?? "''"
  const spellings = mapping.values[field]
  if (spellings && Object.keys(spellings).length > 0) {
    params[`from_${field}`] = Object.keys(spellings)
    params[`to_${field}`] = Object.values(spellings)
    value = `transform(${value}, {from_${field}:Array(String)}, {to_${field}:Array(String)}, ${value})`
  }
  if (lowerCased.has(field)) value = `lower(${value})`
  const fallback = mapping.defaults[field] ?? (unknownByDefault.has(field) ? 'unknown' : undefined)
  if (fallback !== undefined) {
    params[`default_${field}`] = fallback
    value = `if(${value} = '', {default_${field}:String}, ${value})`
  }
  return `${value} AS v_${field}`
}

/** Every check a row must pass, as reason codes: missing:<field>, unknown:<field>, invalid:<field>, … */
function reasonChecks(source: RowSource, params: Record<string, unknown>): string[] {
  const checks = Object.keys(source.rowProblems).map((code) => `if(p_${code}, '${code}', '')`)
  for (const field of requiredFields) checks.push(`if(v_${field} = '', 'missing:${field}', '')`)
  checks.push(
    "if(v_occurred_at != '' AND ts IS NULL, 'invalid:occurred_at', '')",
    `if(ts > now64(3) + toIntervalSecond(${clockSkewSeconds}), 'future:occurred_at', '')`,
    `if(ts < toDateTime64('${earliestEvent}', 3, 'UTC'), 'too_old:occurred_at', '')`,
    "if(v_region != '' AND region_index = 0, 'unknown:region', '')",
    "if(region_index > 0 AND ts IS NOT NULL AND NOT (toDate(ts, {zone:String}) BETWEEN ref_regions.2[region_index] AND ref_regions.3[region_index]), 'region_not_valid_on_date', '')",
    // IN builds a hash set once; has() over the 200-odd service codes scanned the array for every row
    // (measured: a fifth of the validation's time).
    "if(v_channel != '' AND v_channel NOT IN (SELECT code FROM channels FINAL), 'unknown:channel', '')",
    "if(v_service_code != '' AND v_service_code NOT IN (SELECT code FROM services FINAL), 'unknown:service_code', '')",
    "if(v_district != '' AND NOT match(v_district, '^[0-9]{4}$'), 'invalid:district', '')",
    "if(v_processing_seconds != '' AND toUInt32OrNull(v_processing_seconds) IS NULL, 'invalid:processing_seconds', '')",
    `if(toUInt32OrNull(v_processing_seconds) > ${maxProcessingSeconds}, 'out_of_range:processing_seconds', '')`,
    "if(v_satisfaction != '' AND NOT ifNull(toUInt8OrNull(v_satisfaction) BETWEEN 1 AND 5, false), 'out_of_range:satisfaction', '')",
  )
  for (const [field, allowed] of Object.entries(enumValues)) {
    params[`enum_${field}`] = allowed
    checks.push(`if(v_${field} != '' AND NOT has({enum_${field}:Array(String)}, v_${field}), 'invalid:${field}', '')`)
  }
  for (const [field, limit] of Object.entries(maxLength)) {
    checks.push(`if(length(v_${field}) > ${limit}, 'too_long:${field}', '')`)
  }
  return checks
}

export interface StageQuery {
  /** The SELECT after INSERT INTO ingest_stage (…), with `{{source}}` where the reader goes. */
  sql: string
  params: Record<string, unknown>
}

export const stageColumns =
  'batch_id, row_number, bucket, valid, event_id, occurred_at, service_code, channel, assisted_by, region, district, ' +
  'office_id, status, processing_seconds, age_band, gender, applicant_key, satisfaction, source, reasons, raw'

export function stageQuery(
  source: RowSource,
  mapping: Mapping,
  batch: { id: string; source: string },
  zone: string,
): StageQuery {
  const params: Record<string, unknown> = { ...source.params, batch: batch.id, batch_source: batch.source, zone }
  params.timestamp_zone = mapping.timezone
  const fields = eventFields.map((field) => fieldExpression(field, source, mapping, params))
  const problems = Object.entries(source.rowProblems)
  // A line that is not JSON has no fields to check: its one reason says so.
  const reasons = `arrayFilter(r -> r != '', [${reasonChecks(source, params).join(',\n        ')}])`
  const sql = `
INSERT INTO ingest_stage (${stageColumns})
WITH
    (SELECT (groupArray(kato), groupArray(ifNull(valid_from, toDate('1970-01-01'))), groupArray(ifNull(valid_to, toDate('2149-06-06'))))
     FROM regions FINAL) AS ref_regions
SELECT
    {batch:String}, row_number, toUInt16(cityHash64(v_event_id) % ${hashSlots}), empty(reasons), v_event_id,
    ifNull(ts, toDateTime64(0, 3, 'UTC')), v_service_code, v_channel, v_assisted_by, v_region, v_district,
    v_office_id, v_status, toUInt32OrNull(v_processing_seconds), v_age_band, v_gender, v_applicant_key,
    toUInt8OrNull(v_satisfaction), if(v_source = '', {batch_source:String}, v_source),
    reasons, if(empty(reasons), '', substring(${source.raw}, 1, ${maxRawBytes}))
FROM
(
    SELECT *,
        if(match(v_occurred_at, '[0-9]{4}'), parseDateTime64BestEffortOrNull(v_occurred_at, 3, {timestamp_zone:String}), NULL) AS ts,
        indexOf(ref_regions.1, v_region) AS region_index,
        ${problems.some(([code]) => code === 'invalid_json') ? `if(p_invalid_json, ['invalid_json'], ${reasons})` : reasons} AS reasons
    FROM
    (
        SELECT
            *,
            ${[...source.prelude, `${source.rowNumber} AS row_number`].join(',\n            ')},
            ${problems.map(([code, test]) => `${test} AS p_${code}`).join(', ') || '0 AS p_none'},
            ${fields.join(',\n            ')}
        FROM {{source}}
        WHERE ${source.where}
    )
)`
  return { sql, params }
}
