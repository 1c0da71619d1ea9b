// What the demo publishes for the public portal beyond fixtures/demo/indicators.json: the national indicators'
// breakdowns (the home's map, the age divide) and GOV.UK's four measures of the most-used services (their pages).
import type { Store } from '@qyzmet/sql'
import type { IndicatorBody, Names, PublishedBreakdown } from '../contract/index.ts'
import type { Reference } from '../reference.ts'

/** Breakdowns added to the fixture's indicators, by id. */
export const demoBreakdowns: Record<string, PublishedBreakdown[]> = {
  'online-share': ['region', 'age_band'],
  'self-service': ['region'],
}

const measures: {
  key: string
  body: Omit<IndicatorBody, 'title' | 'methodology'>
  title: Names
  methodology: Names
}[] = [
  {
    key: 'take-up',
    body: { metric: 'digital_take_up', interval: 'month' },
    title: { kk: 'цифрлық қолдану', ru: 'цифровое использование', en: 'digital take-up' },
    methodology: {
      kk: 'Қызметті онлайн алуға болатын күндері аяқталған өтініштердің ішінде онлайн арналар арқылы аяқталғандарының үлесі.',
      ru: 'Доля заявок, завершённых через онлайн-каналы, среди заявок, завершённых в дни, когда услугу можно было получить онлайн.',
      en: 'Of the applications completed on days the service could be received online, the share completed through online channels.',
    },
  },
  {
    key: 'completion',
    body: { metric: 'completion_rate', interval: 'month' },
    title: { kk: 'аяқталу үлесі', ru: 'доля завершённых', en: 'completion rate' },
    methodology: {
      kk: 'Аяқталған өтініштердің аяқталған, бас тартылған және тоқтатылған өтініштерге қатынасы.',
      ru: 'Завершённые заявки, делённые на завершённые, отклонённые и отменённые.',
      en: 'Completed applications divided by completed, rejected and cancelled ones.',
    },
  },
  {
    key: 'satisfaction',
    body: { metric: 'satisfaction', interval: 'quarter' },
    title: { kk: 'пайдаланушылардың қанағаттануы', ru: 'удовлетворённость пользователей', en: 'user satisfaction' },
    methodology: {
      kk: 'Берілген бағалардың (1–5) ішінде 4 не 5 бағалардың үлесі, 95 % Уилсон аралығымен.',
      ru: 'Доля оценок 4 и 5 среди поставленных оценок (1–5), с 95-процентным интервалом Уилсона.',
      en: 'The share of ratings (1–5) that are 4 or 5, with a 95 % Wilson interval.',
    },
  },
  {
    key: 'volume',
    body: { metric: 'volume', interval: 'year', breakdowns: ['channel'] },
    title: { kk: 'арналар бойынша көлем', ru: 'объём по каналам', en: 'volume by channel' },
    methodology: {
      kk: 'Жыл ішінде аяқталған өтініштер саны, арналар бойынша; бір транзакцияның құны осыдан есептеледі.',
      ru: 'Число завершённых за год заявок по каналам; из него считается стоимость одной транзакции.',
      en: 'Applications completed in the year, by channel; the cost per transaction is computed from it.',
    },
  },
]

/** The most-used services' measures, as an analyst would define them, with ids `service-<code>-<measure>`. */
export async function demoServiceIndicators(
  store: Store,
  reference: Reference,
  count = 5,
): Promise<{ id: string; body: IndicatorBody }[]> {
  const top = await store.rows<{ service: string }>(
    'demo:top-services',
    `SELECT service_code AS service FROM events WHERE status = 'completed'
     GROUP BY service_code ORDER BY count() DESC, service_code LIMIT {count:UInt32}`,
    { count },
  )
  return top.flatMap(({ service }) => {
    const names = reference.services.find((item) => item.code === service)?.names ?? {
      kk: service,
      ru: service,
      en: service,
    }
    return measures.map((measure) => ({
      id: `service-${service}-${measure.key}`.replace(/[^A-Za-z0-9_-]/g, '-'),
      body: {
        ...measure.body,
        filters: { service: [service] },
        title: {
          kk: `${names.kk}: ${measure.title.kk}`,
          ru: `${names.ru}: ${measure.title.ru}`,
          en: `${names.en}: ${measure.title.en}`,
        },
        methodology: measure.methodology,
      },
    }))
  })
}
