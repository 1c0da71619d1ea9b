// Okabe–Ito colours: distinguishable with the common colour-vision deficiencies; fixed per channel kind and series.
export const okabeIto = [
  '#0072B2', // blue
  '#E69F00', // orange
  '#009E73', // bluish green
  '#CC79A7', // reddish purple
  '#56B4E9', // sky blue
  '#D55E00', // vermillion
  '#F0E442', // yellow
  '#000000', // black
  '#999999', // grey
] as const

export const colours = {
  primary: okabeIto[0],
  target: okabeIto[5],
  projection: okabeIto[1],
  lockdown: 'rgba(153, 153, 153, 0.18)',
  band: 'rgba(230, 159, 0, 0.18)',
  muted: '#595959',
} as const

/** Sequential blues for the choropleth: light (low) to dark (high), still readable in greyscale. */
export const sequential = ['#EFF6FB', '#B9D7EA', '#6BAED6', '#2C7FB8', '#08306B'] as const

export const colourAt = (index: number): string => okabeIto[index % okabeIto.length] ?? okabeIto[0]
