// ECharts ships its locales as ES modules without type declarations beside them: typed as registerLocale takes them.
declare module 'echarts/lib/i18n/langEN.js' {
  const locale: Parameters<typeof import('echarts/core').registerLocale>[1]
  export default locale
}
declare module 'echarts/lib/i18n/langRU.js' {
  const locale: Parameters<typeof import('echarts/core').registerLocale>[1]
  export default locale
}
