// Chart text for a wall screen read from across a room: the same option with larger axis, legend and label text.
type Option = Record<string, unknown>

const each = (part: unknown, change: (item: Option) => Option): unknown =>
  Array.isArray(part) ? part.map((item) => change(item as Option)) : part ? change(part as Option) : part

/** The option with every axis label, legend and the base text at `fontSize` (pixels), the rest unchanged. */
export function enlarged(option: Option, fontSize = 18): Option {
  const axis = (item: Option): Option => ({
    ...item,
    axisLabel: { ...(item.axisLabel as Option | undefined), fontSize },
    nameTextStyle: { ...(item.nameTextStyle as Option | undefined), fontSize },
  })
  return {
    ...option,
    textStyle: { ...(option.textStyle as Option | undefined), fontSize },
    ...(option.xAxis ? { xAxis: each(option.xAxis, axis) } : {}),
    ...(option.yAxis ? { yAxis: each(option.yAxis, axis) } : {}),
    ...(option.legend
      ? {
          legend: each(option.legend, (item) => ({
            ...item,
            textStyle: { ...(item.textStyle as Option | undefined), fontSize },
            itemWidth: 32,
            itemHeight: 18,
          })),
        }
      : {}),
    ...(option.grid
      ? {
          grid: each(option.grid, (item) => ({
            ...item,
            // Room for the larger legend above, and for the larger axis labels below and at the left.
            top: Math.max(Number(item.top ?? 0), fontSize * 4),
            bottom: Math.max(Number(item.bottom ?? 0), Math.round(fontSize * 2.2)),
            left: Math.max(Number(item.left ?? 0), Math.round(fontSize * 3.5)),
          })),
        }
      : {}),
  }
}
